package org.widecloud.mobility.vxlan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostState;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.Requests;
import org.widecloud.api.spi.HostEndpoint;

/** Core's host list as the backend sees it (read only): the lab's hosts, all on site-1. */
final class TestHosts implements HostService {
    private final List<Host> hosts = new ArrayList<>();

    TestHosts(HostEndpoint... endpoints) {
        for (HostEndpoint e : endpoints) {
            hosts.add(new Host(e.hostId(), e.hostName(), "site-1", "kvm", e.uri(), HostState.UP, 1, 128, "test", null,
                    Instant.EPOCH, 1, e.address(), e.executor()));
        }
    }

    @Override
    public Page<Host> list(PageRequest page, String site) {
        List<Host> match = hosts.stream().filter(h -> site == null || site.equals(h.site())).toList();
        List<Host> items = match.stream().skip(page.offset()).limit(page.limit()).toList();
        return new Page<>(items, match.size(), page.offset(), page.limit());
    }

    @Override
    public Host get(String ref) {
        return hosts.stream().filter(h -> h.id().equals(ref) || h.name().equals(ref)).findFirst().orElseThrow();
    }

    @Override
    public Host create(String user, Requests.HostCreate request) {
        throw new UnsupportedOperationException("read only");
    }

    @Override
    public Host update(String user, String ref, Requests.HostUpdate request) {
        throw new UnsupportedOperationException("read only");
    }

    @Override
    public void delete(String user, String ref) {
        throw new UnsupportedOperationException("read only");
    }

    @Override
    public Host refresh(String user, String ref) {
        throw new UnsupportedOperationException("read only");
    }
}
