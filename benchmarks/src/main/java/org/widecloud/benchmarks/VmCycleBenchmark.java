package org.widecloud.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.widecloud.api.spi.VmSpec;
import org.widecloud.driver.libvirt.DomainFlavour;
import org.widecloud.driver.libvirt.DomainXml;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Create + start + destroy + delete cycles of a VM, twice in one run: through widecloud's REST API (4 calls a
 * cycle, each answered when its job has ended) and straight from libvirt-java on the same hypervisor URI with the
 * same domain XML (define, create, destroy, undefine). Prints both rates and their ratio.
 *
 * <p>On {@code test:///default} the hypervisor costs almost nothing, so the ratio is the controller's own cost
 * (REST, JSON, authentication, validation, durable store, jobs, audit). On a real libvirtd with QEMU guests it
 * shows how much the controller adds to real work.
 */
public final class VmCycleBenchmark {

    public static void main(String[] args) throws Exception {
        Options o = new Options(args);
        String uri = o.get("uri", "test:///default");
        int cycles = o.getInt("cycles", 2000);
        int threads = o.getInt("threads", 4);
        int warmup = o.getInt("warmup", Math.min(1000, cycles / 2)); // the JIT needs a few thousand calls
        long memory = o.getInt("memory", 64);
        String kernel = o.get("kernel", "/var/tmp/widecloud-lab/guest/vmlinuz");
        String initrd = o.get("initrd", "/var/tmp/widecloud-lab/guest/initrd.gz");
        Api api = new Api(o.get("url", "http://127.0.0.1:8181/api/v1"), o.get("user", "karaf"), o.get("password", "karaf"));
        api.awaitUp(java.time.Duration.ofSeconds(120));

        String host = ensureHost(api, uri);
        String image = ensureImage(api, kernel, initrd);
        String domainType = uri.startsWith("test:") ? "test" : o.get("domain-type", "qemu");
        System.out.printf("widecloud cycle benchmark: uri=%s cycles=%d threads=%d memory=%d MiB%n", uri, cycles,
                threads, memory);

        run("warm-up controller", warmup, threads, i -> controllerCycle(api, host, image, memory, "bw" + i));
        run("warm-up raw", warmup, threads, rawCycles(uri, domainType, kernel, initrd, memory));
        double controller = run("controller (REST)", cycles, threads, i -> controllerCycle(api, host, image, memory, "bc" + i));
        double raw = run("raw libvirt-java", cycles, threads, rawCycles(uri, domainType, kernel, initrd, memory));
        System.out.printf("RESULT uri=%s controller=%.1f cycles/s (%.0f API calls/s) raw=%.1f cycles/s "
                + "controller/raw=%.3f controller cost per cycle=%.2f ms%n", uri, controller, controller * 4, raw,
                controller / raw, 1000.0 / controller - 1000.0 / raw);
    }

    @FunctionalInterface
    interface Cycle {
        void run(int i) throws Exception;
    }

    /** Runs {@code n} cycles on {@code threads} threads and returns cycles per second. */
    static double run(String label, int n, int threads, Cycle cycle) throws Exception {
        if (n <= 0) {
            return 0;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            futures.add(pool.submit(() -> {
                for (int i = first; i < n; i += threads) {
                    cycle.run(i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        double rate = n / seconds;
        System.out.printf("  %-20s %6d cycles in %7.2f s = %8.1f cycles/s%n", label, n, seconds, rate);
        return rate;
    }

    private static void controllerCycle(Api api, String host, String image, long memory, String name) throws Exception {
        String vmName = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Reply created = api.post("/vms", Map.of("name", vmName, "host", host, "vcpus", 1, "memoryMiB", memory,
                "image", image, "nics", List.of())).expect(201);
        String id = created.body().get("id").asText();
        expectSucceeded(api.post("/vms/" + id + "/start", null).expect(200));
        expectSucceeded(api.post("/vms/" + id + "/destroy", null).expect(200));
        expectSucceeded(api.delete("/vms/" + id).expect(200));
    }

    private static void expectSucceeded(Api.Reply r) {
        if (!"SUCCEEDED".equals(r.body().path("state").asText())) {
            throw new IllegalStateException("job did not succeed: " + r.body());
        }
    }

    private static Cycle rawCycles(String uri, String domainType, String kernel, String initrd, long memory)
            throws Exception {
        Connect conn = new Connect(uri);
        DomainFlavour flavour = DomainFlavour.qemu(domainType, null);
        return i -> {
            String id = UUID.randomUUID().toString();
            VmSpec spec = new VmSpec(id, "raw" + i + "-" + id.substring(0, 8), 1, memory,
                    new VmSpec.Boot(kernel, initrd, "console=ttyS0"), List.of(), List.of());
            Domain d = conn.domainDefineXML(DomainXml.build(spec, flavour));
            d.create();
            d.destroy();
            d.undefine();
            d.free();
        };
    }

    private static String ensureHost(Api api, String uri) throws Exception {
        for (JsonNode h : api.get("/hosts?limit=1000").expect(200).body().get("items")) {
            if (uri.equals(h.get("uri").asText())) {
                return h.get("id").asText();
            }
        }
        if (api.get("/sites/bench").status() == 404) {
            api.post("/sites", Map.of("name", "bench")).expect(201);
        }
        String name = "bench-" + uri.replaceAll("[^a-z]", "");
        return api.post("/hosts", Map.of("name", name, "site", "bench", "driver", "kvm", "uri", uri)).expect(201)
                .body().get("id").asText();
    }

    private static String ensureImage(Api api, String kernel, String initrd) throws Exception {
        if (api.get("/images/bench-tiny").status() == 200) {
            return "bench-tiny";
        }
        api.post("/images", Map.of("name", "bench-tiny", "kernel", kernel, "initrd", initrd, "cmdline",
                "console=ttyS0")).expect(201);
        return "bench-tiny";
    }
}
