package org.widecloud.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.store.jdbc.JdbcCloudStore;

/**
 * Latency of listing VMs through the REST API with 100,000 VMs in the store. The VMs are written straight into
 * the running controller's store (H2 opened with AUTO_SERVER, or PostgreSQL) on a host whose driver type is not
 * installed, so the reconciler leaves them alone; then pages are read over HTTP as any client would.
 */
public final class VmListBenchmark {

    public static void main(String[] args) throws Exception {
        Options o = new Options(args);
        int count = o.getInt("vms", 100_000);
        int rounds = o.getInt("rounds", 50);
        Api api = new Api(o.get("url", "http://127.0.0.1:8181/api/v1"), o.get("user", "karaf"), o.get("password", "karaf"));
        api.awaitUp(java.time.Duration.ofSeconds(120));

        if (api.get("/sites/bench-list").status() == 404) {
            api.post("/sites", Map.of("name", "bench-list")).expect(201);
        }
        String hostId = api.get("/hosts/bench-list").status() == 200
                ? api.get("/hosts/bench-list").body().get("id").asText()
                : api.post("/hosts", Map.of("name", "bench-list", "site", "bench-list", "driver", "bench-none",
                        "uri", "bench:///list")).expect(201).body().get("id").asText();
        if (api.get("/images/bench-list").status() == 404) {
            api.post("/images", Map.of("name", "bench-list", "kernel", "/none/vmlinuz", "initrd", "/none/initrd"))
                    .expect(201);
        }
        String imageId = api.get("/images/bench-list").body().get("id").asText();

        long have = api.get("/vms?limit=1&host=bench-list").expect(200).body().get("total").asLong();
        if (have < count) {
            long t0 = System.nanoTime();
            JdbcCloudStore store = JdbcCloudStore.open(o.get("store-type", "h2"), o.get("store-url", null),
                    o.get("store-user", null), o.get("store-password", null), 2);
            try {
                for (long done = have; done < count;) {
                    long from = done;
                    int batch = (int) Math.min(2000, count - done);
                    store.inTransaction(() -> {
                        for (int i = 0; i < batch; i++) {
                            Instant now = Instant.now();
                            store.insertVm(new Vm(UUID.randomUUID().toString(), String.format("lvm-%07d", from + i),
                                    "bench", hostId, 1, 64, imageId, List.of(), VmState.STOPPED, null, now, now, 0));
                        }
                        return null;
                    });
                    done += batch;
                }
            } finally {
                store.close();
            }
            System.out.printf("inserted %d VMs into the store in %.1f s%n", count - have, (System.nanoTime() - t0) / 1e9);
        }
        long total = api.get("/vms?limit=1").expect(200).body().get("total").asLong();
        System.out.printf("widecloud list benchmark: %d VMs in the store, %d rounds per query%n", total, rounds);
        long mid = total / 2;
        long last = Math.max(0, total - 100);
        time(api, "first page (limit=100)", "/vms?offset=0&limit=100", rounds);
        time(api, "middle page", "/vms?offset=" + mid + "&limit=100", rounds);
        time(api, "last page", "/vms?offset=" + last + "&limit=100", rounds);
        time(api, "host filter, first page", "/vms?host=bench-list&limit=100", rounds);
        time(api, "page of 1000", "/vms?offset=0&limit=1000", rounds);
    }

    private static void time(Api api, String label, String path, int rounds) throws Exception {
        api.get(path).expect(200);
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            api.get(path).expect(200);
            ms.add((System.nanoTime() - t) / 1e6);
        }
        Collections.sort(ms);
        System.out.printf("RESULT %-26s median %7.2f ms  p95 %7.2f ms  max %7.2f ms%n", label, ms.get(ms.size() / 2),
                ms.get((int) Math.ceil(ms.size() * 0.95) - 1), ms.get(ms.size() - 1));
    }
}
