package org.widecloud.mobility.vlan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A host's links as {@code ip -d -j link show} prints them, by name. */
final class Links {
    private final Map<String, Map<String, Object>> byName = new HashMap<>();

    private Links() {
    }

    static Links parse(String json) {
        Links l = new Links();
        for (Map<String, Object> link : Json.links(json)) {
            Object name = link.get("ifname");
            if (name instanceof String n) {
                l.byName.put(n, link);
            }
        }
        return l;
    }

    Map<String, Object> get(String name) {
        return byName.get(name);
    }

    /** Names of the links enslaved to {@code bridge}. */
    List<String> portsOf(String bridge) {
        return byName.entrySet().stream().filter(e -> bridge.equals(e.getValue().get("master"))).map(Map.Entry::getKey)
                .sorted().toList();
    }

    static String kind(Map<String, Object> link) {
        return info(link).get("info_kind") instanceof String k ? k : null;
    }

    static Integer vlanId(Map<String, Object> link) {
        return data(link).get("id") instanceof Double d ? d.intValue() : null;
    }

    static boolean isUp(Map<String, Object> link) {
        return link.get("flags") instanceof List<?> flags && flags.contains("UP");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> info(Map<String, Object> link) {
        return link.get("linkinfo") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> link) {
        return info(link).get("info_data") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
