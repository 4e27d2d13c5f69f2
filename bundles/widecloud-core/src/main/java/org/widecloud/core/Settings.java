package org.widecloud.core;

import java.time.Duration;

/** {@link CoreConfig} as a plain value, so components can be built without a container. */
public record Settings(Duration reconcileInterval, Duration stopTimeout, int jobThreads, boolean bootstrap,
        String bootstrapHostUri, String bootstrapHostDriver, String defaultBridge) {

    public static Settings from(CoreConfig c) {
        return new Settings(Duration.ofSeconds(Math.max(1, c.reconcile_interval_seconds())),
                Duration.ofSeconds(Math.max(0, c.stop_timeout_seconds())), Math.max(1, c.job_threads()),
                c.bootstrap(), c.bootstrap_host_uri(), c.bootstrap_host_driver(), c.default_bridge());
    }

    public static Settings defaults() {
        return new Settings(Duration.ofSeconds(30), Duration.ofSeconds(60), 4, true, "auto", "kvm", "virbr0");
    }
}
