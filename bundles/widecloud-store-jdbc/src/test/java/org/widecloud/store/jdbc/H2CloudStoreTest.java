package org.widecloud.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widecloud.api.model.AuditEvent;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.api.store.CloudStore.VmFilter;

/** The contract on an H2 file database in a temporary folder (the default store's mode). */
class H2CloudStoreTest extends CloudStoreContract {
    @TempDir
    static Path dir;

    @Override
    protected JdbcCloudStore openStore() {
        return JdbcCloudStore.open("h2", StoreSettings.h2FileUrl(dir.toString()), null, null, 4);
    }

    @Test
    void reopeningTheFileKeepsTheDataAndAppliesNoScript() {
        store.insertSite(Fixtures.site("kept"));
        store.close();
        store = openStore();
        assertEquals("kept", store.siteByName("kept").orElseThrow().name());
    }

    @Test
    void aPageOfVmsAmongAHundredThousand() throws SQLException {
        World w = world();
        int total = 100_000;
        long t0 = System.nanoTime();
        insertVmsInBatches(w, total);
        long t1 = System.nanoTime();
        System.out.printf("h2: inserted %,d VMs with a NIC each in %d ms%n", total, (t1 - t0) / 1_000_000);

        // warm up once, as a running controller would be
        store.vms(PageRequest.of(0, 100), VmFilter.none());
        long start = System.nanoTime();
        Page<Vm> firstPage = store.vms(PageRequest.of(0, 100), VmFilter.none());
        System.out.printf("h2: first page of 100 VMs with NICs and total of %,d in %.1f ms%n", firstPage.total(),
                (System.nanoTime() - start) / 1_000_000.0);
        assertEquals("vm-000000", firstPage.items().get(0).name());
        start = System.nanoTime();
        Page<Vm> page = store.vms(PageRequest.of(50_000, 100), VmFilter.none());
        long pageMicros = (System.nanoTime() - start) / 1_000;
        System.out.printf("h2: page of 100 VMs (offset 50,000) with NICs and total of %,d in %.1f ms%n",
                page.total(), pageMicros / 1000.0);
        assertEquals(total, page.total());
        assertEquals(100, page.items().size());
        assertEquals(String.format("vm-%06d", 50_000), page.items().get(0).name());
        assertEquals(String.format("vm-%06d", 50_099), page.items().get(99).name());
        assertEquals(1, page.items().get(0).nics().size());

        start = System.nanoTime();
        Page<Vm> first = store.vms(PageRequest.of(0, 100), VmFilter.onHost(w.h2().id()));
        System.out.printf("h2: first page of a host's VMs (%,d of them) in %.1f ms%n", first.total(),
                (System.nanoTime() - start) / 1_000_000.0);
        assertEquals(total / 2, first.total());
        assertEquals("vm-000001", first.items().get(0).name());

        start = System.nanoTime();
        Page<Vm> onNet = store.vms(PageRequest.of(0, 100), new VmFilter(null, w.n2().id(), null, "RUNNING"));
        System.out.printf("h2: first page of RUNNING VMs on a network (%,d of them) in %.1f ms%n", onNet.total(),
                (System.nanoTime() - start) / 1_000_000.0);
        assertEquals(List.of("vm-000003", "vm-000007"), onNet.items().subList(0, 2).stream().map(Vm::name).toList());
    }

    /** The store's share of a REST create+start+destroy+delete cycle, roughly: prints the rate, asserts the data. */
    @Test
    void vmLifecycleWritesPerSecond() {
        World w = world();
        int cycles = 2_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < cycles; i++) {
            Vm v = Fixtures.vm("cycle-" + i, w.h1(), w.img(), List.of(Fixtures.nic(w.n1(), null, null, mac(i))));
            store.inTransaction(() -> {
                store.insertVm(v);
                store.audit(new AuditEvent(0, Fixtures.now(), "bench", "vm.create", "vm", v.id(), null));
                return null;
            });
            Vm running = store.updateVm(Fixtures.inState(v, VmState.RUNNING));
            Vm stopped = store.updateVm(Fixtures.inState(running, VmState.STOPPED));
            store.inTransaction(() -> {
                store.deleteVm(stopped.id());
                store.audit(new AuditEvent(0, Fixtures.now(), "bench", "vm.delete", "vm", v.id(), null));
                return null;
            });
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("h2: %,d VM cycles (insert+audit, 2 updates, delete+audit; 4 transactions) in %.2f s: "
                + "%.0f cycles/s%n", cycles, seconds, cycles / seconds);
        assertEquals(0, store.countVms(VmFilter.none()));
        assertEquals(2L * cycles, store.auditEvents(PageRequest.of(0, 1), null).total());
    }

    /** Straight JDBC batches: the point is the size of the table the page query meets, not insert speed. */
    private void insertVmsInBatches(World w, int total) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement vm = c.prepareStatement("INSERT INTO vms (id, name, owner_name, host_id, vcpus, "
                        + "memory_mib, image_id, state, state_reason, created_at, updated_at, version) "
                        + "VALUES (?, ?, 'bench', ?, 1, 128, ?, ?, NULL, ?, ?, 0)");
                PreparedStatement nic = c.prepareStatement("INSERT INTO vm_nics (vm_id, nic_index, network_id, "
                        + "ipv4, ipv6, mac) VALUES (?, 0, ?, NULL, NULL, ?)")) {
            OffsetDateTime now = OffsetDateTime.now();
            for (int i = 0; i < total; i++) {
                String id = "vm-id-" + i;
                vm.setString(1, id);
                vm.setString(2, String.format("vm-%06d", i));
                vm.setString(3, i % 2 == 0 ? w.h1().id() : w.h2().id());
                vm.setString(4, w.img().id());
                vm.setString(5, i % 4 == 3 ? "RUNNING" : "STOPPED");
                vm.setObject(6, now);
                vm.setObject(7, now);
                vm.addBatch();
                nic.setString(1, id);
                nic.setString(2, i % 2 == 0 ? w.n1().id() : w.n2().id());
                nic.setString(3, mac(i));
                nic.addBatch();
                if (i % 5_000 == 4_999) {
                    vm.executeBatch();
                    nic.executeBatch();
                    c.commit();
                }
            }
            vm.executeBatch();
            nic.executeBatch();
            c.commit();
        }
    }
}
