package org.widecloud.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.widecloud.api.model.Nic;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.api.store.CloudStore.VmFilter;

/**
 * VMs with their NICs. Reads join a page of VMs (ordered by name, via the name index) to their NICs, so
 * a page costs one query plus the count, whatever its size.
 */
final class VmTable extends EntityTable<Vm> {
    private static final List<String> COLUMNS = List.of("id", "name", "owner_name", "host_id", "vcpus",
            "memory_mib", "image_id", "state", "state_reason", "created_at", "updated_at");
    private static final String NIC_COLUMNS = "n.network_id, n.ipv4, n.ipv6, n.mac";
    private static final String SELECT_ONE = "SELECT " + Jdbc.columns("v", COLUMNS) + ", v.version, "
            + NIC_COLUMNS + " FROM vms v LEFT JOIN vm_nics n ON n.vm_id = v.id WHERE v.%s = ? ORDER BY n.nic_index";
    private static final String BY_ID = SELECT_ONE.formatted("id");
    private static final String BY_NAME = SELECT_ONE.formatted("name");
    private static final String DELETE_NICS = "DELETE FROM vm_nics WHERE vm_id = ?";
    private static final String INSERT_NIC =
            "INSERT INTO vm_nics (vm_id, nic_index, network_id, ipv4, ipv6, mac) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String ALLOCATED =
            "SELECT COALESCE(SUM(vcpus), 0), COALESCE(SUM(memory_mib), 0) FROM vms WHERE host_id = ?";
    private static final String ADDRESSES = "SELECT ipv4, ipv6 FROM vm_nics WHERE network_id = ?";
    private static final String MAC_IN_USE = "SELECT 1 FROM vm_nics WHERE mac = ?";
    private static final String ON_NETWORK =
            "EXISTS (SELECT 1 FROM vm_nics f WHERE f.vm_id = vms.id AND f.network_id = ?)";
    private static final String COUNT_ON_NETWORK =
            "SELECT COUNT(DISTINCT vm_id) FROM vm_nics WHERE network_id = ?";

    VmTable() {
        super("VM", "vms", COLUMNS);
    }

    @Override
    Object[] values(Vm v) {
        return new Object[] {v.id(), v.name(), v.owner(), v.host(), v.vcpus(), v.memoryMiB(), v.image(), v.state(),
            v.stateReason(), v.created(), v.updated()};
    }

    @Override
    Vm read(ResultSet rs) throws SQLException {
        return new Vm(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getLong(6), rs.getString(7), List.of(), Jdbc.enumValue(VmState.class, rs.getString(8)),
                rs.getString(9), Jdbc.instant(rs, 10), Jdbc.instant(rs, 11), rs.getLong(12));
    }

    @Override
    Vm withVersion(Vm v, long version) {
        return new Vm(v.id(), v.name(), v.owner(), v.host(), v.vcpus(), v.memoryMiB(), v.image(), v.nics(),
                v.state(), v.stateReason(), v.created(), v.updated(), version);
    }

    private static Vm withNics(Vm v, List<Nic> nics) {
        return new Vm(v.id(), v.name(), v.owner(), v.host(), v.vcpus(), v.memoryMiB(), v.image(), nics, v.state(),
                v.stateReason(), v.created(), v.updated(), v.version());
    }

    @Override
    void afterWrite(Connection c, Vm vm) throws SQLException {
        Jdbc.update(c, DELETE_NICS, vm.id());
        if (vm.nics().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_NIC)) {
            int index = 0;
            for (Nic n : vm.nics()) {
                Jdbc.bind(ps, vm.id(), index++, n.network(), n.ipv4(), n.ipv6(), n.mac());
                if (vm.nics().size() == 1) {
                    ps.executeUpdate();
                    return;
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    Optional<Vm> byId(Connection c, String id) throws SQLException {
        return first(readJoined(c, BY_ID, id));
    }

    @Override
    Optional<Vm> byName(Connection c, String name) throws SQLException {
        return first(readJoined(c, BY_NAME, name));
    }

    Page<Vm> page(Connection c, PageRequest page, VmFilter filter) throws SQLException {
        Query q = query(filter);
        String sql = "SELECT " + Jdbc.columns("v", COLUMNS) + ", v.version, " + NIC_COLUMNS + " FROM ("
                + Jdbc.page("SELECT * FROM vms" + q.where + " ORDER BY " + q.orderBy)
                + ") v LEFT JOIN vm_nics n ON n.vm_id = v.id ORDER BY v.name, n.nic_index";
        List<Vm> items = readJoined(c, sql, withTrailing(q.args.toArray(), page.offset(), page.limit()));
        return new Page<>(items, count(c, q), page.offset(), page.limit());
    }

    long count(Connection c, VmFilter filter) throws SQLException {
        return count(c, query(filter));
    }

    long[] allocatedOn(Connection c, String hostId) throws SQLException {
        return Jdbc.one(c, ALLOCATED, rs -> new long[] {rs.getLong(1), rs.getLong(2)}, hostId)
                .orElse(new long[] {0, 0});
    }

    Set<String> addressesInUse(Connection c, String networkId) throws SQLException {
        Set<String> out = new HashSet<>();
        Jdbc.list(c, ADDRESSES, rs -> {
            addIfSet(out, rs.getString(1));
            addIfSet(out, rs.getString(2));
            return null;
        }, networkId);
        return out;
    }

    boolean macInUse(Connection c, String mac) throws SQLException {
        return Jdbc.one(c, MAC_IN_USE, rs -> Boolean.TRUE, mac).isPresent();
    }

    private static void addIfSet(Set<String> out, String s) {
        if (s != null) {
            out.add(s);
        }
    }

    private long count(Connection c, Query q) throws SQLException {
        return Jdbc.count(c, q.countSql, q.args.toArray());
    }

    /**
     * The SQL of a filtered list. Pages are read in index order, never sorted: with a host, image or state
     * filter the (column, name) index serves both the filter and the order. H2's planner takes that index
     * only when the query orders by both columns and constrains both ({@code name >= ''} is always true),
     * otherwise it picks the foreign key's one-column index and sorts every match. A network filter alone
     * walks the name index and probes each VM's NICs, so the first pages are cheap.
     */
    private record Query(String where, String orderBy, List<Object> args, String countSql) {
    }

    private static Query query(VmFilter f) {
        VmFilter filter = f == null ? VmFilter.none() : f;
        List<String> cond = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        String leading = null;
        if (filter.hostId() != null) {
            leading = "host_id";
            cond.add("host_id = ?");
            args.add(filter.hostId());
        }
        if (filter.imageId() != null) {
            leading = leading == null ? "image_id" : leading;
            cond.add("image_id = ?");
            args.add(filter.imageId());
        }
        if (filter.state() != null) {
            leading = leading == null ? "state" : leading;
            cond.add("state = ?");
            args.add(filter.state());
        }
        if (filter.networkId() != null) {
            cond.add(ON_NETWORK);
            args.add(filter.networkId());
        }
        String where = cond.isEmpty() ? "" : " WHERE " + String.join(" AND ", cond);
        if (leading == null) {
            boolean networkOnly = filter.networkId() != null;
            return new Query(where, "name", args, networkOnly ? COUNT_ON_NETWORK : "SELECT COUNT(*) FROM vms" + where);
        }
        return new Query(where + " AND name >= ''", leading + ", name", args, "SELECT COUNT(*) FROM vms" + where);
    }

    /** Rows come ordered by VM, then NIC index; a VM without NICs has one row with NULL NIC columns. */
    private List<Vm> readJoined(Connection c, String sql, Object... args) throws SQLException {
        List<Vm> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                Vm current = null;
                List<Nic> nics = new ArrayList<>();
                while (rs.next()) {
                    String id = rs.getString(1);
                    if (current == null || !current.id().equals(id)) {
                        if (current != null) {
                            out.add(withNics(current, nics));
                            nics = new ArrayList<>();
                        }
                        current = read(rs);
                    }
                    String network = rs.getString(13);
                    if (network != null) {
                        nics.add(new Nic(network, rs.getString(14), rs.getString(15), rs.getString(16)));
                    }
                }
                if (current != null) {
                    out.add(withNics(current, nics));
                }
            }
        }
        return out;
    }

    private static Optional<Vm> first(List<Vm> vms) {
        return vms.isEmpty() ? Optional.empty() : Optional.of(vms.get(0));
    }
}
