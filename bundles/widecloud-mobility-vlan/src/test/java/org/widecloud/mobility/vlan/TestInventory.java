package org.widecloud.mobility.vlan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostState;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Site;
import org.widecloud.api.model.SiteState;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.NotFoundException;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.SiteService;
import org.widecloud.api.spi.HostEndpoint;

/** Core's sites and hosts as the backend sees them (read only): what the test registers. */
final class TestInventory implements HostService {
    private final List<Site> sites = new ArrayList<>();
    private final List<Host> hosts = new ArrayList<>();

    TestInventory site(String id, String name) {
        sites.add(new Site(id, name, null, SiteState.ACTIVE, Instant.EPOCH, 1));
        return this;
    }

    TestInventory host(HostEndpoint e, String siteId) {
        hosts.add(new Host(e.hostId(), e.hostName(), siteId, "kvm", e.uri(), HostState.UP, 1, 128, "test", null,
                Instant.EPOCH, 1, e.address(), e.executor()));
        return this;
    }

    @Override
    public Page<Host> list(PageRequest page, String site) {
        return page(hosts.stream().filter(h -> site == null || site.equals(h.site())).toList(), page);
    }

    @Override
    public Host get(String ref) {
        return hosts.stream().filter(h -> h.id().equals(ref) || h.name().equals(ref)).findFirst()
                .orElseThrow(() -> new NotFoundException("host", "host", ref));
    }

    Page<Site> sitePage(PageRequest page) {
        return page(sites, page);
    }

    Site site(String ref) {
        return sites.stream().filter(s -> s.id().equals(ref) || s.name().equals(ref)).findFirst()
                .orElseThrow(() -> new NotFoundException("site", "site", ref));
    }

    /** The SiteService view (a class cannot be both: each has its own get(String)). */
    SiteService sites() {
        TestInventory self = this;
        return new SiteService() {
            @Override
            public Site get(String ref) {
                return self.site(ref);
            }

            @Override
            public Page<Site> list(PageRequest page) {
                return self.sitePage(page);
            }

            @Override
            public Site create(String user, Requests.SiteCreate request) {
                throw new UnsupportedOperationException("read only");
            }

            @Override
            public Site update(String user, String ref, Requests.SiteUpdate request) {
                throw new UnsupportedOperationException("read only");
            }

            @Override
            public void delete(String user, String ref) {
                throw new UnsupportedOperationException("read only");
            }
        };
    }

    private static <T> Page<T> page(List<T> all, PageRequest page) {
        return new Page<>(all.stream().skip(page.offset()).limit(page.limit()).toList(), all.size(), page.offset(),
                page.limit());
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
