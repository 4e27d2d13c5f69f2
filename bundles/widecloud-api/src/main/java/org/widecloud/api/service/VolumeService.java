package org.widecloud.api.service;

import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Volume;

/** Disk volumes. */
public interface VolumeService {
    Volume create(String user, Requests.VolumeCreate request);

    Volume get(String ref);

    /** {@code pool} and {@code vm} (ids or names) filter when not null. */
    Page<Volume> list(PageRequest page, String pool, String vm);

    Volume resize(String user, String ref, Requests.VolumeResize request);

    Volume attach(String user, String ref, Requests.VolumeAttach request);

    Volume detach(String user, String ref);

    /** Refused while the volume is attached to a VM. */
    void delete(String user, String ref);
}
