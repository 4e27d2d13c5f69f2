package org.widecloud.api.service;

import org.widecloud.api.model.Host;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;

public interface HostService {
    /** Registers the host; when its driver is installed, connects and reads its facts first. */
    Host create(String user, Requests.HostCreate request);

    Host get(String ref);

    /** {@code site} (name or id) filters when not null. */
    Page<Host> list(PageRequest page, String site);

    Host update(String user, String ref, Requests.HostUpdate request);

    /** Refused while VMs are defined on the host. */
    void delete(String user, String ref);

    /** Reconnects and re-reads facts and VM states now. */
    Host refresh(String user, String ref);
}
