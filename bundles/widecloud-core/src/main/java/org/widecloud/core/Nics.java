package org.widecloud.core;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.widecloud.api.model.Network;
import org.widecloud.api.model.Nic;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.store.CloudStore;

/**
 * Turns the NICs of a request into NICs with fixed addresses: checks asked-for addresses (in the network's
 * prefix, assignable, free), gives the lowest free address to a NIC that asks for none, and a fresh MAC.
 */
final class Nics {
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CloudStore store;

    Nics(CloudStore store) {
        this.store = store;
    }

    List<Nic> resolve(List<Requests.NicRequest> requests) {
        if (requests == null) {
            return List.of();
        }
        if (requests.size() > 16) {
            throw new ValidationException("nics", "at most 16 NICs");
        }
        List<Nic> nics = new ArrayList<>();
        Set<String> usedHere = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            String f = "nics[" + i + "]";
            Requests.NicRequest r = requests.get(i);
            if (r == null) {
                throw new ValidationException(f, "is empty");
            }
            Network n = Refs.field(f + ".network", "network", r.network(), store::network, store::networkByName);
            Set<String> taken = new HashSet<>(store.addressesInUse(n.id()));
            String ipv4 = address(f + ".ipv4", r.ipv4(), n.ipv4Prefix(), false, n, taken, usedHere);
            String ipv6 = address(f + ".ipv6", r.ipv6(), n.ipv6Prefix(), true, n, taken, usedHere);
            String mac = mac(f + ".mac", r.mac(), usedHere);
            nics.add(new Nic(n.id(), ipv4, ipv6, mac));
        }
        return nics;
    }

    private static String address(String field, String asked, String prefix, boolean v6, Network n, Set<String> taken,
            Set<String> usedHere) {
        if (prefix == null) {
            if (asked != null) {
                throw new ValidationException(field, "network '" + n.name() + "' has no " + (v6 ? "IPv6" : "IPv4")
                        + " prefix");
            }
            return null;
        }
        Cidr cidr = Cidr.parse("prefix", prefix, v6);
        String key = n.id() + "/";
        if (asked == null) {
            Set<String> all = new HashSet<>(taken);
            usedHere.stream().filter(s -> s.startsWith(key)).forEach(s -> all.add(s.substring(key.length())));
            String free = cidr.firstFree(all);
            if (free == null) {
                throw new ConflictException(field, "network '" + n.name() + "' has no free " + (v6 ? "IPv6" : "IPv4")
                        + " address left in " + prefix);
            }
            usedHere.add(key + free);
            return free;
        }
        var value = Cidr.address(field, asked, v6);
        if (!cidr.contains(value)) {
            throw new ValidationException(field, asked + " is outside network '" + n.name() + "' (" + prefix + ")");
        }
        if (!cidr.assignable(value)) {
            throw new ValidationException(field, asked + " is the network, gateway or broadcast address of " + prefix);
        }
        String canonical = cidr.format(value);
        if (taken.contains(canonical) || !usedHere.add(key + canonical)) {
            throw new ConflictException(field, canonical + " is already taken on network '" + n.name() + "'");
        }
        return canonical;
    }

    private String mac(String field, String asked, Set<String> usedHere) {
        if (asked != null) {
            String m = asked.trim().toLowerCase(Locale.ROOT);
            if (!MAC.matcher(m).matches()) {
                throw new ValidationException(field, "'" + Names.printable(asked) + "' is not a MAC address (aa:bb:cc:dd:ee:ff)");
            }
            if ((Integer.parseInt(m.substring(0, 2), 16) & 1) != 0) {
                throw new ValidationException(field, m + " is a multicast address");
            }
            if (store.macInUse(m) || !usedHere.add("mac/" + m)) {
                throw new ConflictException(field, m + " is already in use");
            }
            return m;
        }
        while (true) {
            // 52:54:00 is the prefix QEMU/libvirt use for guests; locally administered, unicast.
            String m = String.format("52:54:00:%02x:%02x:%02x", RANDOM.nextInt(256), RANDOM.nextInt(256),
                    RANDOM.nextInt(256));
            if (!store.macInUse(m) && usedHere.add("mac/" + m)) {
                return m;
            }
        }
    }
}
