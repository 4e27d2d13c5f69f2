package org.widecloud.storage.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostState;
import org.widecloud.api.service.HostService;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HostExecutor;
import org.widecloud.api.spi.HostExecutors;
import org.widecloud.api.spi.StorageBackend.PoolRef;

/**
 * What needs no tgtd: the secret stays out of failures even when the storage server's answer or the executor's
 * message quotes it, and which hosts reach a pool.
 */
class IscsiBackendUnitTest {
    static final String SECRET = IscsiParametersTest.SECRET;

    /** A storage server that answers every command with an empty success, except the account creation. */
    static HostExecutors server(Function<List<String>, HostExecutor.Result> onAccountNew, List<List<String>> seen) {
        HostExecutor exec = (argv, timeout) -> {
            seen.add(argv);
            if (argv.contains("account") && argv.contains("new")) {
                return onAccountNew.apply(argv);
            }
            return new HostExecutor.Result(0, argv.get(0).equals("df") ? "size used\n100 10\n" : "", "");
        };
        return host -> exec;
    }

    static PoolRef pool() {
        return new PoolRef("pool-1", "p1", null, IscsiParametersTest.OK);
    }

    @Test
    void aRefusedAccountIsReportedWithTheSecretMasked() {
        List<List<String>> seen = new ArrayList<>();
        IscsiBackend b = new IscsiBackend(server(argv -> new HostExecutor.Result(22, "",
                "tgtadm: bad password " + SECRET), seen), null);
        DriverException e = assertThrows(DriverException.class, () -> b.open(pool(), null));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertTrue(e.getMessage().contains("--password ****** exited 22"), e.getMessage());
        assertTrue(seen.stream().anyMatch(a -> a.contains(SECRET)), "the account got the real secret");
    }

    @Test
    void anExecutorFailureQuotingTheCommandIsNotPassedOn() {
        IscsiBackend b = new IscsiBackend(server(argv -> {
            throw new DriverException(String.join(" ", argv) + " did not finish within 30000 ms", null);
        }, new ArrayList<>()), null);
        DriverException e = assertThrows(DriverException.class, () -> b.open(pool(), null));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertNull(e.getCause(), "the cause's message quotes the secret");
    }

    @Test
    void wideAreaPoolsReachEveryHostSitePoolsTheirSitesHosts() {
        Map<String, String> siteOf = Map.of("h-a", "site-a", "h-b", "site-b");
        HostService hosts = (HostService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HostService.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("get")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    String id = (String) args[0];
                    return new Host(id, id, siteOf.get(id), "kvm", "qemu:///system", HostState.UP, 1, 1, "", null,
                            Instant.EPOCH, 1);
                });
        IscsiBackend b = new IscsiBackend(server(a -> null, new ArrayList<>()), hosts);
        HostEndpoint a = new HostEndpoint("h-a", "h-a", "qemu:///system");
        HostEndpoint bHost = new HostEndpoint("h-b", "h-b", "qemu:///system");
        PoolRef wide = pool();
        PoolRef siteA = new PoolRef("pool-2", "p2", "site-a", new HashMap<>(IscsiParametersTest.OK));
        assertTrue(b.reachableFrom(wide, a));
        assertTrue(b.reachableFrom(wide, bHost));
        assertTrue(b.reachableFrom(siteA, a));
        assertFalse(b.reachableFrom(siteA, bHost));
        assertFalse(new IscsiBackend(host -> null, null).reachableFrom(siteA, a), "no HostService: cannot tell");
        Map<String, String> acl = new HashMap<>(IscsiParametersTest.OK);
        acl.put("initiators", "192.0.2.0/28, fd00:5::7");
        PoolRef restricted = new PoolRef("pool-3", "p3", null, acl);
        assertTrue(b.reachableFrom(restricted, new HostEndpoint("h-a", "h-a", "qemu:///system", "192.0.2.9", null)));
        assertTrue(b.reachableFrom(restricted, new HostEndpoint("h-a", "h-a", "qemu:///system", "fd00:5::7", null)));
        assertFalse(b.reachableFrom(restricted, new HostEndpoint("h-a", "h-a", "qemu:///system", "192.0.2.17",
                null)), "outside the ACL");
        assertFalse(b.reachableFrom(restricted, a), "no address: the ACL cannot admit it");
        assertEquals(false, b.hostLocal());
        assertEquals(java.util.Set.of("chap.secret"), b.secretParameters());
    }
}
