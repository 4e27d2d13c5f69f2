package org.widecloud.mobility.nemo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.widecloud.api.spi.HostExecutor;

/**
 * A recording stand-in for one machine's iproute2 (the unit tests' executor; the real kernel data plane is tested in
 * {@code NemoFullKernelLabTest}): it remembers every argument vector and keeps just enough state (links, routes
 * through a device, rules, forwarding) to answer the backend's reads the way {@code ip -j} does.
 */
final class FakeHost implements HostExecutor {
    final List<List<String>> commands = new ArrayList<>();
    final Map<String, Map<String, String>> links = new LinkedHashMap<>();
    final Set<String> routes = new LinkedHashSet<>();
    final Set<String> rules = new LinkedHashSet<>();
    String forwarding = "1\n1\n";

    @Override
    public synchronized Result run(List<String> argv, Duration timeout) {
        commands.add(List.copyOf(argv));
        String line = String.join(" ", argv);
        if (argv.get(0).equals("sysctl")) {
            return argv.get(1).equals("-n") ? ok(forwarding) : ok("");
        }
        List<String> a = new ArrayList<>(argv.subList(1, argv.size()));
        String family = "";
        while (a.get(0).startsWith("-")) {
            String opt = a.remove(0);
            family = opt.equals("-4") || opt.equals("-6") ? opt : family;
        }
        if (line.startsWith("ip -d -j link show dev ")) {
            Map<String, String> l = links.get(a.get(3));
            return l == null ? fail("Device \"" + a.get(3) + "\" does not exist.") : ok(json(l));
        }
        if (line.startsWith("ip -o link show master ")) {
            return ok("");
        }
        if (a.get(0).equals("link")) {
            return link(a);
        }
        String op = a.get(1);
        if (a.get(0).equals("route") && op.equals("replace")) {
            routes.add(family + " " + String.join(" ", a.subList(2, a.size())));
            return ok("");
        }
        if (a.get(0).equals("route") && op.equals("show")) {
            StringBuilder out = new StringBuilder("[");
            for (String r : routes) {
                if (r.startsWith(family + " ") && r.endsWith(" dev " + a.get(3))) {
                    out.append(out.length() > 1 ? "," : "").append("{\"dst\":\"").append(r.split(" ")[1])
                            .append("\",\"flags\":[]}");
                }
            }
            return ok(out.append("]").toString());
        }
        if (a.get(0).equals("route") && op.equals("flush")) {
            String f = family;
            routes.removeIf(r -> r.startsWith(f + " ") && r.endsWith(" table " + a.get(3)));
            return ok("");
        }
        if (a.get(0).equals("rule")) {
            String rule = family + " " + String.join(" ", a.subList(2, a.size()));
            if (op.equals("add")) {
                return rules.add(rule) ? ok("") : fail("RTNETLINK answers: File exists");
            }
            return rules.remove(rule) ? ok("") : fail("RTNETLINK answers: No such file or directory");
        }
        return ok("");
    }

    private Result link(List<String> a) {
        String op = a.get(1);
        if (op.equals("add")) {
            String name = a.get(3);
            Map<String, String> l = new LinkedHashMap<>();
            l.put("info_kind", a.get(5));
            l.put("mtu", a.get(5).equals("ip6tnl") ? "1452" : "1500");
            for (int i = 6; i + 1 < a.size(); i += 2) {
                l.put(a.get(i).equals("mode") ? "proto" : a.get(i), a.get(i + 1));
            }
            links.put(name, l);
            return ok("");
        }
        Map<String, String> l = links.get(a.get(3));
        if (l == null) {
            return fail("Cannot find device \"" + a.get(3) + "\"");
        }
        if (op.equals("del")) {
            links.remove(a.get(3));
            routes.removeIf(r -> (r + " ").contains(" dev " + a.get(3) + " "));
            return ok("");
        }
        for (int i = 4; i < a.size(); i++) {
            switch (a.get(i)) {
                case "up" -> l.put("up", "true");
                case "mtu" -> l.put("mtu", a.get(++i));
                case "alias" -> l.put("ifalias", a.get(++i));
                case "address" -> l.put("address", a.get(++i));
                case "remote" -> l.put("remote", a.get(++i));
                default -> {
                }
            }
        }
        return ok("");
    }

    private static String json(Map<String, String> l) {
        StringBuilder data = new StringBuilder();
        for (String k : List.of("proto", "remote", "local")) {
            if (l.containsKey(k)) {
                data.append(data.length() > 0 ? "," : "").append('"').append(k).append("\":\"").append(l.get(k))
                        .append('"');
            }
        }
        return "[{\"ifindex\":6,\"link\":null,\"ifname\":\"x\",\"flags\":[" + (l.containsKey("up") ? "\"UP\"" : "")
                + "],\"mtu\":" + l.get("mtu")
                + ",\"linkinfo\":{\"info_kind\":\"" + l.get("info_kind") + "\",\"info_data\":{" + data + "}}"
                + (l.containsKey("ifalias") ? ",\"ifalias\":\"" + l.get("ifalias") + "\"" : "") + "}]";
    }

    /** The commands since the last call, as lines. */
    synchronized List<String> take() {
        List<String> out = commands.stream().map(c -> String.join(" ", c)).toList();
        commands.clear();
        return out;
    }

    private static Result ok(String out) {
        return new Result(0, out, "");
    }

    private static Result fail(String err) {
        return new Result(1, "", err + "\n");
    }
}
