package org.widecloud.api.service;

import java.util.List;

import org.widecloud.api.model.MobilityBinding;
import org.widecloud.api.model.Network;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;

public interface NetworkService {
    Network create(String user, Requests.NetworkCreate request);

    Network get(String ref);

    Page<Network> list(PageRequest page);

    Network update(String user, String ref, Requests.NetworkUpdate request);

    /** Where the network's mobility backend delivers it now (NEMO: the home agent's bindings). */
    List<MobilityBinding> bindings(String ref);

    /** Refused while VMs use the network. */
    void delete(String user, String ref);
}
