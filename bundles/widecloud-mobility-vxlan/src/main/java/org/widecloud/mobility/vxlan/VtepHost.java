package org.widecloud.mobility.vxlan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HostExecutor;

/** One host's side of a vxlan network: its VXLAN device, bridge and FDB, changed with iproute2 argument vectors. */
final class VtepHost {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Marks a bridge this backend created, so that release removes it and nothing else (survives restarts). */
    static final String ALIAS_PREFIX = "widecloud-vxlan-";
    private static final Pattern VXLAN_ID = Pattern.compile("\\bvxlan id (\\d+)");
    private static final Pattern LOCAL = Pattern.compile("\\blocal (\\S+)");
    private static final Pattern DSTPORT = Pattern.compile("\\bdstport (\\d+)");
    private static final Pattern BRIDGE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private final HostEndpoint host;
    private final HostExecutor exec;
    private final String address;

    VtepHost(HostEndpoint host, HostExecutor exec) {
        this.host = host;
        this.exec = exec;
        this.address = Addresses.required(host.address(), host.hostName());
    }

    String address() {
        return address;
    }

    HostEndpoint endpoint() {
        return host;
    }

    static String bridge(String bridge) {
        if (bridge == null || !BRIDGE_NAME.matcher(bridge).matches()) {
            throw new DriverException("bridge '" + bridge + "' is not a Linux interface name (1-15 of A-Z a-z 0-9 "
                    + "_ . -)", null);
        }
        return bridge;
    }

    /** Whether the network's VXLAN device exists here. */
    boolean carries(VxlanParameters p) {
        return exec.run(List.of("ip", "-d", "-o", "link", "show", "dev", p.device()), TIMEOUT).exitCode() == 0;
    }

    /** Creates what is missing (device, bridge), fixes a device whose VTEP or port changed; idempotent. */
    void ensure(VxlanParameters p, String bridge) {
        String dev = p.device();
        HostExecutor.Result link = exec.run(List.of("ip", "-d", "-o", "link", "show", "dev", dev), TIMEOUT);
        if (link.exitCode() == 0) {
            String out = link.stdout();
            Matcher id = VXLAN_ID.matcher(out);
            if (!id.find() || Integer.parseInt(id.group(1)) != p.vni()) {
                throw new DriverException(host.hostName() + ": interface " + dev + " exists and is not the VXLAN "
                        + "device of VNI " + p.vni(), null);
            }
            Matcher local = LOCAL.matcher(out);
            Matcher port = DSTPORT.matcher(out);
            boolean sameLocal = local.find() && address.equals(Addresses.canonical(local.group(1)));
            boolean samePort = port.find() && Integer.parseInt(port.group(1)) == p.port();
            if (!sameLocal || !samePort) {
                check("ip", "link", "del", "dev", dev);
                link = null;
            }
        }
        if (link == null || link.exitCode() != 0) {
            check("ip", "link", "add", dev, "type", "vxlan", "id", Integer.toString(p.vni()), "local", address,
                    "dstport", Integer.toString(p.port()), "nolearning");
        }
        if (p.mtu() != null) {
            check("ip", "link", "set", "dev", dev, "mtu", p.mtu().toString());
        }
        if (exec.run(List.of("ip", "-o", "link", "show", "dev", bridge), TIMEOUT).exitCode() != 0) {
            check("ip", "link", "add", "name", bridge, "type", "bridge");
            check("ip", "link", "set", "dev", bridge, "alias", ALIAS_PREFIX + p.vni());
        }
        check("ip", "link", "set", "dev", dev, "master", bridge);
        check("ip", "link", "set", "dev", dev, "up");
        check("ip", "link", "set", "dev", bridge, "up");
    }

    /** Removes the device, and the bridge when this backend made it and nothing else is plugged into it. */
    void remove(VxlanParameters p, String bridge) {
        HostExecutor.Result del = exec.run(List.of("ip", "link", "del", "dev", p.device()), TIMEOUT);
        if (del.exitCode() != 0 && carries(p)) {
            throw new DriverException(host.hostName() + ": ip link del dev " + p.device() + ": "
                    + del.stderr().strip(), null);
        }
        HostExecutor.Result br = exec.run(List.of("ip", "-d", "-o", "link", "show", "dev", bridge), TIMEOUT);
        if (br.exitCode() == 0 && br.stdout().contains("alias " + ALIAS_PREFIX + p.vni())) {
            HostExecutor.Result ports = exec.run(List.of("ip", "-o", "link", "show", "master", bridge), TIMEOUT);
            if (ports.exitCode() == 0 && ports.stdout().isBlank()) {
                check("ip", "link", "del", "dev", bridge);
            }
        }
    }

    Fdb fdb(VxlanParameters p) {
        return Fdb.parse(check("bridge", "fdb", "show", "dev", p.device()).stdout());
    }

    static List<String> addFlood(VxlanParameters p, String dst) {
        return List.of("bridge", "fdb", "append", Fdb.ALL_ZERO, "dev", p.device(), "dst", dst);
    }

    static List<String> delFlood(VxlanParameters p, String dst) {
        return List.of("bridge", "fdb", "del", Fdb.ALL_ZERO, "dev", p.device(), "dst", dst);
    }

    /** One command that points MAC at VTEP {@code dst}, whatever the entry said before. */
    static List<String> pointMac(VxlanParameters p, String mac, String dst) {
        return List.of("bridge", "fdb", "replace", mac, "dev", p.device(), "dst", dst, "self", "permanent");
    }

    static List<String> delMac(VxlanParameters p, String mac) {
        return List.of("bridge", "fdb", "del", mac, "dev", p.device(), "self");
    }

    HostExecutor.Result run(List<String> argv) {
        return exec.run(argv, TIMEOUT);
    }

    HostExecutor.Result check(List<String> argv) {
        try {
            return exec.check(argv, TIMEOUT);
        } catch (DriverException e) {
            throw new DriverException(host.hostName() + ": " + e.getMessage(), e);
        }
    }

    private HostExecutor.Result check(String... argv) {
        return check(new ArrayList<>(List.of(argv)));
    }

    @Override
    public String toString() {
        return host.hostName() + "(" + address + ")";
    }
}
