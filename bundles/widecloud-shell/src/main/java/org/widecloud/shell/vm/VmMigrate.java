package org.widecloud.shell.vm;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.Job;
import org.widecloud.api.service.Requests;
import org.widecloud.shell.completers.HostCompleter;
import org.widecloud.shell.completers.SiteCompleter;
import org.widecloud.shell.completers.VmCompleter;

@Service
@Command(scope = "cloud", name = "vm-migrate", description = "Live-migrates a running VM to another host, of this "
        + "site or another, keeping its addresses (progress line until it ends)")
public class VmMigrate extends VmJobAction {

    @Argument(index = 0, name = "vm", description = "Name or id of the VM", required = true)
    @Completion(VmCompleter.class)
    String vm;

    @Option(name = "--host", description = "Target host (name or id)")
    @Completion(HostCompleter.class)
    String host;

    @Option(name = "--site", description = "Target site: placement chooses a host there")
    @Completion(SiteCompleter.class)
    String site;

    @Option(name = "--max-downtime", description = "Longest pause of the guest at the switch-over, ms (default 300)")
    Integer maxDowntimeMs;

    @Option(name = "--bandwidth", description = "Bandwidth limit, MiB/s (default 0: none)")
    Integer bandwidthMiBps;

    @Option(name = "--no-auto-converge", description = "Do not slow the guest's CPUs down to let memory copy converge")
    boolean noAutoConverge;

    @Option(name = "--post-copy", description = "Switch to post-copy when pre-copy does not converge")
    boolean postCopy;

    @Option(name = "--copy-storage", description = "Copy site-local disks to the target during the migration")
    boolean copyStorage;

    @Option(name = "--timeout", description = "Seconds before the migration is aborted and rolled back (default 600)")
    Integer timeoutSeconds;

    @Override
    protected Job submit() {
        return vmService.migrate(user(), vm, new Requests.VmMigrate(host, site, maxDowntimeMs, bandwidthMiBps,
                noAutoConverge ? Boolean.FALSE : null, postCopy ? Boolean.TRUE : null, copyStorage ? Boolean.TRUE : null,
                timeoutSeconds));
    }
}
