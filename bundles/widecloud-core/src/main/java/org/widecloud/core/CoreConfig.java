package org.widecloud.core;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the core components, PID {@code org.widecloud.core}. */
@ObjectClassDefinition(name = "widecloud core", description = "Jobs, reconciliation and defaults of the controller")
public @interface CoreConfig {
    String PID = "org.widecloud.core";

    @AttributeDefinition(description = "Seconds between two full reconciliations of every host with its hypervisor")
    int reconcile_interval_seconds() default 30;

    @AttributeDefinition(description = "Seconds a graceful stop waits for the guest before forcing it off")
    int stop_timeout_seconds() default 60;

    @AttributeDefinition(description = "Threads that run jobs")
    int job_threads() default 4;

    @AttributeDefinition(description = "Create site 'local' and host 'local' when the store has no site at all")
    boolean bootstrap() default true;

    @AttributeDefinition(description = "URI of the bootstrap host: 'auto' = qemu:///system when libvirtd runs here, else test:///default")
    String bootstrap_host_uri() default "auto";

    @AttributeDefinition(description = "Hypervisor driver type of the bootstrap host")
    String bootstrap_host_driver() default "kvm";

    @AttributeDefinition(description = "Host bridge of a network when its creator names none")
    String default_bridge() default "virbr0";
}
