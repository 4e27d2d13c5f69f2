package org.widecloud.store.jdbc;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.widecloud.api.store.DuplicateException;
import org.widecloud.api.store.StoreException;

/**
 * Maps SQL failures to the store's exceptions. The violated constraint is read from the message (both H2
 * and PostgreSQL name it, quoted, before any value); the schema names constraints by suffix so that the
 * field is known: {@code _name_uq}, {@code _ipv4_uq}, {@code _ipv6_uq}, {@code _mac_uq}, {@code _pk} (H2
 * calls a primary key index {@code PRIMARY_KEY_n}), {@code _fk}.
 */
final class SqlErrors {
    private static final Pattern CONSTRAINT = Pattern.compile(
            "(?i)(primary_key|[a-z0-9_]*?_(?:name_uq|ipv4_uq|ipv6_uq|mac_uq|pk|fk))(?![a-z0-9])");

    /** Who refers to what, by foreign key, in words. */
    private static final Map<String, String[]> FOREIGN_KEYS = Map.ofEntries(
            Map.entry("hosts_site_fk", new String[] {"hosts", "site"}),
            Map.entry("vms_host_fk", new String[] {"VMs", "host"}),
            Map.entry("vms_image_fk", new String[] {"VMs", "image"}),
            Map.entry("vm_nics_network_fk", new String[] {"VM NICs", "network"}),
            Map.entry("vm_nics_vm_fk", new String[] {"VM NICs", "VM"}),
            Map.entry("network_parameters_network_fk", new String[] {"network parameters", "network"}),
            Map.entry("pools_site_fk", new String[] {"pools", "site"}),
            Map.entry("pool_parameters_pool_fk", new String[] {"pool parameters", "pool"}),
            Map.entry("volumes_pool_fk", new String[] {"volumes", "pool"}),
            Map.entry("volumes_vm_fk", new String[] {"volumes", "VM"}),
            Map.entry("volumes_image_fk", new String[] {"volumes", "image"}));

    private SqlErrors() {
    }

    /** A write to a {@code kind} record ({@code site}, {@code vm}, ...) with that id failed. */
    static StoreException write(SQLException e, String kind, String id) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String constraint = constraint(e);
        if (state.equals("23505") && constraint != null) {
            String field = uniqueField(constraint);
            return new DuplicateException(field, duplicateMessage(kind, id, field), e);
        }
        if (state.startsWith("23") && constraint != null && constraint.endsWith("_fk")) {
            String[] refs = FOREIGN_KEYS.getOrDefault(constraint, new String[] {"other records", "record"});
            // The deleted row is the referenced one when the constraint is not the kind's own.
            if (refs[1].equalsIgnoreCase(kind)) {
                return new StoreException(kind + " '" + id + "' is still used by " + refs[0], e);
            }
            return new StoreException(kind + " '" + id + "' refers to a " + refs[1] + " that does not exist", e);
        }
        return general(e);
    }

    static StoreException general(SQLException e) {
        return new StoreException("store failure (SQLState " + e.getSQLState() + "): " + e.getMessage(), e);
    }

    static String constraint(SQLException e) {
        String msg = e.getMessage();
        if (msg == null) {
            return null;
        }
        Matcher m = CONSTRAINT.matcher(msg);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    private static String uniqueField(String constraint) {
        if (constraint.endsWith("_name_uq")) {
            return "name";
        }
        if (constraint.endsWith("_ipv4_uq")) {
            return "ipv4";
        }
        if (constraint.endsWith("_ipv6_uq")) {
            return "ipv6";
        }
        if (constraint.endsWith("_mac_uq")) {
            return "mac";
        }
        return "id";
    }

    private static String duplicateMessage(String kind, String id, String field) {
        return switch (field) {
            case "name" -> "a " + kind + " with that name exists already";
            case "id" -> "a " + kind + " with id '" + id + "' exists already";
            case "ipv4" -> "an IPv4 address of " + kind + " '" + id + "' is already in use on its network";
            case "ipv6" -> "an IPv6 address of " + kind + " '" + id + "' is already in use on its network";
            default -> "a MAC address of " + kind + " '" + id + "' is already in use";
        };
    }
}
