package org.widecloud.api.service;

import java.time.Duration;

import org.widecloud.api.model.Job;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Vm;

/**
 * VM lifecycle. Every operation that touches a hypervisor is validated at once (exceptions, nothing changed)
 * and then runs as a {@link Job}: the returned job is PENDING or already done.
 */
public interface VmService {
    Job create(String user, Requests.VmCreate request);

    Vm get(String ref);

    /** {@code host} and {@code state} filter when not null. */
    Page<Vm> list(PageRequest page, String host, String state);

    Vm update(String user, String ref, Requests.VmUpdate request);

    Job start(String user, String ref);

    /** Graceful shutdown; after {@code timeout} (null: the configured default) the VM is forced off. */
    Job stop(String user, String ref, Duration timeout);

    Job reboot(String user, String ref);

    /** Forced power-off. */
    Job destroy(String user, String ref);

    /** Forces the VM off if needed, undefines it and removes it from the store. */
    Job delete(String user, String ref);

    /**
     * Live-migrates a running VM to another host (of another site too), keeping its addresses: the migration saga,
     * journalled step by step (see {@link org.widecloud.api.model.Migration}).
     */
    Job migrate(String user, String ref, Requests.VmMigrate request);

    /** The migrations of a VM, newest first. */
    Page<org.widecloud.api.model.Migration> migrations(String ref, PageRequest page);
}
