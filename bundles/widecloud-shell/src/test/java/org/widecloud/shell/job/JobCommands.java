package org.widecloud.shell.job;

import org.widecloud.core.CoreFixture;

/** Builds job commands wired to a core, for tests of other packages. */
public final class JobCommands {
    private final CoreFixture core;

    public JobCommands(CoreFixture core) {
        this.core = core;
    }

    public JobWait waitFor(String id, Long timeoutSeconds) {
        JobWait w = new JobWait();
        w.setJobService(core.jobService());
        w.job = id;
        w.timeout = timeoutSeconds;
        return w;
    }

    public JobShow show(String id) {
        JobShow s = new JobShow();
        s.jobService = core.jobService();
        s.job = id;
        return s;
    }

    public JobList list() {
        JobList l = new JobList();
        l.jobService = core.jobService();
        return l;
    }
}
