package org.widecloud.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostState;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.Migration;
import org.widecloud.api.model.MigrationStep;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Vm;
import org.widecloud.api.model.VmState;
import org.widecloud.api.service.BackendException;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.spi.DomainState;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HypervisorDriver;
import org.widecloud.api.spi.MigrationObserver;
import org.widecloud.api.spi.MigrationOptions;
import org.widecloud.api.spi.MigrationResult;
import org.widecloud.api.store.CloudStore;
import org.widecloud.api.store.StaleVersionException;

/**
 * Live migration as a saga (DESIGN.md): checks; mobility prepare at the target; the hypervisor's live migration;
 * mobility commit the moment the VM runs at the target; release at the source. Each step is written to the
 * journal ({@link Migration}) before it runs. On failure the steps done are undone in reverse and the VM keeps
 * running at the source. After a controller stop, {@link #recoverAll()} asks both hosts where the VM really runs
 * and finishes or undoes the migration accordingly: the VM is never left running at both or at neither, and its
 * network follows the host it runs on.
 */
@Component(service = MigrationSaga.class, immediate = true)
public class MigrationSaga implements DriverRegistry.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationSaga.class);
    private static final String RECOVERY = "recovery";

    /** Called after each journal write; tests stop the saga there to play a controller crash. */
    interface StepHook {
        void reached(MigrationStep step);
    }

    private final CloudStore store;
    private final DriverRegistry drivers;
    private final JobManager jobs;
    private final VmLocks locks;
    private final Audit audit;
    private final Placement placement;
    private final NetworkPlacement networkPlacement;
    private final NetworkMobility mobility;
    private final StorageSteps storage;
    private final ScheduledExecutorService recovery;
    private final AtomicBoolean retryScheduled = new AtomicBoolean();
    private volatile Duration retryFirst = RETRY_FIRST;
    /** The wait before the next retry; recovery thread only. */
    private Duration retryNext;
    private volatile StepHook hook = step -> { };
    private final List<MigrationObserver> observers = new CopyOnWriteArrayList<>();

    @Activate
    public MigrationSaga(@Reference CloudStore store, @Reference DriverRegistry drivers, @Reference JobManager jobs,
            @Reference VmLocks locks, @Reference Audit audit, @Reference Volumes volumes) {
        this.store = store;
        this.drivers = drivers;
        this.jobs = jobs;
        this.locks = locks;
        this.audit = audit;
        this.placement = new Placement(store, drivers);
        this.networkPlacement = new NetworkPlacement(store, drivers);
        this.mobility = new NetworkMobility(store, drivers);
        this.storage = new StorageSteps(store, volumes);
        this.recovery = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "widecloud-migration-recovery");
            t.setDaemon(true);
            return t;
        });
        drivers.addListener(this);
        String haltAfter = System.getProperty(HALT_PROPERTY);
        if (haltAfter != null && !haltAfter.isBlank()) {
            hook = haltingAfter(MigrationStep.valueOf(haltAfter.strip()));
        }
        recovery.execute(this::recoverAllQuietly);
    }

    /**
     * Crash tests only: with {@code -Dwidecloud.migration.haltAfter=STEP} a migration stops for good right after
     * journalling STEP, so that a test can kill -9 the controller exactly there and check the recovery.
     */
    static final String HALT_PROPERTY = "widecloud.migration.haltAfter";
    private static final Duration ABORT_WAIT = Duration.ofMinutes(2);

    private static StepHook haltingAfter(MigrationStep halt) {
        LOG.warn("{}={}: migrations halt after journalling {} (crash tests only)", HALT_PROPERTY, halt, halt);
        return step -> {
            if (step == halt) {
                LOG.warn("migration halted after journalling {} ({}); kill the controller now", step, HALT_PROPERTY);
                try {
                    new java.util.concurrent.CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("halted migration interrupted", e);
                }
            }
        };
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addObserver(MigrationObserver o) {
        observers.add(o);
    }

    public void removeObserver(MigrationObserver o) {
        observers.remove(o);
    }

    @Deactivate
    public void close() {
        drivers.removeListener(this);
        recovery.shutdownNow();
        try {
            recovery.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void setHook(StepHook h) {
        hook = h;
    }

    @Override
    public void hypervisorChanged(String type, boolean added) {
        if (added) {
            recovery.execute(this::recoverAllQuietly);
        }
    }

    // --- start: checks, journal, job ---

    public Job start(String user, Vm vm, Requests.VmMigrate r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        if (vm.state() != VmState.RUNNING) {
            throw new ConflictException("state", "vm '" + vm.name() + "' is " + vm.state()
                    + ": only a running vm can be live-migrated");
        }
        Host source = store.host(vm.host()).orElseThrow();
        Host target = target(vm, source, r);
        HypervisorDriver driver = drivers.hypervisor(source.driver());
        if (!target.driver().equals(source.driver())) {
            throw new ConflictException("host", "host '" + target.name() + "' runs driver '" + target.driver()
                    + "', vm '" + vm.name() + "' runs on '" + source.driver() + "': live migration stays within one driver");
        }
        if (!driver.supportsLiveMigration()) {
            throw new ConflictException("host", "driver '" + driver.type() + "' cannot live-migrate");
        }
        if (source.state() == HostState.DOWN) {
            throw new ConflictException("host", "the source host '" + source.name() + "' does not answer");
        }
        for (NetworkMobility.Binding b : mobility.of(vm)) {
            if (!b.backend().canExtendTo(b.attachment(), target.site())) {
                throw new ConflictException("host", "network '" + b.network().name() + "' (" + b.network().mobility()
                        + ") cannot extend to the site of host '" + target.name() + "'");
            }
        }
        String split = networkPlacement.splitRefusal(vm);
        if (split != null) {
            throw new ConflictException("vm", split);
        }
        vm.nics().forEach(nic -> store.network(nic.network()).ifPresent(n -> {
            if (NetworkServiceImpl.PLAIN.equals(n.mobility()) && !source.site().equals(target.site())) {
                throw new ConflictException("host", "network '" + n.name()
                        + "' is plainly bridged: it cannot follow the vm to another site (give it a mobility backend)");
            }
        }));
        List<StorageSteps.Move> moves = storage.plan(vm, target);
        MigrationOptions options = copying(options(r), r, moves, vm, source);
        Instant now = Instant.now();
        Job job = jobs.newJob("vm.migrate", "vm", vm.id(), user);
        Migration m = new Migration(UUID.randomUUID().toString(), vm.id(), job.id(), source.id(), target.id(),
                MigrationStep.PLANNED, null, null, null, null, null, now, now, 0);
        locks.lock(vm.id(), vm.name(), job.id());
        try {
            StoreErrors.run("vm", () -> store.inTransaction(() -> {
                store.insertMigration(m);
                store.insertJob(job);
                store.updateVm(store.vm(vm.id()).orElseThrow().withState(VmState.MIGRATING,
                        "migrating to host '" + target.name() + "'"));
                return null;
            }));
        } catch (RuntimeException e) {
            locks.unlock(vm.id());
            throw e;
        }
        audit.record(user, "vm.migrate", "vm", vm.id(), vm.name() + " " + source.name() + " -> " + target.name());
        return jobs.run(job, progress -> run(m, driver, options, moves, progress), () -> locks.unlock(vm.id()));
    }

    private Host target(Vm vm, Host source, Requests.VmMigrate r) {
        Host target;
        if (r.host() != null) {
            target = Refs.field("host", "host", r.host(), store::host, store::hostByName);
            if (r.site() != null) {
                var site = Refs.field("site", "site", r.site(), store::site, store::siteByName);
                if (!site.id().equals(target.site())) {
                    throw new ValidationException("host", "host '" + target.name() + "' is not in site '" + site.name() + "'");
                }
            }
        } else if (r.site() != null) {
            var site = Refs.field("site", "site", r.site(), store::site, store::siteByName);
            target = store.hosts(PageRequest.all(), site.id()).items().stream()
                    .filter(h -> !h.id().equals(source.id()) && h.state() == HostState.UP
                            && h.driver().equals(source.driver()) && h.cpus() >= vm.vcpus()
                            && placement.free(h) >= vm.memoryMiB()
                            && networkPlacement.refusalForMove(vm, h) == null)
                    .max(java.util.Comparator.comparingLong(placement::free))
                    .orElseThrow(() -> new ConflictException("site", "no UP host of driver '" + source.driver()
                            + "' in site '" + site.name() + "' has room for vm '" + vm.name() + "'"));
        } else {
            throw new ValidationException("host", "give the target host, or a site to choose one in");
        }
        if (target.id().equals(source.id())) {
            throw new ConflictException("host", "vm '" + vm.name() + "' runs on host '" + source.name() + "' already");
        }
        if (target.state() != HostState.UP) {
            throw new ConflictException("host", "host '" + target.name() + "' is " + target.state());
        }
        placement.checkFits(target, vm.vcpus(), vm.memoryMiB(), "host");
        return target;
    }

    /**
     * Disks that live at the source host only move with the migration: copy storage, unless refused. libvirt copies
     * every writable disk then, so a VM that also has disks on storage both hosts reach is refused: those would be
     * copied onto themselves.
     */
    private MigrationOptions copying(MigrationOptions o, Requests.VmMigrate r, List<StorageSteps.Move> moves, Vm vm,
            Host source) {
        if (moves.isEmpty() && !o.copyStorage()) {
            return o;
        }
        int shared = storage.sharedDisks(vm, moves);
        if (shared > 0) {
            throw new ConflictException(moves.isEmpty() ? "copyStorage" : "host", "vm '" + vm.name() + "' has "
                    + shared + " disk(s) on storage both hosts reach: a copy-storage migration would copy them onto "
                    + "themselves" + (moves.isEmpty() ? "; migrate without copyStorage"
                            : " (its other " + moves.size() + " disk(s) live at host '" + source.name() + "' only)"));
        }
        if (o.copyStorage()) {
            return o;
        }
        if (Boolean.FALSE.equals(r.copyStorage())) {
            throw new ConflictException("copyStorage", "vm '" + vm.name() + "' has " + moves.size()
                    + " disk(s) that live at host '" + source.name() + "' only: they move with copyStorage");
        }
        return new MigrationOptions(o.live(), o.maxDowntime(), o.bandwidthMiBps(), true, o.autoConverge(),
                o.postCopy(), o.timeout());
    }

    static MigrationOptions options(Requests.VmMigrate r) {
        MigrationOptions d = MigrationOptions.defaults();
        Duration downtime = r.maxDowntimeMs() == null ? d.maxDowntime()
                : Duration.ofMillis(bounded("maxDowntimeMs", r.maxDowntimeMs(), 1, 60_000));
        long bandwidth = r.bandwidthMiBps() == null ? d.bandwidthMiBps()
                : bounded("bandwidthMiBps", r.bandwidthMiBps(), 0, 100_000);
        Duration timeout = r.timeoutSeconds() == null ? d.timeout()
                : Duration.ofSeconds(bounded("timeoutSeconds", r.timeoutSeconds(), 1, 24 * 3600));
        return new MigrationOptions(true, downtime, bandwidth,
                r.copyStorage() == null ? d.copyStorage() : r.copyStorage(),
                r.autoConverge() == null ? d.autoConverge() : r.autoConverge(),
                r.postCopy() == null ? d.postCopy() : r.postCopy(), timeout);
    }

    private static int bounded(String field, int v, int min, int max) {
        if (v < min || v > max) {
            throw new ValidationException(field, "must be between " + min + " and " + max);
        }
        return v;
    }

    // --- the saga ---

    private void run(Migration planned, HypervisorDriver driver, MigrationOptions options, List<StorageSteps.Move> moves,
            JobManager.Progress progress) {
        Vm vm = store.vm(planned.vm()).orElseThrow();
        Host sourceHost = store.host(planned.sourceHost()).orElseThrow();
        Host targetHost = store.host(planned.targetHost()).orElseThrow();
        HostEndpoint source = Endpoints.of(sourceHost);
        HostEndpoint target = Endpoints.of(targetHost);
        List<NetworkMobility.Binding> bindings = mobility.of(vm);
        List<NetworkMobility.Binding> prepared = new ArrayList<>();
        Migration m = journal(planned.at(MigrationStep.PREPARING));
        List<MigrationObserver.Watch> watches = watch(m, vm, source, target);
        MigrationResult result;
        try {
            progress.update(5, "preparing the networks at host '" + targetHost.name() + "'");
            for (NetworkMobility.Binding b : bindings) {
                prepared.add(b);
                b.backend().prepare(b.attachment(), source, target);
            }
            if (!moves.isEmpty()) {
                progress.update(8, "creating " + moves.size() + " disk(s) at host '" + targetHost.name() + "'");
                storage.createCopies(vm, targetHost, moves);
            }
            m = journal(m.at(MigrationStep.MIGRATING));
            progress.update(10, "migrating to host '" + targetHost.name() + "'");
            result = driver.migrate(source, target, vm.id(), options, (percent, bytes, total) -> progress.update(
                    10 + Math.max(0, Math.min(100, percent)) * 8 / 10, "migrating: " + percent + "% of memory sent"));
        } catch (RuntimeException e) {
            RuntimeException failed = rollBack(m, vm, driver, source, target, prepared,
                    "migration failed: " + JobManager.reason(e), e);
            endWatches(watches, false);
            throw failed;
        }
        // The VM runs at the target from here on: record that first.
        m = journal(m.measured(result.downtimeMs(), result.bytesTransferred(), result.totalMs())
                .at(MigrationStep.COMMITTING));
        moveVm(vm.id(), targetHost.id(), VmState.MIGRATING, "switching its network to host '" + targetHost.name() + "'");
        try {
            progress.update(92, "switching the network to host '" + targetHost.name() + "'");
            for (NetworkMobility.Binding b : bindings) {
                b.backend().commit(b.attachment(), source, target);
            }
        } catch (RuntimeException e) {
            LOG.warn("vm {}: network commit at {} failed, migrating back: {}", vm.name(), targetHost.name(), e.getMessage());
            try {
                driver.migrate(target, source, vm.id(), options, (p, b, t) -> progress.update(95, "migrating back"));
                moveVm(vm.id(), sourceHost.id(), VmState.MIGRATING, "back at host '" + sourceHost.name() + "'");
            } catch (RuntimeException back) {
                journal(m.failed("network commit failed (" + JobManager.reason(e) + ") and migrating back failed ("
                        + JobManager.reason(back) + ")"));
                settle(vm.id(), driver, target, VmState.ERROR);
                throw new BackendException("vm '" + vm.name() + "' runs at host '" + targetHost.name()
                        + "' but its network could not follow: " + JobManager.reason(e), e);
            }
            RuntimeException failed = rollBack(m, vm, driver, source, target, bindings,
                    "network commit failed: " + JobManager.reason(e), e);
            endWatches(watches, false);
            throw failed;
        }
        Long gap = endWatches(watches, true);
        if (gap != null) {
            m = journal(m.withGap(gap));
        }
        m = journal(m.at(MigrationStep.RELEASING));
        progress.update(96, "releasing host '" + sourceHost.name() + "'");
        long copied = moves.isEmpty() ? 0 : storage.finish(vm);
        try {
            mobility.releaseUnused(store.vm(vm.id()).orElseThrow().withHost(sourceHost.id()), source);
        } catch (RuntimeException e) {
            LOG.warn("vm {}: releasing the networks at {} failed (the vm is fine at {}): {}", vm.name(),
                    sourceHost.name(), targetHost.name(), e.getMessage());
        }
        journal(m.at(MigrationStep.DONE));
        settle(vm.id(), driver, target, null);
        progress.update(100, summary(m, moves.size(), copied, result.diskBytes()));
    }

    /** The job's result line: what the hypervisor measured and, where an observer watched, the service gap. */
    static String summary(Migration m) {
        return summary(m, 0, 0, -1);
    }

    /**
     * With the disks a copy-storage migration moved: how many, what the hypervisor copied of them
     * ({@code copiedBytes}, -1 when it does not say) and their volumes' size.
     */
    static String summary(Migration m, int disks, long diskBytes, long copiedBytes) {
        StringBuilder b = new StringBuilder("done:");
        b.append(" downtime ").append(m.downtimeMs() == null || m.downtimeMs() < 0 ? "n/a" : m.downtimeMs() + " ms");
        if (m.bytesTransferred() != null && m.bytesTransferred() >= 0) {
            b.append(", ").append(String.format(java.util.Locale.ROOT, "%.1f MiB", m.bytesTransferred() / 1048576.0))
                    .append(" transferred");
        }
        if (m.totalMs() != null && m.totalMs() >= 0) {
            b.append(", total ").append(m.totalMs()).append(" ms");
        }
        if (m.gapMs() != null) {
            b.append(", service gap ").append(m.gapMs()).append(" ms");
        }
        if (disks > 0) {
            b.append(", ").append(disks).append(disks == 1 ? " disk" : " disks").append(" copied (");
            if (copiedBytes >= 0) {
                b.append(String.format(java.util.Locale.ROOT, "%.1f MiB", copiedBytes / 1048576.0)).append(" copied of ");
            }
            b.append(String.format(java.util.Locale.ROOT, "%.1f MiB", diskBytes / 1048576.0))
                    .append(disks == 1 ? " volume)" : " of volumes)");
        }
        return b.toString();
    }

    private List<MigrationObserver.Watch> watch(Migration m, Vm vm, HostEndpoint source, HostEndpoint target) {
        List<MigrationObserver.Watch> out = new ArrayList<>();
        for (MigrationObserver o : observers) {
            try {
                MigrationObserver.Watch w = o.begin(m.id(), vm.id(), vm.name(), source, target);
                if (w != null) {
                    out.add(w);
                }
            } catch (RuntimeException e) {
                LOG.warn("migration observer {} failed to start: {}", o, e.getMessage());
            }
        }
        return out;
    }

    /** The longest gap any observer measured, or null. */
    private static Long endWatches(List<MigrationObserver.Watch> watches, boolean succeeded) {
        Long gap = null;
        for (MigrationObserver.Watch w : watches) {
            try {
                Long g = w.end(succeeded);
                if (g != null && (gap == null || g > gap)) {
                    gap = g;
                }
            } catch (RuntimeException e) {
                LOG.warn("migration observer failed to end: {}", e.getMessage());
            }
        }
        return gap;
    }

    /** Undoes what was done, in reverse, and returns the error the job ends with. */
    private RuntimeException rollBack(Migration m, Vm vm, HypervisorDriver driver, HostEndpoint source,
            HostEndpoint target, List<NetworkMobility.Binding> done, String why, RuntimeException cause) {
        Migration rolling = journal(m.failed(why));
        for (int i = done.size() - 1; i >= 0; i--) {
            NetworkMobility.Binding b = done.get(i);
            try {
                b.backend().rollback(b.attachment(), source, target);
            } catch (RuntimeException e) {
                LOG.warn("vm {}: rolling back network '{}' failed: {}", vm.name(), b.network().name(), e.getMessage());
            }
        }
        releaseTarget(vm, target);
        removeLeftover(driver, target, vm.id());
        removeCopies(vm);
        journal(rolling.at(MigrationStep.ROLLED_BACK));
        DomainState atSource = stateOf(driver, source, vm.id());
        settle(vm.id(), driver, source, null);
        return new BackendException("migration of vm '" + vm.name() + "' to host '" + target.hostName() + "' failed: "
                + why + "; rolled back, the vm " + (atSource == DomainState.RUNNING ? "runs" : "is " + atSource)
                + " at host '" + source.hostName() + "'", cause);
    }

    private Migration journal(Migration m) {
        Migration stored = store.updateMigration(m);
        hook.reached(stored.step());
        return stored;
    }

    // --- recovery after a controller stop ---

    /**
     * First wait before recovery tries again what it could not settle (a host not answering, a driver or a
     * mobility backend not back yet after a restart); it doubles up to {@link #RETRY_MAX}.
     */
    static final Duration RETRY_FIRST = Duration.ofSeconds(10);
    static final Duration RETRY_MAX = Duration.ofMinutes(5);

    /** Recovery thread only: a pass over the journal, and another one later while some migration is unsettled. */
    private void recoverAllQuietly() {
        boolean unsettled;
        try {
            recoverAll();
            // A migration whose vm is locked has a job of this controller (or a recovery) running it.
            unsettled = store.unfinishedMigrations().stream().anyMatch(m -> !locks.isLocked(m.vm()));
        } catch (RuntimeException e) {
            LOG.warn("recovering migrations failed: {}", e.getMessage(), e);
            unsettled = true;
        }
        if (!unsettled) {
            retryNext = null;
            return;
        }
        // Nothing else comes back to them: a hypervisor driver's arrival is the only other trigger, and a
        // mobility backend that registers after the driver, or a host that answers again, gives none.
        Duration delay = retryNext == null ? retryFirst : retryNext;
        retryNext = delay.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : delay.multipliedBy(2);
        if (retryScheduled.compareAndSet(false, true)) {
            try {
                recovery.schedule(() -> {
                    retryScheduled.set(false);
                    recoverAllQuietly();
                }, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                retryScheduled.set(false);
            }
        }
    }

    /** Tests: a shorter first wait between recovery passes. */
    void setRetryDelay(Duration first) {
        retryFirst = first;
    }

    /** Tests: whether a recovery pass is scheduled. */
    boolean retryScheduled() {
        return retryScheduled.get();
    }

    /** Finishes or undoes every journalled migration that no job is running; returns how many it settled. */
    public int recoverAll() {
        int settled = 0;
        for (Migration m : store.unfinishedMigrations()) {
            try {
                if (recover(m)) {
                    settled++;
                }
            } catch (RuntimeException e) {
                LOG.warn("recovering migration {} of vm {} failed; retried later: {}", m.id(), m.vm(), e.getMessage());
            }
        }
        return settled;
    }

    private boolean recover(Migration m) {
        Optional<Vm> found = store.vm(m.vm());
        if (found.isEmpty()) {
            journal(m.failed("the vm no longer exists").at(MigrationStep.ROLLED_BACK));
            return true;
        }
        Vm vm = found.get();
        Host sourceHost = store.host(m.sourceHost()).orElseThrow();
        Host targetHost = store.host(m.targetHost()).orElseThrow();
        Optional<HypervisorDriver> d = drivers.findHypervisor(sourceHost.driver());
        if (d.isEmpty()) {
            return false; // retried when the driver comes back
        }
        try {
            locks.lock(vm.id(), vm.name(), RECOVERY);
        } catch (ConflictException busy) {
            return false; // a job of this controller still runs it
        }
        try {
            HypervisorDriver driver = d.get();
            HostEndpoint source = Endpoints.of(sourceHost);
            HostEndpoint target = Endpoints.of(targetHost);
            if (m.step().compareTo(MigrationStep.COMMITTING) < 0 || m.step() == MigrationStep.ROLLING_BACK) {
                // Before the switch-over the source may still run the dead controller's migration job: stop it
                // first, or libvirt could move the VM between the state reads below and what recovery does.
                try {
                    driver.abortMigration(source, vm.id(), ABORT_WAIT);
                } catch (RuntimeException e) {
                    LOG.warn("recovery of vm {}: cannot stop the migration job at {} yet ({}); retried later", vm.name(),
                            sourceHost.name(), e.getMessage());
                    return false;
                }
            }
            DomainState s = stateOf(driver, source, vm.id());
            DomainState t = stateOf(driver, target, vm.id());
            if (s == DomainState.PAUSED && t == DomainState.RUNNING) {
                // Post-copy: libvirt's peer-to-peer job outlives the controller, and the paused source still holds
                // the memory pages the target has not fetched yet; destroying it would take the guest down.
                LOG.warn("recovery: vm {} runs at {} while its copy at {} is paused (post-copy still sending "
                        + "memory): waiting for libvirt to finish", vm.name(), targetHost.name(), sourceHost.name());
                return false;
            }
            boolean atTarget = decideTarget(m.step(), s, t);
            List<NetworkMobility.Binding> bindings = mobility.of(vm);
            if (atTarget) {
                if (s == DomainState.RUNNING || s == DomainState.PAUSED) {
                    driver.destroy(source, vm.id()); // never running twice
                }
                if (t != DomainState.RUNNING) {
                    driver.start(target, vm.id()); // never running nowhere
                }
                for (NetworkMobility.Binding b : bindings) {
                    b.backend().commit(b.attachment(), source, target);
                }
                moveVm(vm.id(), targetHost.id(), VmState.MIGRATING, null);
                removeLeftover(driver, source, vm.id());
                storage.finish(vm);
                try {
                    mobility.releaseUnused(store.vm(vm.id()).orElseThrow().withHost(sourceHost.id()), source);
                } catch (RuntimeException e) {
                    LOG.warn("recovery: releasing networks at {} failed: {}", sourceHost.name(), e.getMessage());
                }
                Migration done = journal(m.at(MigrationStep.DONE));
                settle(vm.id(), driver, target, null);
                closeJob(done, true, summary(done) + " (completed by recovery after a controller stop)");
                LOG.warn("recovery: migration of vm {} completed: it runs at {}", vm.name(), targetHost.name());
            } else {
                if (t == DomainState.RUNNING || t == DomainState.PAUSED) {
                    driver.destroy(target, vm.id());
                }
                if (s != DomainState.RUNNING) {
                    driver.start(source, vm.id());
                }
                for (NetworkMobility.Binding b : bindings) {
                    b.backend().rollback(b.attachment(), source, target);
                }
                moveVm(vm.id(), sourceHost.id(), VmState.MIGRATING, null);
                releaseTarget(vm, target);
                removeLeftover(driver, target, vm.id());
                storage.removeCopies(vm);
                Migration rolling = m.step() == MigrationStep.ROLLING_BACK ? m
                        : journal(m.failed("the controller stopped during " + m.step() + "; rolled back"));
                Migration back = journal(rolling.at(MigrationStep.ROLLED_BACK));
                settle(vm.id(), driver, source, null);
                closeJob(back, false, "rolled back by recovery after a controller stop (" + back.error()
                        + "); the vm runs at host '" + sourceHost.name() + "'");
                LOG.warn("recovery: migration of vm {} rolled back: it runs at {}", vm.name(), sourceHost.name());
            }
            audit.record(null, "vm.migrate.recover", "vm", vm.id(), atTarget ? "completed" : "rolled back");
            return true;
        } finally {
            locks.unlock(vm.id());
        }
    }

    /**
     * The job of a migration that recovery settled says how it ended: the stopped controller's job was closed as
     * failed at start (or by its crash), but a migration recovery completed succeeded.
     */
    private void closeJob(Migration m, boolean succeeded, String text) {
        if (m.job() == null) {
            return;
        }
        try {
            store.job(m.job()).ifPresent(j -> store.updateJob(succeeded
                    ? j.with(org.widecloud.api.model.JobState.SUCCEEDED, 100, text, null)
                    : j.with(org.widecloud.api.model.JobState.FAILED, j.progress(), j.step(), text)));
        } catch (RuntimeException e) {
            LOG.warn("recovery: cannot record the outcome of job {}: {}", m.job(), e.getMessage());
        }
    }

    /**
     * Where the VM should end up: where it runs (a paused copy is the incoming or outgoing side of an unfinished
     * switch-over); if it runs at both or neither, the journal decides: once the migration reached COMMITTING
     * the target had it.
     */
    static boolean decideTarget(MigrationStep step, DomainState source, DomainState target) {
        boolean sourceRuns = source == DomainState.RUNNING;
        boolean targetRuns = target == DomainState.RUNNING;
        if (targetRuns && !sourceRuns) {
            return true;
        }
        if (sourceRuns && !targetRuns) {
            return false;
        }
        if (step == MigrationStep.ROLLING_BACK) {
            return false;
        }
        return step.compareTo(MigrationStep.COMMITTING) >= 0 && step != MigrationStep.ROLLED_BACK;
    }

    // --- helpers ---

    /** After a rollback: what prepare set up at the target goes, unless other VMs there use the network. */
    private void releaseTarget(Vm vm, HostEndpoint target) {
        try {
            mobility.releaseUnused(vm, target);
        } catch (RuntimeException e) {
            LOG.warn("vm {}: releasing the networks prepared at {} failed: {}", vm.name(), target.hostName(),
                    e.getMessage());
        }
    }

    /** After a rollback: the disks made at the target go. */
    private void removeCopies(Vm vm) {
        try {
            storage.removeCopies(vm);
        } catch (RuntimeException e) {
            LOG.warn("vm {}: removing the disks copied for its migration failed: {}", vm.name(), e.getMessage());
        }
    }

    private static DomainState stateOf(HypervisorDriver d, HostEndpoint host, String vmId) {
        try {
            return d.state(host, vmId);
        } catch (RuntimeException e) {
            LOG.warn("cannot read the state of {} at {}: {}", vmId, host.hostName(), e.getMessage());
            return DomainState.UNKNOWN;
        }
    }

    /** Removes a copy that does not run (a stale definition at the host the VM left, or a failed incoming one). */
    private static void removeLeftover(HypervisorDriver d, HostEndpoint host, String vmId) {
        try {
            DomainState s = d.state(host, vmId);
            if (s == DomainState.PAUSED) {
                d.destroy(host, vmId);
                s = d.state(host, vmId);
            }
            if (s == DomainState.SHUTOFF || s == DomainState.CRASHED) {
                d.undefine(host, vmId);
            }
        } catch (RuntimeException e) {
            LOG.warn("removing the copy of {} left at {} failed: {}", vmId, host.hostName(), e.getMessage());
        }
    }

    private void moveVm(String vmId, String hostId, VmState state, String reason) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Vm v = store.vm(vmId).orElseThrow();
            try {
                store.updateVm(v.withHost(hostId).withState(state, reason));
                return;
            } catch (StaleVersionException e) {
                LOG.debug("vm {} changed while moving it; retrying", vmId);
            }
        }
        throw new BackendException("cannot record vm " + vmId + " at host " + hostId, null);
    }

    /** Stores the state the VM's host reports ({@code override} instead, when given). */
    private void settle(String vmId, HypervisorDriver d, HostEndpoint host, VmState override) {
        VmState s = override != null ? override : Reconciler.map(VmState.STOPPED, stateOf(d, host, vmId));
        for (int attempt = 0; attempt < 5; attempt++) {
            Vm v = store.vm(vmId).orElseThrow();
            try {
                store.updateVm(v.withState(s, override == VmState.ERROR ? "its network could not follow it" : null));
                return;
            } catch (StaleVersionException e) {
                LOG.debug("vm {} changed while settling; retrying", vmId);
            }
        }
    }

    public Page<Migration> list(Vm vm, PageRequest page) {
        return store.migrations(page, vm.id());
    }
}
