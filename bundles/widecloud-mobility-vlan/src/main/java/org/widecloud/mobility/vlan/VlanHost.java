package org.widecloud.mobility.vlan;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HostExecutor;

/**
 * One host's side of a vlan network: {@code <uplink>.<vid>} in the network's bridge. Reads the host's links with one
 * {@code ip -d -j link show} and changes them with iproute2 argument vectors: a device is made with its master and
 * state in one command, then marked with the alias.
 */
final class VlanHost {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HostEndpoint host;
    private final HostExecutor exec;

    VlanHost(HostEndpoint host, HostExecutor exec) {
        this.host = host;
        this.exec = exec;
    }

    HostEndpoint endpoint() {
        return host;
    }

    /** What {@code <uplink>.<vid>} is on a host that carries the VLAN. */
    record Carried(String device, String uplink, String bridge, String state, boolean ours) {
    }

    /** Makes the VLAN device and the bridge, or checks and completes what is there; idempotent. */
    void ensure(VlanParameters p, String uplink, String bridge) {
        String dev = VlanParameters.device(uplink, p.vid());
        Links links = links();
        Map<String, Object> up = links.get(uplink);
        if (up == null) {
            throw fail("uplink " + uplink + " does not exist (parameters uplink.<site>)");
        }
        Map<String, Object> br = links.get(bridge);
        if (br == null) {
            check(addBridge(bridge));
            check(setAlias(bridge, p.alias()));
        } else if (!"bridge".equals(Links.kind(br))) {
            throw fail("interface " + bridge + " exists and is not a bridge");
        }
        Map<String, Object> d = links.get(dev);
        if (d == null) {
            check(addVlan(uplink, dev, p.vid(), bridge));
            check(setAlias(dev, p.alias()));
        } else {
            if (!"vlan".equals(Links.kind(d)) || !Objects.equals(Links.vlanId(d), p.vid())
                    || !uplink.equals(d.get("link"))) {
                throw fail("interface " + dev + " exists and is not VLAN " + p.vid() + " on " + uplink);
            }
            Object master = d.get("master");
            if (master != null && !bridge.equals(master)) {
                throw fail(dev + " is in bridge " + master + ", not in " + bridge);
            }
            if (master == null) {
                check(setMaster(dev, bridge));
            }
        }
        // Made above with "up"; what was there already may be down (an uplink nobody raised).
        if (!Links.isUp(up)) {
            check(setUp(uplink));
        }
        if (br != null && !Links.isUp(br)) {
            check(setUp(bridge));
        }
        if (d != null && !Links.isUp(d)) {
            check(setUp(dev));
        }
    }

    /**
     * Removes the VLAN device and the bridge when this backend made them and no other port (a VM) is left in the
     * bridge; leaves devices an operator made. Returns whether anything was removed.
     */
    boolean remove(VlanParameters p, String uplink, String bridge) {
        String dev = VlanParameters.device(uplink, p.vid());
        Links links = links();
        List<String> ports = links.portsOf(bridge);
        if (ports.stream().anyMatch(port -> !port.equals(dev))) {
            return false;
        }
        boolean removed = false;
        Map<String, Object> d = links.get(dev);
        if (d != null && "vlan".equals(Links.kind(d)) && p.alias().equals(d.get("ifalias"))) {
            check(delete(dev));
            removed = true;
        }
        Map<String, Object> br = links.get(bridge);
        if (br != null && "bridge".equals(Links.kind(br)) && p.alias().equals(br.get("ifalias"))
                && (d == null || removed)) {
            check(delete(bridge));
            removed = true;
        }
        return removed;
    }

    /** The VLAN device on this host, or null. */
    Carried read(VlanParameters p, String uplink) {
        String dev = VlanParameters.device(uplink, p.vid());
        Map<String, Object> d = links().get(dev);
        if (d == null || !"vlan".equals(Links.kind(d)) || !Objects.equals(Links.vlanId(d), p.vid())) {
            return null;
        }
        return new Carried(dev, String.valueOf(d.get("link")), (String) d.get("master"),
                String.valueOf(d.get("operstate")), p.alias().equals(d.get("ifalias")));
    }

    private Links links() {
        return Links.parse(check(List.of("ip", "-d", "-j", "link", "show")).stdout());
    }

    static List<String> addBridge(String bridge) {
        return List.of("ip", "link", "add", "name", bridge, "up", "type", "bridge");
    }

    static List<String> addVlan(String uplink, String dev, int vid, String bridge) {
        return List.of("ip", "link", "add", "link", uplink, "name", dev, "master", bridge, "up", "type", "vlan", "id",
                Integer.toString(vid));
    }

    /** A command of its own: "ip link add" accepts "alias" but sets nothing (iproute2 6.1). */
    static List<String> setAlias(String dev, String alias) {
        return List.of("ip", "link", "set", "dev", dev, "alias", alias);
    }

    static List<String> setMaster(String dev, String bridge) {
        return List.of("ip", "link", "set", "dev", dev, "master", bridge);
    }

    static List<String> setUp(String dev) {
        return List.of("ip", "link", "set", "dev", dev, "up");
    }

    static List<String> delete(String dev) {
        return List.of("ip", "link", "del", "dev", dev);
    }

    private HostExecutor.Result check(List<String> argv) {
        try {
            return exec.check(argv, TIMEOUT);
        } catch (DriverException e) {
            throw new DriverException(host.hostName() + ": " + e.getMessage(), e);
        }
    }

    private DriverException fail(String why) {
        return new DriverException(host.hostName() + ": " + why, null);
    }

    @Override
    public String toString() {
        return host.hostName();
    }
}
