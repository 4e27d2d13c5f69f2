package org.widecloud.driver.libvirt.internal;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import org.libvirt.Domain;

/**
 * The libvirt calls of a migration that libvirt-java 0.5.3 lacks, called through JNA on the same
 * {@code libvirt.so.0}: {@code virDomainGetJobStats} (the completed job's downtime, which the old
 * {@code virDomainGetJobInfo} does not carry) and {@code virDomainMigrateStartPostCopy}. libvirt-java keeps the
 * native domain pointer in a package-private field; it is read by reflection, the only way to reach it.
 */
public final class NativeJobs {
    /** VIR_DOMAIN_JOB_STATS_COMPLETED: the statistics of the last completed job instead of the running one. */
    public static final int COMPLETED = 1;
    /** Keys of libvirt's job statistics (VIR_DOMAIN_JOB_*), all unsigned long long. */
    public static final String DOWNTIME = "downtime";
    public static final String TIME_ELAPSED = "time_elapsed";
    public static final String DATA_PROCESSED = "data_processed";
    public static final String DATA_TOTAL = "data_total";
    public static final String DATA_REMAINING = "data_remaining";
    public static final String MEMORY_ITERATION = "memory_iteration";
    public static final String DISK_PROCESSED = "disk_processed";
    private static final String[] KEYS = {DOWNTIME, TIME_ELAPSED, DATA_PROCESSED, DATA_TOTAL, DATA_REMAINING,
        MEMORY_ITERATION, "memory_processed", "memory_total", DISK_PROCESSED, "downtime_net", "setup_time"};

    private interface Virt extends Library {
        int virDomainGetJobStats(Pointer domain, IntByReference type, PointerByReference params,
                IntByReference nparams, int flags);

        int virTypedParamsGetULLong(Pointer params, int nparams, String name, LongByReference value);

        void virTypedParamsFree(Pointer params, int nparams);

        int virDomainMigrateStartPostCopy(Pointer domain, int flags);

        String virGetLastErrorMessage();
    }

    private static volatile Virt virt;
    private static volatile Field domainPointer;

    private NativeJobs() {
    }

    /**
     * The domain's job statistics (running job, or with {@link #COMPLETED} the last completed one) for the keys
     * libvirt reports; empty when there is no such job.
     */
    public static Map<String, Long> stats(Domain domain, int flags) throws NativeException {
        Virt v = virt();
        Pointer d = pointer(domain);
        IntByReference type = new IntByReference();
        PointerByReference params = new PointerByReference();
        IntByReference n = new IntByReference();
        if (v.virDomainGetJobStats(d, type, params, n, flags) < 0) {
            throw new NativeException("virDomainGetJobStats: " + v.virGetLastErrorMessage());
        }
        Map<String, Long> out = new HashMap<>();
        Pointer p = params.getValue();
        try {
            if (type.getValue() == 0 || p == null) {
                return out; // VIR_DOMAIN_JOB_NONE
            }
            LongByReference value = new LongByReference();
            for (String key : KEYS) {
                if (v.virTypedParamsGetULLong(p, n.getValue(), key, value) == 1) {
                    out.put(key, value.getValue());
                }
            }
            return out;
        } finally {
            if (p != null) {
                v.virTypedParamsFree(p, n.getValue());
            }
        }
    }

    /** Switches a migration started with VIR_MIGRATE_POSTCOPY to post-copy mode. */
    public static void startPostCopy(Domain domain) throws NativeException {
        Virt v = virt();
        if (v.virDomainMigrateStartPostCopy(pointer(domain), 0) < 0) {
            throw new NativeException("virDomainMigrateStartPostCopy: " + v.virGetLastErrorMessage());
        }
    }

    private static Virt virt() {
        Virt v = virt;
        if (v == null) {
            v = Native.load("virt", Virt.class);
            virt = v;
        }
        return v;
    }

    private static Pointer pointer(Domain domain) throws NativeException {
        try {
            Field f = domainPointer;
            if (f == null) {
                f = Domain.class.getDeclaredField("vdp");
                f.setAccessible(true);
                domainPointer = f;
            }
            Object vdp = f.get(domain);
            if (!(vdp instanceof PointerType pt) || pt.getPointer() == null) {
                throw new NativeException("libvirt-java's domain has no native pointer");
            }
            return pt.getPointer();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new NativeException("cannot reach libvirt-java's domain pointer (not libvirt-java 0.5.3?): " + e);
        }
    }

    /** A failed native call, with libvirt's message. */
    public static final class NativeException extends Exception {
        private static final long serialVersionUID = 1L;

        NativeException(String message) {
            super(message);
        }
    }
}
