package org.widecloud.mobility.nemo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.widecloud.api.model.MobilityBinding;
import org.widecloud.api.model.Network;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.MobilityBackend.NetworkAttachment;

/** The exact command vectors of every step, on recording hosts ({@link FakeHost}). */
class NemoBackendTest {
    static final Map<String, String> PARAMS = Map.of("ha.address", "fd00:a::2", "ha.executor", "netns:ha",
            "lifetime", "600");
    static final NetworkAttachment NET = new NetworkAttachment("net-1", "campus", "10.20.0.0/24", "fd00:20::/64",
            "brcampus", PARAMS, "vm-1", "52:54:00:00:00:10", "10.20.0.10", "fd00:20::10");
    static final HostEndpoint A = new HostEndpoint("h-a", "site-a-1", "qemu:///system", "fd00:1::2", "netns:site-a");
    static final HostEndpoint B = new HostEndpoint("h-b", "site-b-1", "qemu:///system", "fd00:2::2", "netns:site-b");
    static final Net N = Net.of(NET);
    static final String T = N.tunnel();
    static final String TABLE = N.tableText();

    private final Fakes.Executors executors = new Fakes.Executors();
    private final Fakes.MovableClock clock = new Fakes.MovableClock();
    private final NemoBackend backend = new NemoBackend(executors, Fakes.hosts(A, B), null, clock);
    private final FakeHost ha = executors.at("netns:ha");
    private final FakeHost siteA = executors.at("netns:site-a");
    private final FakeHost siteB = executors.at("netns:site-b");

    @AfterEach
    void stop() {
        backend.deactivate();
    }

    static List<String> mobileRouter(String careOf) {
        return List.of(
                "sysctl -n net.ipv6.conf.all.forwarding net.ipv4.ip_forward",
                "ip -d -j link show dev brcampus",
                "ip link add name brcampus type bridge",
                "ip link set dev brcampus alias widecloud-nemo-" + T,
                "ip link set dev brcampus address " + N.mac() + " up",
                "ip -6 addr replace fd00:20::1/64 dev brcampus nodad",
                "ip -4 addr replace 10.20.0.1/24 dev brcampus",
                "ip -d -j link show dev " + T,
                "ip link add name " + T + " type ip6tnl mode any local " + careOf + " remote fd00:a::2",
                "ip link set dev " + T + " mtu 1400 up",
                "ip -6 route replace fd00:20::/64 dev brcampus table " + TABLE,
                "ip -6 route replace default dev " + T + " table " + TABLE,
                "ip -6 rule add from fd00:20::/64 lookup " + TABLE + " pref 1000",
                "ip -4 route replace 10.20.0.0/24 dev brcampus table " + TABLE,
                "ip -4 route replace default dev " + T + " table " + TABLE,
                "ip -4 rule add from 10.20.0.0/24 lookup " + TABLE + " pref 1000");
    }

    static List<String> homeAgent(String careOf) {
        return List.of(
                "sysctl -n net.ipv6.conf.all.forwarding net.ipv4.ip_forward",
                "ip -d -j link show dev " + T,
                "ip link add name " + T + " type ip6tnl mode any local fd00:a::2 remote " + careOf,
                "ip link set dev " + T + " mtu 1400 alias " + SINCE_ALIAS + " up",
                "ip -6 route replace fd00:20::/64 dev " + T,
                "ip -4 route replace 10.20.0.0/24 dev " + T);
    }

    /** The tests' bindings start at the fake clock's start; the home agent's tunnel keeps that in its alias. */
    static final java.time.Instant START = new Fakes.MovableClock().instant();
    static final String SINCE_ALIAS = "widecloud-nemo since=" + START.getEpochSecond();

    static String bindingUpdate(String careOf) {
        return "ip link change dev " + T + " mtu 1400 alias " + SINCE_ALIAS + " type ip6tnl remote " + careOf;
    }

    @Test
    void attachMakesTheHostTheMobileRouterAndBindsThePrefixesToIt() {
        backend.attach(NET, A);
        assertEquals(mobileRouter("fd00:1::2"), siteA.take());
        assertEquals(homeAgent("fd00:1::2"), ha.take());
        assertEquals(List.of(), siteB.take());
        assertTrue(backend.movesWholeNetwork());
    }

    @Test
    void aSecondAttachAddsNothing() {
        backend.attach(NET, A);
        siteA.take();
        ha.take();
        backend.attach(NET, A);
        List<String> again = siteA.take();
        assertTrue(again.stream().noneMatch(c -> c.startsWith("ip link add") || c.contains(" del ")), again.toString());
        assertEquals(List.of("sysctl -n net.ipv6.conf.all.forwarding net.ipv4.ip_forward",
                "ip -d -j link show dev " + T, "ip -6 route replace fd00:20::/64 dev " + T,
                "ip -4 route replace 10.20.0.0/24 dev " + T), ha.take());
        assertEquals(2, siteA.rules.size());
    }

    @Test
    void forwardingIsTurnedOnWhereItIsOff() {
        siteA.forwarding = "0\n1\n";
        backend.attach(NET, A);
        assertEquals("sysctl -w net.ipv6.conf.all.forwarding=1", siteA.take().get(1));
    }

    @Test
    void aMigrationPreparesEverythingAndCommitsWithOneCommandAtTheHomeAgent() {
        backend.attach(NET, A);
        siteA.take();
        ha.take();

        backend.prepare(NET, A, B);
        assertEquals(mobileRouter("fd00:2::2"), siteB.take());
        assertEquals(List.of(), siteA.take());
        List<String> haPrepare = ha.take();
        assertTrue(haPrepare.stream().noneMatch(c -> c.contains("fd00:2::2")), "prepare does not switch: " + haPrepare);

        backend.commit(NET, A, B);
        assertEquals(List.of(bindingUpdate("fd00:2::2")), ha.take());
        assertEquals(List.of(), siteA.take());
        assertEquals(List.of(), siteB.take());

        backend.release(NET, A);
        assertEquals(List.of(
                "ip -6 rule del from fd00:20::/64 lookup " + TABLE + " pref 1000",
                "ip -6 route flush table " + TABLE,
                "ip -4 rule del from 10.20.0.0/24 lookup " + TABLE + " pref 1000",
                "ip -4 route flush table " + TABLE,
                "ip link del dev " + T,
                "ip -d -j link show dev brcampus",
                "ip -o link show master brcampus",
                "ip link del dev brcampus"), siteA.take());
        assertEquals(List.of("ip -d -j link show dev " + T), ha.take(), "the home agent points at B: kept");
        assertTrue(siteA.links.isEmpty() && siteA.rules.isEmpty() && siteA.routes.isEmpty());
    }

    @Test
    void rollbackPointsTheBindingBackAtTheSource() {
        backend.attach(NET, A);
        backend.prepare(NET, A, B);
        backend.commit(NET, A, B);
        ha.take();
        backend.rollback(NET, A, B);
        assertEquals(List.of(bindingUpdate("fd00:1::2")), ha.take());
        assertEquals("fd00:1::2", ha.links.get(T).get("remote"));
        backend.release(NET, B);
        assertEquals(List.of("ip -d -j link show dev " + T), ha.take(), "releasing the target keeps the binding");
        assertTrue(siteB.links.isEmpty());
    }

    @Test
    void aHomeAgentThatLostItsSideIsRebuiltAtCommit() {
        backend.attach(NET, A);
        backend.prepare(NET, A, B);
        ha.links.clear();
        ha.routes.clear();
        ha.take();
        backend.commit(NET, A, B);
        List<String> expected = new java.util.ArrayList<>(List.of(bindingUpdate("fd00:2::2")));
        expected.addAll(homeAgent("fd00:2::2"));
        assertEquals(expected, ha.take());
    }

    @Test
    void releasingTheHostTheHomeAgentPointsAtDeregisters() {
        backend.attach(NET, A);
        ha.take();
        backend.release(NET, A);
        assertEquals(List.of("ip -d -j link show dev " + T, "ip link del dev " + T), ha.take());
        assertTrue(ha.links.isEmpty() && ha.routes.isEmpty());
        for (MobilityBinding b : backend.bindings(NET)) {
            assertEquals("not-bound", b.details().get("state"));
            assertNull(b.location());
            assertNull(b.since());
        }
    }

    @Test
    void bindingsAreReadFromTheHomeAgent() {
        backend.attach(NET, A);
        Instant attached = clock.now;
        clock.now = attached.plusSeconds(10);
        backend.prepare(NET, A, B);
        backend.commit(NET, A, B);
        ha.take();
        List<MobilityBinding> bindings = backend.bindings(NET);
        assertEquals(List.of("fd00:20::/64", "10.20.0.0/24"), bindings.stream().map(MobilityBinding::key).toList());
        MobilityBinding v6 = bindings.get(0);
        assertEquals("net-1", v6.network());
        assertEquals("fd00:2::2", v6.location());
        assertEquals("h-b", v6.host(), "the host id, as Vm.host");
        assertEquals(clock.now, v6.since());
        assertEquals(clock.now.plusSeconds(600), v6.expires());
        assertEquals(Map.of("homeAgent", "fd00:a::2", "tunnel", T, "mode", "any", "mtu", "1400", "lifetime", "600",
                "state", "bound"), v6.details());
        assertEquals(List.of("ip -d -j link show dev " + T, "ip -6 -j route show dev " + T,
                "ip -4 -j route show dev " + T), ha.take());

        clock.now = clock.now.plusSeconds(601);
        assertEquals("expired", backend.bindings(NET).get(1).details().get("state"));
    }

    @Test
    void afterARestartTheBindingAndItsStartAreReadBackFromTheHomeAgent() {
        backend.attach(NET, A);
        clock.now = clock.now.plusSeconds(100);
        NemoBackend restarted = new NemoBackend(executors, null, null, clock);
        try {
            MobilityBinding b = restarted.bindings(NET).get(0);
            assertEquals("fd00:1::2", b.location());
            assertEquals("bound", b.details().get("state"));
            assertEquals(START, b.since(), "kept in the home agent tunnel's alias");
            assertEquals(clock.now.plusSeconds(600), b.expires(), "adopted: confirmed now and renewed from now on");
            assertNotNull(restarted.renewal("net-1"), "renewals resume");
            assertNull(b.host(), "no HostService: the host is unknown");
        } finally {
            restarted.deactivate();
        }
    }

    @Test
    void theBindingIsRenewedEveryHalfLifetime() {
        backend.attach(NET, A);
        long delay = backend.renewal("net-1").getDelay(TimeUnit.SECONDS);
        assertTrue(delay > 290 && delay <= 300, "renewal in " + delay + " s");
        ha.take();
        clock.now = clock.now.plus(Duration.ofSeconds(300));
        backend.renew("net-1");
        assertEquals(List.of(bindingUpdate("fd00:1::2")), ha.take());
        assertEquals(clock.now.plusSeconds(600), backend.bindings(NET).get(0).expires());
        assertEquals(clock.now.minusSeconds(300), backend.bindings(NET).get(0).since(), "a renewal is no move");
    }

    @Test
    void aCareOfAddressMustBeIpv6() {
        HostEndpoint v4 = new HostEndpoint("h-c", "site-c-1", "qemu:///system", "10.0.3.2", "netns:site-c");
        DriverException e = assertThrows(DriverException.class, () -> backend.attach(NET, v4));
        assertTrue(e.getMessage().startsWith("host 'site-c-1': address '10.0.3.2' is not an IPv6 address"),
                e.getMessage());
        HostEndpoint none = new HostEndpoint("h-c", "site-c-1", "qemu:///system");
        assertThrows(DriverException.class, () -> backend.prepare(NET, A, none));
        assertEquals(List.of(), executors.at("netns:site-c").take());
    }

    @Test
    void aHomeAgentAddressIsRefusedWhenAnotherNemoNetworkUsesIt() {
        Network other = new Network("net-2", "lab", "10.30.0.0/24", "fd00:30::/64", "nemo", "brlab",
                Map.of("ha.address", "fd00:a:0::2", "ha.executor", "netns:ha"), Instant.EPOCH, 1);
        Network vxlan = new Network("net-3", "vx", "10.40.0.0/24", null, "vxlan", "brvx",
                Map.of("ha.address", "fd00:a::3"), Instant.EPOCH, 1);
        NemoBackend checked = new NemoBackend(executors, null, Fakes.networks(other, vxlan), clock);
        try {
            ValidationException e = assertThrows(ValidationException.class,
                    () -> checked.validate("10.20.0.0/24", "fd00:20::/64", PARAMS));
            assertEquals("parameters.ha.address", e.field());
            assertTrue(e.getMessage().contains("network 'lab'"), e.getMessage());
            // the network itself (same prefixes: an update) and other backends' networks do not count
            checked.validate("10.30.0.0/24", "fd00:30::/64", PARAMS);
            checked.validate("10.20.0.0/24", "fd00:20::/64", Map.of("ha.address", "fd00:a::3", "ha.executor", "local"));
            ValidationException prefix = assertThrows(ValidationException.class,
                    () -> checked.validate("fd00:40::/64", null, PARAMS));
            assertEquals("ipv4Prefix", prefix.field());
        } finally {
            checked.deactivate();
        }
    }

    @Test
    void withoutCoreEverySiteIsReachableAndWithItOnlySitesWithIpv6Hosts() {
        assertTrue(new NemoBackend(executors, null, null).canExtendTo(NET, "anywhere"));
        assertTrue(backend.canExtendTo(NET, "site-1"));
        assertEquals(false, backend.canExtendTo(NET, "site-2"));
        assertEquals(false, new NemoBackend(executors, Fakes.hosts(new HostEndpoint("h", "v4only", "u", "10.0.0.1",
                "local")), null).canExtendTo(NET, "site-1"));
    }

    @Test
    void aTunnelWithAnotherLocalEndOrModeIsReplacedAndAWrongRemoteChangedInPlace() {
        siteA.links.put(T, new java.util.HashMap<>(Map.of("info_kind", "ip6tnl", "proto", "ip6ip6", "local",
                "fd00:1::2", "remote", "fd00:a::2", "mtu", "1400", "up", "true")));
        ha.links.put(T, new java.util.HashMap<>(Map.of("info_kind", "ip6tnl", "proto", "any", "local", "fd00:a::2",
                "remote", "fd00:9::9", "mtu", "1400", "up", "true")));
        backend.attach(NET, A);
        List<String> mr = siteA.take();
        assertTrue(mr.containsAll(List.of("ip link del dev " + T,
                "ip link add name " + T + " type ip6tnl mode any local fd00:1::2 remote fd00:a::2")), mr.toString());
        List<String> home = ha.take();
        assertTrue(home.contains(bindingUpdate("fd00:1::2")), home.toString());
        assertTrue(home.stream().noneMatch(c -> c.startsWith("ip link del") || c.startsWith("ip link add")),
                "the home agent's tunnel is not flapped: " + home);
    }

    @Test
    void releaseLeavesABridgeItDidNotMakeAndTakesOnlyItsAddresses() {
        siteA.links.put("brcampus", new java.util.HashMap<>(Map.of("info_kind", "bridge", "mtu", "1500")));
        backend.attach(NET, A);
        siteA.take();
        backend.release(NET, A);
        List<String> release = siteA.take();
        assertTrue(release.containsAll(List.of("ip -6 addr del fd00:20::1/64 dev brcampus",
                "ip -4 addr del 10.20.0.1/24 dev brcampus")), release.toString());
        assertTrue(release.stream().noneMatch(c -> c.equals("ip link del dev brcampus")), release.toString());
        assertTrue(siteA.links.containsKey("brcampus"));
    }

    @Test
    void anInterfaceOfTheBridgesNameThatIsNoBridgeIsRefused() {
        siteA.links.put("brcampus", new java.util.HashMap<>(Map.of("info_kind", "veth", "mtu", "1500")));
        DriverException e = assertThrows(DriverException.class, () -> backend.attach(NET, A));
        assertTrue(e.getMessage().contains("interface brcampus exists and is not a bridge (veth)"), e.getMessage());
    }
}
