package org.widecloud.driver.libvirt;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.libvirt.Domain;
import org.libvirt.DomainJobInfo;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.DriverException;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.MigrationOptions;
import org.widecloud.api.spi.MigrationProgress;
import org.widecloud.api.spi.MigrationResult;
import org.widecloud.driver.libvirt.internal.HostConnection;
import org.widecloud.driver.libvirt.internal.Libvirt;
import org.widecloud.driver.libvirt.internal.NativeJobs;

/**
 * One live migration, peer to peer: the source's libvirtd connects to the target's by the target host's URI and
 * moves the domain there (persistent at the target, undefined at the source). Another thread polls the source's
 * job for progress, aborts it when the timeout passes and, for post-copy, switches after the first pass. The
 * result's downtime and bytes are libvirt's own, read from the completed job's statistics at the target.
 */
final class LiveMigration {
    private static final Logger LOG = LoggerFactory.getLogger(LiveMigration.class);
    /** virDomainMigrateFlags. */
    static final long LIVE = 1, PEER2PEER = 2, PERSIST_DEST = 8, UNDEFINE_SOURCE = 16, NON_SHARED_DISK = 64,
            AUTO_CONVERGE = 1 << 13, POSTCOPY = 1 << 15;
    private static final long POLL_MILLIS = 100;

    private final HostConnection src;
    private final HostConnection dst;
    private final HostEndpoint source;
    private final HostEndpoint target;
    private final String vmId;
    private final MigrationOptions options;
    private final MigrationProgress progress;
    private volatile long started;
    private volatile boolean timedOut;
    private volatile boolean postCopyStarted;
    private volatile long lastProcessed;
    /** What the source's job said it had copied of the disks (copy-storage), as last polled. */
    private volatile long lastDiskProcessed = -1;

    LiveMigration(HostConnection src, HostConnection dst, HostEndpoint source, HostEndpoint target, String vmId,
            MigrationOptions options, MigrationProgress progress) {
        this.src = src;
        this.dst = dst;
        this.source = source;
        this.target = target;
        this.vmId = vmId;
        this.options = options;
        this.progress = progress == null ? (p, b, t) -> { } : progress;
    }

    /** Checks what the caller gave; a {@link DriverException} names the offending field. */
    static void validate(HostEndpoint source, HostEndpoint target, String vmId, MigrationOptions o) {
        if (vmId == null || vmId.isBlank()) {
            throw new DriverException("vmId: is required", null);
        }
        if (o == null) {
            throw new DriverException("options: are required (MigrationOptions.defaults())", null);
        }
        if (target == null || target.uri() == null || target.uri().isBlank()) {
            throw new DriverException("target.uri: is required", null);
        }
        if (source != null && target.uri().equals(source.uri())) {
            throw new DriverException("target: is the source host (" + target.uri() + ")", null);
        }
        if (HostProbe.isLocal(target.uri())) {
            // The source's libvirtd dials this URI: without a host part it would migrate to itself.
            throw new DriverException("target.uri: '" + target.uri() + "' names no host; the source's libvirtd "
                    + "must reach the target by it (e.g. qemu+tcp://10.0.2.2/system)", null);
        }
        if (o.maxDowntime() != null && (o.maxDowntime().isNegative() || o.maxDowntime().isZero())) {
            throw new DriverException("options.maxDowntime: must be positive, not " + o.maxDowntime(), null);
        }
        if (o.bandwidthMiBps() < 0) {
            throw new DriverException("options.bandwidthMiBps: must be 0 (unlimited) or positive, not "
                    + o.bandwidthMiBps(), null);
        }
        if (o.timeout() != null && (o.timeout().isNegative() || o.timeout().isZero())) {
            throw new DriverException("options.timeout: must be positive, not " + o.timeout(), null);
        }
    }

    static long flags(MigrationOptions o) {
        long f = PEER2PEER | PERSIST_DEST | UNDEFINE_SOURCE;
        if (o.live()) {
            f |= LIVE;
        }
        if (o.autoConverge()) {
            f |= AUTO_CONVERGE;
        }
        if (o.postCopy()) {
            f |= POSTCOPY;
        }
        if (o.copyStorage()) {
            f |= NON_SHARED_DISK;
        }
        return f;
    }

    MigrationResult run() {
        checkSource();
        checkTarget();
        setMaxDowntime();
        long flags = flags(options);
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "widecloud-migrate-" + vmId);
            t.setDaemon(true);
            return t;
        });
        started = System.nanoTime();
        watcher.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        AtomicBoolean attempted = new AtomicBoolean();
        try {
            src.call(conn -> {
                if (!attempted.compareAndSet(false, true)) {
                    // The connection retries a call once after reconnecting: never start a second migration.
                    throw new LostSource();
                }
                Domain d = LibvirtDriver.lookup(conn, vmId);
                if (d == null) {
                    throw new DriverException(what() + ": the vm is gone from the source", null);
                }
                return d.migrateToURI(target.uri(), null, null, flags, null, options.bandwidthMiBps());
            });
        } catch (LibvirtException e) {
            throw failed(Libvirt.message(e), e);
        } catch (LostSource e) {
            throw failed("the connection to the source's libvirtd was lost during the migration", null);
        } finally {
            watcher.shutdownNow();
            try {
                watcher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long totalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        return finish(totalMs);
    }

    /** The vm must run at the source. */
    private void checkSource() {
        try {
            src.call(conn -> {
                Domain d = LibvirtDriver.lookup(conn, vmId);
                if (d == null) {
                    throw new DriverException(what() + ": no vm with uuid " + vmId + " at the source", null);
                }
                if (d.isActive() != 1) {
                    throw new DriverException(what() + ": the vm is not running at the source", null);
                }
                return null;
            });
        } catch (LibvirtException e) {
            throw new DriverException(what() + ": the source cannot be asked: " + Libvirt.message(e), e);
        }
    }

    /** The max downtime goes to the source's QEMU before the job starts (libvirt keeps it for the next job). */
    private void setMaxDowntime() {
        if (options.maxDowntime() == null) {
            return;
        }
        try {
            src.call(conn -> LibvirtDriver.lookup(conn, vmId).migrateSetMaxDowntime(options.maxDowntime().toMillis()));
        } catch (LibvirtException e) {
            throw new DriverException(what() + ": setting the max downtime at the source failed: "
                    + Libvirt.message(e) + "; nothing was changed, the vm still runs at the source", e);
        }
    }

    /** The controller must reach the target too (for the result) and the vm must not run there already. */
    private void checkTarget() {
        try {
            dst.call(conn -> {
                Domain d = LibvirtDriver.lookup(conn, vmId);
                if (d != null && d.isActive() == 1) {
                    throw new DriverException(what() + ": the vm runs at the target already", null);
                }
                return null;
            });
        } catch (LibvirtException e) {
            throw new DriverException(what() + ": the target's libvirtd cannot be reached: " + Libvirt.message(e)
                    + "; nothing was changed, the vm still runs at the source", e);
        }
    }

    private void poll() {
        try {
            long elapsed = System.nanoTime() - started;
            Duration timeout = options.timeout();
            if (timeout != null && !timedOut && elapsed > timeout.toNanos()) {
                timedOut = true;
                LOG.info("{}: timeout {} passed; aborting the migration job", what(), timeout);
                try {
                    src.call(conn -> {
                        Domain d = LibvirtDriver.lookup(conn, vmId);
                        return d == null ? 0 : d.abortJob();
                    });
                } catch (LibvirtException e) {
                    LOG.warn("{}: aborting the job failed: {}", what(), Libvirt.message(e));
                }
                return;
            }
            DomainJobInfo info = src.call(conn -> {
                Domain d = LibvirtDriver.lookup(conn, vmId);
                if (d == null) {
                    return null;
                }
                if (options.postCopy() && !postCopyStarted) {
                    maybeStartPostCopy(d);
                }
                return d.getJobInfo();
            });
            if (info == null || info.getType() == 0) {
                return; // no job (yet, or any more)
            }
            long total = info.getDataTotal();
            long remaining = info.getDataRemaining();
            lastProcessed = info.getDataProcessed();
            if (options.copyStorage()) {
                lastDiskProcessed = Math.max(lastDiskProcessed, info.getFileProcessed());
            }
            int percent = total <= 0 ? 0 : (int) Math.max(0, Math.min(99, (total - remaining) * 100 / total));
            progress.update(percent, info.getDataProcessed(), total);
        } catch (LibvirtException e) {
            LOG.debug("{}: reading the job failed: {}", what(), Libvirt.message(e));
        } catch (RuntimeException e) {
            LOG.warn("{}: progress poll failed: {}", what(), e.toString());
        }
    }

    /** Post-copy after the first full pass over memory (what virsh's --postcopy-after-precopy does). */
    private void maybeStartPostCopy(Domain d) {
        try {
            Long iteration = NativeJobs.stats(d, 0).get(NativeJobs.MEMORY_ITERATION);
            if (iteration != null && iteration >= 2) {
                NativeJobs.startPostCopy(d);
                postCopyStarted = true;
                LOG.info("{}: switched to post-copy after pass {}", what(), iteration - 1);
            }
        } catch (NativeJobs.NativeException e) {
            LOG.debug("{}: post-copy switch: {}", what(), e.getMessage());
        }
    }

    private MigrationResult finish(long totalMs) {
        Map<String, Long> stats = Map.of();
        DomainState there;
        try {
            stats = dst.call(conn -> {
                Domain d = LibvirtDriver.lookup(conn, vmId);
                if (d == null) {
                    return null;
                }
                try {
                    return NativeJobs.stats(d, NativeJobs.COMPLETED);
                } catch (NativeJobs.NativeException e) {
                    LOG.info("{}: libvirt gives no completed job statistics: {}", what(), e.getMessage());
                    return Map.<String, Long>of();
                }
            });
            there = stateAt(dst);
        } catch (LibvirtException e) {
            throw new DriverException(what() + ": libvirt reported success but the target cannot be asked: "
                    + Libvirt.message(e), e);
        }
        if (stats == null || there != DomainState.RUNNING) {
            throw new DriverException(what() + ": libvirt reported success but the vm is "
                    + (stats == null ? "missing" : there.name().toLowerCase()) + " at the target", null);
        }
        long downtime = stats.getOrDefault(NativeJobs.DOWNTIME, -1L);
        long bytes = stats.getOrDefault(NativeJobs.DATA_PROCESSED, lastProcessed);
        long total = stats.getOrDefault(NativeJobs.DATA_TOTAL, bytes);
        progress.update(100, bytes, total);
        // The target's completed statistics may lack the disk figure (the source drove the copy): the larger of
        // that and the source's last polled one.
        long disk = options.copyStorage() ? Math.max(stats.getOrDefault(NativeJobs.DISK_PROCESSED, -1L),
                lastDiskProcessed) : -1;
        LOG.info("{}: done in {} ms, downtime {} ms, {} bytes, {} disk bytes", what(), totalMs, downtime, bytes, disk);
        return new MigrationResult(downtime, bytes, totalMs, disk);
    }

    /** Says what failed and where the vm is now; a vm left paused at the source is resumed first. */
    private DriverException failed(String why, Exception cause) {
        StringBuilder m = new StringBuilder(what()).append(" failed: ").append(why);
        if (timedOut) {
            m.append(" (timeout ").append(options.timeout()).append(" passed: the job was aborted)");
        }
        DomainState here = safeState(src);
        if (here == DomainState.PAUSED) {
            try {
                src.call(conn -> {
                    LibvirtDriver.lookup(conn, vmId).resume();
                    return null;
                });
                here = safeState(src);
            } catch (LibvirtException | RuntimeException e) {
                m.append("; resuming it at the source failed: ").append(e.getMessage());
            }
        }
        if (here == DomainState.RUNNING) {
            m.append("; the vm still runs at the source");
        } else {
            DomainState there = safeState(dst);
            m.append("; the vm is ").append(describe(here)).append(" at the source and ").append(describe(there))
                    .append(" at the target");
        }
        return new DriverException(m.toString(), cause);
    }

    private DomainState safeState(HostConnection c) {
        try {
            return stateAt(c);
        } catch (LibvirtException | RuntimeException e) {
            return DomainState.UNKNOWN;
        }
    }

    private DomainState stateAt(HostConnection c) throws LibvirtException {
        return c.call(conn -> {
            Domain d = LibvirtDriver.lookup(conn, vmId);
            return d == null ? DomainState.MISSING : LibvirtDriver.stateOf(d);
        });
    }

    private static String describe(DomainState s) {
        return s == DomainState.UNKNOWN ? "in an unknown state (host unreachable?)" : s.name().toLowerCase();
    }

    /** Thrown inside the connection's retry of the migration call. */
    private static final class LostSource extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LostSource() {
            super(null, null, false, false);
        }
    }

    private String what() {
        return "live migration of vm " + vmId + " from " + LibvirtDriver.where(source) + " to "
                + LibvirtDriver.where(target);
    }
}
