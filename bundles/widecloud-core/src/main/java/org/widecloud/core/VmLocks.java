package org.widecloud.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.widecloud.api.service.ConflictException;

/**
 * At most one job acts on a VM at a time. The reconciler leaves a locked VM alone: the job that holds it
 * decides its state.
 */
@Component(service = VmLocks.class)
public class VmLocks {
    private final Map<String, String> holders = new ConcurrentHashMap<>();

    /** Locks the VM for a job, or refuses with the job that holds it. */
    public void lock(String vmId, String vmName, String jobId) {
        String holder = holders.putIfAbsent(vmId, jobId);
        if (holder != null) {
            throw new ConflictException(null, "vm '" + vmName + "' is busy with job " + holder + "; wait for it to end");
        }
    }

    public void unlock(String vmId) {
        holders.remove(vmId);
    }

    public boolean isLocked(String vmId) {
        return holders.containsKey(vmId);
    }
}
