package org.widecloud.shell.vm;

import java.time.Duration;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.widecloud.api.model.Job;
import org.widecloud.api.service.ValidationException;
import org.widecloud.shell.completers.VmCompleter;

@Service
@Command(scope = "cloud", name = "vm-stop", description = "Shuts a VM down gracefully, then forces it off after the timeout")
public class VmStop extends VmJobAction {

    @Argument(index = 0, name = "vm", description = "Name or id of the VM", required = true)
    @Completion(VmCompleter.class)
    String vm;

    @Option(name = "--timeout", aliases = "-t", description = "Seconds to wait for the guest before forcing it off "
            + "(default: the controller's setting)")
    Long timeout;

    @Override
    protected Job submit() {
        if (timeout != null && timeout < 0) {
            throw new ValidationException("timeout", "must be 0 or more seconds");
        }
        return vmService.stop(user(), vm, timeout == null ? null : Duration.ofSeconds(timeout));
    }
}
