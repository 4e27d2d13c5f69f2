package org.widecloud.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Pool;
import org.widecloud.store.jdbc.JdbcCloudStore;

/**
 * A first start on an empty store makes site and host {@code local} (here on libvirt's test hypervisor) and, once
 * the local storage backend is installed, the pool {@code local}: before or after core, as bundles start in any
 * order. The backend is core's temp-dir test backend registered under the type {@code local}.
 */
class BootstrapTest {
    static final Settings FIRST_START = new Settings(Duration.ofSeconds(30), Duration.ofSeconds(5), 4, true,
            "test:///default", "kvm", "virbr0");

    @TempDir
    Path folder;
    JdbcCloudStore store;
    CoreFixture core;
    DirStorageBackend local;

    @BeforeEach
    void setUp() {
        store = JdbcCloudStore.open("h2", JdbcCloudStore.h2FileUrl(folder.toString()), null, null, 4);
        core = new CoreFixture(store).withDriver(new MovingTestDriver());
        local = new DirStorageBackend("local", true, folder.resolve("hosts"));
    }

    @AfterEach
    void tearDown() {
        core.close();
        store.close();
    }

    private Bootstrap firstStart() {
        return new Bootstrap(store, core.sites, core.hosts, core.pools, core.drivers, FIRST_START);
    }

    @Test
    void theDefaultPoolIsMadeWhenLocalStorageArrivesAfterCore() {
        Bootstrap b = firstStart();
        assertEquals("local", core.hosts.get("local").name());
        assertTrue(store.poolByName(Bootstrap.DEFAULT_POOL).isEmpty(), "no local storage backend yet");
        core.drivers.addStorage(local);
        Pool p = core.pools.get(Bootstrap.DEFAULT_POOL);
        assertEquals("local", p.backend());
        assertEquals(core.sites.get("local").id(), p.site());
        assertTrue(local.calls.contains("open local local"), local.calls.toString());
        b.close();
    }

    @Test
    void theDefaultPoolIsMadeAtOnceWhenLocalStorageIsThereAndOnlyAtTheFirstStart() {
        core.drivers.addStorage(local);
        firstStart().close();
        assertEquals(1, core.pools.list(PageRequest.of(0, 10), null).total());
        core.pools.delete("test", Bootstrap.DEFAULT_POOL);
        firstStart().close(); // a later start finds the store in use and makes nothing
        assertEquals(0, core.pools.list(PageRequest.of(0, 10), null).total());
    }
}
