package org.widecloud.storage.iscsi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code tgtadm --lld iscsi --mode target --op show} says: the targets of one tgtd, by name. */
record TgtTargets(Map<String, Target> byName) {
    private static final Pattern TARGET = Pattern.compile("^Target (\\d+): (\\S+)\\s*$");
    private static final Pattern SECTION = Pattern.compile("^ {4}(\\S.*):\\s*$");

    /** One target: its tid, its LUNs' backing files, how many initiators are logged in, its accounts and ACL. */
    record Target(int tid, String name, List<String> backingFiles, int sessions, List<String> accounts,
            List<String> acl) {
    }

    static TgtTargets parse(String show) {
        Map<String, Target> out = new LinkedHashMap<>();
        Builder b = null;
        String section = "";
        for (String line : show.split("\n")) {
            Matcher t = TARGET.matcher(line);
            if (t.matches()) {
                if (b != null) {
                    out.put(b.name, b.build());
                }
                b = new Builder(Integer.parseInt(t.group(1)), t.group(2));
                section = "";
                continue;
            }
            if (b == null) {
                continue;
            }
            Matcher s = SECTION.matcher(line);
            if (s.matches()) {
                section = s.group(1);
                continue;
            }
            String v = line.strip();
            switch (section) {
                case "I_T nexus information" -> {
                    if (v.startsWith("I_T nexus:")) {
                        b.sessions++;
                    }
                }
                case "LUN information" -> {
                    if (v.startsWith("Backing store path:")) {
                        String path = v.substring("Backing store path:".length()).strip();
                        if (path.startsWith("/")) {
                            b.files.add(path);
                        }
                    }
                }
                case "Account information" -> {
                    if (!v.isEmpty()) {
                        b.accounts.add(v.split("\\s+")[0]);
                    }
                }
                case "ACL information" -> {
                    if (!v.isEmpty()) {
                        b.acl.add(v);
                    }
                }
                default -> {
                }
            }
        }
        if (b != null) {
            out.put(b.name, b.build());
        }
        return new TgtTargets(Map.copyOf(out));
    }

    Target get(String name) {
        return byName.get(name);
    }

    /** The lowest tid no target uses (tids start at 1). */
    int freeTid() {
        java.util.Set<Integer> used = new java.util.HashSet<>();
        byName.values().forEach(t -> used.add(t.tid()));
        int tid = 1;
        while (used.contains(tid)) {
            tid++;
        }
        return tid;
    }

    private static final class Builder {
        final int tid;
        final String name;
        final List<String> files = new ArrayList<>();
        final List<String> accounts = new ArrayList<>();
        final List<String> acl = new ArrayList<>();
        int sessions;

        Builder(int tid, String name) {
            this.tid = tid;
            this.name = name;
        }

        Target build() {
            return new Target(tid, name, List.copyOf(files), sessions, List.copyOf(accounts), List.copyOf(acl));
        }
    }
}
