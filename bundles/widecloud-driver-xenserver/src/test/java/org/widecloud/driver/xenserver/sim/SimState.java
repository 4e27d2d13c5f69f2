package org.widecloud.driver.xenserver.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The state of one simulated pool and XAPI's calls on it. One monitor guards everything; {@code event.from}
 * waits on it. Records are maps of XAPI's field names; int64 fields are strings, as XAPI marshals them.
 */
final class SimState {
    static final String NULL = "OpaqueRef:NULL";

    /** An XAPI failure: its ErrorDescription. */
    static final class Failure extends RuntimeException {
        final List<String> description;

        Failure(String... d) {
            super(String.join(" ", d), null, false, false);
            this.description = List.of(d);
        }

        Failure(List<String> d) {
            super(String.join(" ", d), null, false, false);
            this.description = List.copyOf(d);
        }
    }

    private record Obj(String cls, Map<String, Object> fields) {
    }

    private record Event(long id, String cls, String op, String ref, Map<String, Object> snapshot) {
    }

    private final XapiSimulator owner;
    private final String user;
    private final String password;
    private final ScheduledExecutorService clock;
    private final Map<String, Obj> objects = new LinkedHashMap<>();
    private final Set<String> sessions = new HashSet<>();
    private final List<Event> events = new ArrayList<>();
    private final Set<String> deafGuests = new HashSet<>();
    private final Map<String, List<String>> failures = new HashMap<>();
    /** Clean shutdown tasks a deaf guest never finishes, by VM ref. */
    private final Map<String, String> pendingShutdown = new HashMap<>();
    private final String pool;
    private final String sr;
    private long generation;
    /** Tokens older than this get EVENTS_LOST, as XAPI answers when its event queue no longer reaches back. */
    private long eventFloor;

    SimState(XapiSimulator owner, String poolName, String user, String password, List<String> hostNames,
            ScheduledExecutorService clock) {
        this.owner = owner;
        this.user = user;
        this.password = password;
        this.clock = clock;
        sr = create("SR", record("name_label", poolName + "-local", "type", "ext", "VDIs", new ArrayList<>(),
                "physical_size", "1099511627776", "shared", false, "other_config", new LinkedHashMap<>()));
        String master = null;
        Map<String, Object> pool = record("name_label", poolName, "default_SR", sr, "other_config",
                new LinkedHashMap<>());
        for (String h : hostNames) {
            String metrics = create("host_metrics", record("memory_total", Long.toString(64L << 30),
                    "memory_free", Long.toString(60L << 30), "live", true));
            String ref = create("host", record("name_label", h, "hostname", h + ".sim", "address", "127.0.0.1",
                    "enabled", true, "metrics", metrics, "cpu_info", Map.of("cpu_count", "8", "vendor", "sim"),
                    "software_version", Map.of("product_brand", "XenServer", "product_version", "8.4.0",
                            "xen", "4.17.5", "xapi", "24.0"),
                    "PIFs", new ArrayList<>(), "resident_VMs", new ArrayList<>(), "other_config",
                    new LinkedHashMap<>()));
            if (master == null) {
                master = ref;
            }
        }
        pool.put("master", master);
        this.pool = create("pool", pool);
        String mgmt = networkRef(addNetwork("management", "xenbr0"));
        for (Map.Entry<String, Obj> e : List.copyOf(objects.entrySet())) {
            if (e.getValue().cls().equals("host")) {
                String pif = create("PIF", record("device", "eth0", "host", e.getKey(), "network", mgmt,
                        "management", true, "MAC", "aa:bb:cc:00:00:01"));
                list(e.getValue().fields(), "PIFs").add(pif);
            }
        }
    }

    // ------------------------------------------------------------------ dispatch

    synchronized Object dispatch(String method, List<Object> args) {
        List<String> injected = failures.remove(method);
        if (injected != null) {
            throw new Failure(injected);
        }
        if (method.equals("session.login_with_password")) {
            return login(args);
        }
        if (args.isEmpty()) {
            throw new Failure("MESSAGE_PARAMETER_COUNT_MISMATCH", method, "1", "0");
        }
        String session = String.valueOf(args.remove(0));
        if (!sessions.contains(session)) {
            throw new Failure("SESSION_INVALID", session);
        }
        boolean async = method.startsWith("Async.");
        String m = async ? method.substring("Async.".length()) : method;
        int dot = m.indexOf('.');
        if (dot < 0) {
            throw new Failure("MESSAGE_METHOD_UNKNOWN", method);
        }
        String cls = m.substring(0, dot);
        String op = m.substring(dot + 1);
        return switch (m) {
            case "session.logout" -> {
                count(method, args, 0);
                sessions.remove(session);
                yield "";
            }
            case "event.from" -> eventFrom(method, args);
            case "VM.create" -> vmCreate(method, args);
            case "VM.destroy" -> vmDestroy(method, args);
            case "VM.start", "VM.start_on", "VM.resume", "VM.resume_on" -> vmStart(method, op, args);
            case "VM.clean_shutdown" -> vmCleanShutdown(method, args, async);
            case "VM.hard_shutdown" -> {
                count(method, args, 1);
                String vm = ref("VM", args.get(0));
                needState(vm, "Running", "Paused", "Suspended");
                halt(vm);
                yield "";
            }
            case "VM.clean_reboot", "VM.hard_reboot" -> {
                count(method, args, 1);
                String vm = ref("VM", args.get(0));
                needState(vm, "Running");
                if (m.equals("VM.clean_reboot") && deafGuests.contains(widecloudId(vm))) {
                    throw new Failure("VM_SHUTDOWN_TIMEOUT", vm, "1200");
                }
                Map<String, Object> r = objects.get(vm).fields();
                r.put("domid", Long.toString(Long.parseLong(String.valueOf(r.get("domid"))) + 1));
                changed(vm);
                yield "";
            }
            case "VM.pause" -> setPower(method, args, "Running", "Paused");
            case "VM.unpause" -> setPower(method, args, "Paused", "Running");
            case "VM.suspend" -> {
                count(method, args, 1);
                String vm = ref("VM", args.get(0));
                needState(vm, "Running");
                halt(vm);
                objects.get(vm).fields().put("power_state", "Suspended");
                changed(vm);
                yield "";
            }
            case "VM.pool_migrate" -> poolMigrate(method, args, async);
            case "VM.migrate_send" -> migrateSend(method, args, async);
            case "host.migrate_receive" -> migrateReceive(method, args);
            case "VBD.create" -> deviceCreate(method, args, "VBD");
            case "VIF.create" -> deviceCreate(method, args, "VIF");
            case "task.cancel" -> {
                count(method, args, 1);
                String task = ref("task", args.get(0));
                Map<String, Object> t = objects.get(task).fields();
                if (t.get("status").equals("pending")) {
                    finishTask(task, "cancelled", List.of("TASK_CANCELLED", task), "");
                }
                yield "";
            }
            case "task.destroy" -> {
                count(method, args, 1);
                remove(ref("task", args.get(0)));
                yield "";
            }
            default -> generic(method, cls, op, args);
        };
    }

    private Object login(List<Object> args) {
        if (args.size() != 2 && args.size() != 4) {
            throw new Failure("MESSAGE_PARAMETER_COUNT_MISMATCH", "session.login_with_password", "4",
                    Integer.toString(args.size()));
        }
        if (!user.equals(args.get(0)) || !password.equals(args.get(1))) {
            throw new Failure("SESSION_AUTHENTICATION_FAILED", String.valueOf(args.get(0)),
                    "Authentication failure");
        }
        String s = "OpaqueRef:" + UUID.randomUUID();
        sessions.add(s);
        return s;
    }

    /** get_record, get_all, get_all_records, get_by_uuid, get_by_name_label, get_FIELD, set_FIELD. */
    private Object generic(String method, String cls, String op, List<Object> args) {
        if (!isClass(cls)) {
            throw new Failure("MESSAGE_METHOD_UNKNOWN", method);
        }
        switch (op) {
            case "get_all":
                count(method, args, 0);
                return refsOf(cls);
            case "get_all_records":
                count(method, args, 0);
                Map<String, Object> all = new LinkedHashMap<>();
                for (String r : refsOf(cls)) {
                    all.put(r, copy(objects.get(r).fields()));
                }
                return all;
            case "get_record":
                count(method, args, 1);
                return copy(objects.get(ref(cls, args.get(0))).fields());
            case "get_by_uuid":
                count(method, args, 1);
                for (String r : refsOf(cls)) {
                    if (args.get(0).equals(objects.get(r).fields().get("uuid"))) {
                        return r;
                    }
                }
                throw new Failure("UUID_INVALID", cls, String.valueOf(args.get(0)));
            case "get_by_name_label":
                count(method, args, 1);
                List<Object> found = new ArrayList<>();
                for (String r : refsOf(cls)) {
                    if (args.get(0).equals(objects.get(r).fields().get("name_label"))) {
                        found.add(r);
                    }
                }
                return found;
            default:
                break;
        }
        if (op.startsWith("get_")) {
            count(method, args, 1);
            Map<String, Object> r = objects.get(ref(cls, args.get(0))).fields();
            String field = op.substring(4);
            if (!r.containsKey(field)) {
                throw new Failure("MESSAGE_METHOD_UNKNOWN", method);
            }
            return copyValue(r.get(field));
        }
        if (op.startsWith("set_")) {
            count(method, args, 2);
            String ref = ref(cls, args.get(0));
            String field = op.substring(4);
            if (field.equals("affinity") && !NULL.equals(args.get(1))) {
                ref("host", args.get(1));
            }
            objects.get(ref).fields().put(field, copyValue(args.get(1)));
            changed(ref);
            return "";
        }
        throw new Failure("MESSAGE_METHOD_UNKNOWN", method);
    }

    // ------------------------------------------------------------------ VM lifecycle

    private static final String[] VM_FIELDS = {"name_label", "name_description", "user_version", "is_a_template",
        "affinity", "memory_static_max", "memory_dynamic_max", "memory_dynamic_min", "memory_static_min",
        "VCPUs_params", "VCPUs_max", "VCPUs_at_startup", "actions_after_shutdown", "actions_after_reboot",
        "actions_after_crash", "PV_bootloader", "PV_kernel", "PV_ramdisk", "PV_args", "PV_bootloader_args",
        "PV_legacy_args", "HVM_boot_policy", "HVM_boot_params", "platform", "PCI_bus", "other_config",
        "recommendations"};
    private static final Set<String> INT_FIELDS = Set.of("user_version", "memory_static_max", "memory_dynamic_max",
            "memory_dynamic_min", "memory_static_min", "VCPUs_max", "VCPUs_at_startup", "start_delay",
            "shutdown_delay", "order", "version", "hardware_platform_version");
    private static final Set<String> MAP_FIELDS = Set.of("VCPUs_params", "HVM_boot_params", "platform",
            "other_config", "xenstore_data", "blocked_operations");

    private Object vmCreate(String method, List<Object> args) {
        count(method, args, 1);
        if (!(args.get(0) instanceof Map<?, ?> given)) {
            throw new Failure("FIELD_TYPE_ERROR", "args");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        given.forEach((k, v) -> r.put(String.valueOf(k), copyValue(v)));
        for (String f : VM_FIELDS) {
            if (!r.containsKey(f)) {
                throw new Failure("FIELD_TYPE_ERROR", f);
            }
        }
        for (Map.Entry<String, Object> e : r.entrySet()) {
            if (INT_FIELDS.contains(e.getKey())) {
                try {
                    Long.parseLong(String.valueOf(e.getValue()));
                } catch (NumberFormatException nfe) {
                    throw new Failure("FIELD_TYPE_ERROR", e.getKey());
                }
                if (!(e.getValue() instanceof String)) {
                    throw new Failure("FIELD_TYPE_ERROR", e.getKey()); // XAPI wants int64 as strings
                }
            }
            if (MAP_FIELDS.contains(e.getKey()) && !(e.getValue() instanceof Map)) {
                throw new Failure("FIELD_TYPE_ERROR", e.getKey());
            }
        }
        long smin = num(r, "memory_static_min");
        long dmin = num(r, "memory_dynamic_min");
        long dmax = num(r, "memory_dynamic_max");
        long smax = num(r, "memory_static_max");
        if (!(smin <= dmin && dmin <= dmax && dmax <= smax) || smax <= 0) {
            throw new Failure("MEMORY_CONSTRAINT_VIOLATION",
                    "memory limits must satisfy: static_min <= dynamic_min <= dynamic_max <= static_max");
        }
        if (num(r, "VCPUs_at_startup") < 1 || num(r, "VCPUs_at_startup") > num(r, "VCPUs_max")) {
            throw new Failure("VCPU_CONSTRAINT_VIOLATION", "VCPUs_at_startup must be between 1 and VCPUs_max");
        }
        String aff = String.valueOf(r.get("affinity"));
        if (!NULL.equals(aff)) {
            ref("host", aff);
        }
        r.put("power_state", "Halted");
        r.put("resident_on", NULL);
        r.put("is_control_domain", false);
        r.put("is_a_snapshot", false);
        r.put("domid", "-1");
        r.put("VBDs", new ArrayList<>());
        r.put("VIFs", new ArrayList<>());
        r.putIfAbsent("tags", new ArrayList<>());
        return create("VM", r);
    }

    private Object vmDestroy(String method, List<Object> args) {
        count(method, args, 1);
        String vm = ref("VM", args.get(0));
        needState(vm, "Halted", "Suspended");
        Map<String, Object> r = objects.get(vm).fields();
        for (Object d : list(r, "VBDs")) {
            remove(String.valueOf(d));
        }
        for (Object d : list(r, "VIFs")) {
            remove(String.valueOf(d));
        }
        remove(vm);
        return "";
    }

    private Object vmStart(String method, String op, List<Object> args) {
        boolean on = op.endsWith("_on");
        count(method, args, on ? 4 : 3);
        String vm = ref("VM", args.get(0));
        Map<String, Object> r = objects.get(vm).fields();
        needState(vm, op.startsWith("resume") ? "Suspended" : "Halted");
        String host;
        if (on) {
            host = ref("host", args.get(1));
        } else {
            String aff = String.valueOf(r.get("affinity"));
            host = NULL.equals(aff) ? String.valueOf(objects.get(pool).fields().get("master")) : aff;
        }
        Map<String, Object> metrics = objects.get(String.valueOf(objects.get(host).fields().get("metrics"))).fields();
        long need = num(r, "memory_static_max");
        long free = num(metrics, "memory_free");
        if (need > free) {
            throw new Failure("HOST_NOT_ENOUGH_FREE_MEMORY", Long.toString(need), Long.toString(free));
        }
        boolean paused = Boolean.TRUE.equals(args.get(on ? 2 : 1));
        place(vm, host);
        r.put("power_state", paused ? "Paused" : "Running");
        r.put("domid", Integer.toString(1 + (int) (generation % 1000)));
        changed(vm);
        return "";
    }

    private Object vmCleanShutdown(String method, List<Object> args, boolean async) {
        count(method, args, 1);
        String vm = ref("VM", args.get(0));
        needState(vm, "Running");
        boolean deaf = deafGuests.contains(widecloudId(vm));
        if (!async) {
            if (deaf) {
                throw new Failure("VM_SHUTDOWN_TIMEOUT", vm, "1200");
            }
            halt(vm);
            return "";
        }
        String task = newTask("VM.clean_shutdown");
        if (!deaf) {
            XapiSimulator.schedule(clock, () -> {
                synchronized (this) {
                    if (objects.containsKey(vm) && "Running".equals(objects.get(vm).fields().get("power_state"))) {
                        halt(vm);
                    }
                    if (objects.containsKey(task) && "pending".equals(objects.get(task).fields().get("status"))) {
                        finishTask(task, "success", List.of(), "");
                    }
                }
            }, XapiSimulator.STEP_MS);
        } else {
            pendingShutdown.put(vm, task);
        }
        return task;
    }

    private Object setPower(String method, List<Object> args, String from, String to) {
        count(method, args, 1);
        String vm = ref("VM", args.get(0));
        needState(vm, from);
        objects.get(vm).fields().put("power_state", to);
        changed(vm);
        return "";
    }

    /** Halts a VM: off its host, memory given back; a pending clean shutdown task of a deaf guest fails. */
    private void halt(String vm) {
        Map<String, Object> r = objects.get(vm).fields();
        unplace(vm);
        r.put("power_state", "Halted");
        r.put("domid", "-1");
        Object pending = pendingShutdown.remove(vm);
        if (pending != null && objects.containsKey(String.valueOf(pending))
                && "pending".equals(objects.get(String.valueOf(pending)).fields().get("status"))) {
            finishTask(String.valueOf(pending), "failure", List.of("VM_BAD_POWER_STATE", vm, "running", "halted"), "");
        }
        changed(vm);
    }

    private void place(String vm, String host) {
        Map<String, Object> r = objects.get(vm).fields();
        r.put("resident_on", host);
        list(objects.get(host).fields(), "resident_VMs").add(vm);
        Map<String, Object> metrics = objects.get(String.valueOf(objects.get(host).fields().get("metrics"))).fields();
        metrics.put("memory_free", Long.toString(num(metrics, "memory_free") - num(r, "memory_static_max")));
        changed(host);
    }

    private void unplace(String vm) {
        Map<String, Object> r = objects.get(vm).fields();
        String host = String.valueOf(r.get("resident_on"));
        if (!NULL.equals(host) && objects.containsKey(host)) {
            list(objects.get(host).fields(), "resident_VMs").remove(vm);
            Map<String, Object> metrics = objects.get(String.valueOf(objects.get(host).fields().get("metrics")))
                    .fields();
            metrics.put("memory_free", Long.toString(num(metrics, "memory_free") + num(r, "memory_static_max")));
            changed(host);
        }
        r.put("resident_on", NULL);
    }

    private Object deviceCreate(String method, List<Object> args, String cls) {
        count(method, args, 1);
        if (!(args.get(0) instanceof Map<?, ?> given)) {
            throw new Failure("FIELD_TYPE_ERROR", "args");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        given.forEach((k, v) -> r.put(String.valueOf(k), copyValue(v)));
        List<String> required = cls.equals("VBD")
                ? List.of("VM", "VDI", "userdevice", "bootable", "mode", "type", "unpluggable", "empty",
                        "other_config", "qos_algorithm_type", "qos_algorithm_params")
                : List.of("device", "network", "VM", "MAC", "MTU", "other_config", "qos_algorithm_type",
                        "qos_algorithm_params");
        for (String f : required) {
            if (!r.containsKey(f)) {
                throw new Failure("FIELD_TYPE_ERROR", f);
            }
        }
        String vm = ref("VM", r.get("VM"));
        if (cls.equals("VBD")) {
            ref("VDI", r.get("VDI"));
            if (!Set.of("RO", "RW").contains(String.valueOf(r.get("mode")))) {
                throw new Failure("FIELD_TYPE_ERROR", "mode");
            }
            r.put("currently_attached", false);
        } else {
            ref("network", r.get("network"));
            if (String.valueOf(r.get("MAC")).isEmpty()) {
                r.put("MAC", String.format("c2:00:00:%02x:%02x:%02x", generation & 0xff, (generation >> 8) & 0xff,
                        objects.size() & 0xff));
            }
            r.put("currently_attached", false);
        }
        for (Object d : list(objects.get(vm).fields(), cls + "s")) {
            Map<String, Object> other = objects.get(String.valueOf(d)).fields();
            String key = cls.equals("VBD") ? "userdevice" : "device";
            if (other.get(key).equals(r.get(key))) {
                throw new Failure("DEVICE_ALREADY_EXISTS", String.valueOf(r.get(key)));
            }
        }
        String ref = create(cls, r);
        list(objects.get(vm).fields(), cls + "s").add(ref);
        changed(vm);
        return ref;
    }

    // ------------------------------------------------------------------ migration

    private Object poolMigrate(String method, List<Object> args, boolean async) {
        count(method, args, 3);
        String vm = ref("VM", args.get(0));
        String host = ref("host", args.get(1));
        needState(vm, "Running");
        if (host.equals(objects.get(vm).fields().get("resident_on"))) {
            throw new Failure("HOST_CANNOT_ATTACH_NETWORK", host, "the VM runs on this host already");
        }
        String task = newTask("VM.pool_migrate");
        Runnable done = () -> {
            unplace(vm);
            place(vm, host);
            changed(vm);
            finishTask(task, "success", List.of(), "");
        };
        progressThen(task, vm, done);
        if (!async) {
            throw new Failure("INTERNAL_ERROR", "the simulator implements pool_migrate as Async only");
        }
        return task;
    }

    private Object migrateReceive(String method, List<Object> args) {
        count(method, args, 3);
        String host = ref("host", args.get(0));
        ref("network", args.get(1));
        String s = "OpaqueRef:" + UUID.randomUUID();
        sessions.add(s);
        Map<String, Object> dest = new LinkedHashMap<>();
        dest.put("SM", owner.url() + "services/SM?session_id=" + s);
        dest.put("host", host);
        dest.put("xenops", owner.url() + "services/xenops?session_id=" + s);
        dest.put("session_id", s);
        dest.put("master", owner.url());
        return dest;
    }

    private Object migrateSend(String method, List<Object> args, boolean async) {
        if (args.size() != 6 && args.size() != 7) {
            throw new Failure("MESSAGE_PARAMETER_COUNT_MISMATCH", method, "8", Integer.toString(args.size() + 1));
        }
        String vm = ref("VM", args.get(0));
        Map<?, ?> dest = args.get(1) instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> vdiMap = args.get(3) instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> vifMap = args.get(4) instanceof Map<?, ?> m ? m : Map.of();
        needState(vm, "Running");
        XapiSimulator target = XapiSimulator.byBase(String.valueOf(dest.get("master")));
        if (target == null) {
            throw new Failure("VM_MIGRATE_FAILED", vm, "", "", "cannot reach " + dest.get("master"));
        }
        Map<String, Object> r = objects.get(vm).fields();
        List<Map<String, Object>> vbds = new ArrayList<>();
        for (Object d : list(r, "VBDs")) {
            Map<String, Object> vbd = copy(objects.get(String.valueOf(d)).fields());
            if (!NULL.equals(vbd.get("VDI")) && !vdiMap.containsKey(vbd.get("VDI"))) {
                throw new Failure("VDI_NOT_IN_MAP", String.valueOf(vbd.get("VDI")));
            }
            vbd.put("target_SR", vdiMap.get(vbd.get("VDI")));
            vbd.put("vdi_record", copy(objects.get(String.valueOf(vbd.get("VDI"))).fields()));
            vbds.add(vbd);
        }
        List<Map<String, Object>> vifs = new ArrayList<>();
        for (Object d : list(r, "VIFs")) {
            Map<String, Object> vif = copy(objects.get(String.valueOf(d)).fields());
            if (!vifMap.containsKey(d)) {
                throw new Failure("VIF_NOT_IN_MAP", String.valueOf(d));
            }
            vif.put("network", vifMap.get(d));
            vifs.add(vif);
        }
        String task = newTask("VM.migrate_send");
        Map<String, Object> moving = copy(r);
        progressThen(task, vm, () -> {
            try {
                target.state().receive(String.valueOf(dest.get("session_id")), String.valueOf(dest.get("host")),
                        moving, vbds, vifs);
            } catch (Failure f) {
                finishTask(task, "failure", f.description, "");
                return;
            }
            unplace(vm);
            for (Object d : list(r, "VBDs")) {
                Object vdi = objects.get(String.valueOf(d)).fields().get("VDI");
                remove(String.valueOf(d));
                if (vdi != null && objects.containsKey(String.valueOf(vdi))) {
                    remove(String.valueOf(vdi)); // storage motion: the source copy goes away
                }
            }
            for (Object d : list(r, "VIFs")) {
                remove(String.valueOf(d));
            }
            remove(vm);
            finishTask(task, "success", List.of(), "");
        });
        return task;
    }

    /** The receiving end of migrate_send: the VM arrives running, same uuid and other_config. */
    synchronized void receive(String session, String host, Map<String, Object> vm, List<Map<String, Object>> vbds,
            List<Map<String, Object>> vifs) {
        if (!sessions.contains(session)) {
            throw new Failure("SESSION_INVALID", session);
        }
        ref("host", host);
        Map<String, Object> r = copy(vm);
        r.put("resident_on", NULL);
        r.put("affinity", NULL);
        r.put("VBDs", new ArrayList<>());
        r.put("VIFs", new ArrayList<>());
        String ref = create("VM", r, String.valueOf(vm.get("uuid")));
        for (Map<String, Object> vbd : vbds) {
            String srRef = String.valueOf(vbd.remove("target_SR"));
            ref("SR", srRef);
            @SuppressWarnings("unchecked")
            Map<String, Object> vdi = (Map<String, Object>) vbd.remove("vdi_record");
            vdi.put("SR", srRef);
            String vdiRef = create("VDI", vdi);
            list(objects.get(srRef).fields(), "VDIs").add(vdiRef);
            vbd.put("VDI", vdiRef);
            vbd.put("VM", ref);
            list(r, "VBDs").add(create("VBD", vbd));
        }
        for (Map<String, Object> vif : vifs) {
            ref("network", vif.get("network"));
            vif.put("VM", ref);
            list(r, "VIFs").add(create("VIF", vif));
        }
        r.put("power_state", "Halted");
        place(ref, host);
        r.put("power_state", "Running");
        changed(ref);
    }

    /** A migration's task: progress 0.3, 0.7, then {@code done}. */
    private void progressThen(String task, String vm, Runnable done) {
        long step = XapiSimulator.STEP_MS;
        for (double p : new double[] {0.3, 0.7}) {
            XapiSimulator.schedule(clock, () -> {
                synchronized (this) {
                    if (objects.containsKey(task) && "pending".equals(objects.get(task).fields().get("status"))) {
                        objects.get(task).fields().put("progress", p);
                        changed(task);
                    }
                }
            }, step);
            step += XapiSimulator.STEP_MS;
        }
        XapiSimulator.schedule(clock, () -> {
            synchronized (this) {
                if (!objects.containsKey(task) || !"pending".equals(objects.get(task).fields().get("status"))) {
                    return;
                }
                if (!objects.containsKey(vm) || !"Running".equals(objects.get(vm).fields().get("power_state"))) {
                    finishTask(task, "failure", List.of("VM_BAD_POWER_STATE", vm, "running",
                            objects.containsKey(vm) ? "halted" : "gone"), "");
                    return;
                }
                done.run();
            }
        }, step + XapiSimulator.STEP_MS);
    }

    // ------------------------------------------------------------------ tasks

    private String newTask(String name) {
        return create("task", record("name_label", name, "status", "pending", "progress", 0.0, "result", "",
                "error_info", new ArrayList<>(), "created", java.time.Instant.now().toString()));
    }

    private void finishTask(String task, String status, List<String> error, String result) {
        Map<String, Object> t = objects.get(task).fields();
        t.put("status", status);
        t.put("progress", 1.0);
        t.put("error_info", new ArrayList<>(error));
        t.put("result", result);
        changed(task);
    }

    // ------------------------------------------------------------------ events

    private Object eventFrom(String method, List<Object> args) {
        count(method, args, 3);
        Set<String> classes = new HashSet<>();
        for (Object c : args.get(0) instanceof List<?> l ? l : List.of()) {
            classes.add(String.valueOf(c).toLowerCase(java.util.Locale.ROOT));
        }
        String token = String.valueOf(args.get(1));
        double timeout = args.get(2) instanceof Number n ? n.doubleValue() : 0;
        List<Object> out = new ArrayList<>();
        if (token.isEmpty()) {
            for (Map.Entry<String, Obj> e : objects.entrySet()) {
                if (classes.contains(e.getValue().cls().toLowerCase(java.util.Locale.ROOT))) {
                    out.add(event(generation, e.getValue().cls(), "add", e.getKey(), e.getValue().fields()));
                }
            }
            return batch(out);
        }
        long from;
        try {
            from = Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw new Failure("EVENT_FROM_TOKEN_PARSE_FAILURE", token);
        }
        long deadline = System.nanoTime() + (long) (timeout * 1e9);
        while (true) {
            if (from < eventFloor) {
                throw new Failure("EVENTS_LOST");
            }
            for (Event ev : events) {
                if (ev.id() > from && classes.contains(ev.cls().toLowerCase(java.util.Locale.ROOT))) {
                    out.add(event(ev.id(), ev.cls(), ev.op(), ev.ref(), ev.snapshot()));
                }
            }
            long left = deadline - System.nanoTime();
            if (!out.isEmpty() || left <= 0 || Thread.currentThread().isInterrupted()) {
                return batch(out);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return batch(out);
            }
        }
    }

    private Map<String, Object> batch(List<Object> evs) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("events", evs);
        b.put("valid_ref_counts", Map.of());
        b.put("token", String.format("%020d", generation));
        return b;
    }

    private static Map<String, Object> event(long id, String cls, String op, String ref, Map<String, Object> snap) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", Long.toString(id));
        e.put("timestamp", String.format("%d.%03d", System.currentTimeMillis() / 1000,
                System.currentTimeMillis() % 1000));
        e.put("class", cls.toLowerCase(java.util.Locale.ROOT));
        e.put("operation", op);
        e.put("ref", ref);
        e.put("snapshot", copy(snap));
        return e;
    }

    private void changed(String ref) {
        Obj o = objects.get(ref);
        if (o != null) {
            record(o.cls(), "mod", ref, o.fields());
        }
    }

    private void record(String cls, String op, String ref, Map<String, Object> fields) {
        generation++;
        events.add(new Event(generation, cls, op, ref, copy(fields)));
        if (events.size() > 10_000) {
            events.subList(0, 5_000).clear();
        }
        if (Thread.holdsLock(this)) {
            notifyAll();
        }
    }

    synchronized void wakeAll() {
        notifyAll();
    }

    // ------------------------------------------------------------------ hooks

    synchronized void invalidateSessions() {
        sessions.clear();
    }

    synchronized int sessionCount() {
        return sessions.size();
    }

    synchronized String addNetwork(String name, String bridge) {
        String uuid = UUID.randomUUID().toString();
        create("network", record("name_label", name, "bridge", bridge, "MTU", "1500", "PIFs", new ArrayList<>(),
                "VIFs", new ArrayList<>(), "other_config", new LinkedHashMap<>()), uuid);
        return uuid;
    }

    private String networkRef(String uuid) {
        for (String r : refsOf("network")) {
            if (uuid.equals(objects.get(r).fields().get("uuid"))) {
                return r;
            }
        }
        throw new IllegalStateException(uuid);
    }

    synchronized String addVdi(String name, long size) {
        String uuid = UUID.randomUUID().toString();
        String ref = create("VDI", record("name_label", name, "SR", sr, "virtual_size", Long.toString(size),
                "type", "user", "sharable", false, "read_only", false, "other_config", new LinkedHashMap<>()), uuid);
        list(objects.get(sr).fields(), "VDIs").add(ref);
        return uuid;
    }

    synchronized void ignoreShutdown(String widecloudId) {
        deafGuests.add(widecloudId);
    }

    synchronized void haltBehindBack(String widecloudId) {
        String vm = vmRef(widecloudId);
        if (vm != null && !"Halted".equals(objects.get(vm).fields().get("power_state"))) {
            halt(vm);
        }
    }

    synchronized void haltAndLoseEvents(String widecloudId) {
        haltBehindBack(widecloudId);
        eventFloor = generation;
        notifyAll();
    }

    synchronized void failNext(String method, List<String> description) {
        failures.put(method, description);
    }

    synchronized Optional<Map<String, Object>> vmByWidecloudId(String id) {
        String vm = vmRef(id);
        return vm == null ? Optional.empty() : Optional.of(copy(objects.get(vm).fields()));
    }

    synchronized String residentHostName(String id) {
        String vm = vmRef(id);
        if (vm == null) {
            return "";
        }
        String host = String.valueOf(objects.get(vm).fields().get("resident_on"));
        return NULL.equals(host) ? "" : String.valueOf(objects.get(host).fields().get("name_label"));
    }

    synchronized List<Map<String, Object>> devices(String id, String cls) {
        String vm = vmRef(id);
        List<Map<String, Object>> out = new ArrayList<>();
        if (vm != null) {
            for (Object d : list(objects.get(vm).fields(), cls + "s")) {
                out.add(copy(objects.get(String.valueOf(d)).fields()));
            }
        }
        return out;
    }

    /** One line per VM: uuid, widecloud id (or -), power state, resident host (or -), name label. */
    synchronized String vmListing() {
        StringBuilder sb = new StringBuilder();
        for (String r : refsOf("VM")) {
            Map<String, Object> f = objects.get(r).fields();
            String id = widecloudId(r);
            String host = String.valueOf(f.get("resident_on"));
            sb.append(f.get("uuid")).append(' ').append(id.isEmpty() ? "-" : id).append(' ')
                    .append(f.get("power_state")).append(' ')
                    .append(NULL.equals(host) ? "-" : objects.get(host).fields().get("name_label")).append(' ')
                    .append(f.get("name_label")).append('\n');
        }
        return sb.toString();
    }

    private String vmRef(String widecloudId) {
        for (String r : refsOf("VM")) {
            if (widecloudId.equals(widecloudId(r))) {
                return r;
            }
        }
        return null;
    }

    private String widecloudId(String vm) {
        Object oc = objects.get(vm).fields().get("other_config");
        Object id = oc instanceof Map<?, ?> m ? m.get("widecloud_id") : null;
        return id == null ? "" : String.valueOf(id);
    }

    // ------------------------------------------------------------------ objects

    private String create(String cls, Map<String, Object> fields) {
        return create(cls, fields, UUID.randomUUID().toString());
    }

    private String create(String cls, Map<String, Object> fields, String uuid) {
        String ref = "OpaqueRef:" + UUID.randomUUID();
        fields.put("uuid", uuid);
        objects.put(ref, new Obj(cls, fields));
        record(cls, "add", ref, fields);
        return ref;
    }

    private void remove(String ref) {
        Obj o = objects.remove(ref);
        if (o != null) {
            record(o.cls(), "del", ref, o.fields());
        }
    }

    private boolean isClass(String cls) {
        return Set.of("VM", "host", "host_metrics", "pool", "network", "PIF", "SR", "VDI", "VBD", "VIF", "task")
                .contains(cls);
    }

    private List<String> refsOf(String cls) {
        List<String> out = new ArrayList<>();
        objects.forEach((r, o) -> {
            if (o.cls().equals(cls)) {
                out.add(r);
            }
        });
        return out;
    }

    /** The ref, checked to exist and to be of that class, as XAPI does (HANDLE_INVALID otherwise). */
    private String ref(String cls, Object value) {
        String r = String.valueOf(value);
        Obj o = objects.get(r);
        if (o == null || !o.cls().equals(cls)) {
            throw new Failure("HANDLE_INVALID", cls, r);
        }
        return r;
    }

    private void needState(String vm, String... allowed) {
        String actual = String.valueOf(objects.get(vm).fields().get("power_state"));
        for (String a : allowed) {
            if (a.equals(actual)) {
                return;
            }
        }
        throw new Failure("VM_BAD_POWER_STATE", vm, allowed[0].toLowerCase(java.util.Locale.ROOT),
                actual.toLowerCase(java.util.Locale.ROOT));
    }

    private static void count(String method, List<Object> args, int expected) {
        if (args.size() != expected) {
            throw new Failure("MESSAGE_PARAMETER_COUNT_MISMATCH", method, Integer.toString(expected + 1),
                    Integer.toString(args.size() + 1));
        }
    }

    private static long num(Map<String, Object> r, String key) {
        return Long.parseLong(String.valueOf(r.get(key)));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> r, String key) {
        return (List<Object>) r.computeIfAbsent(key, k -> new ArrayList<>());
    }

    private static Map<String, Object> record(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        Map<String, Object> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(k, copyValue(v)));
        return c;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, x) -> c.put(String.valueOf(k), copyValue(x)));
            return c;
        }
        if (v instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(x -> c.add(copyValue(x)));
            return c;
        }
        return v;
    }
}
