package org.widecloud.core;

import java.time.Instant;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Site;
import org.widecloud.api.model.SiteState;
import org.widecloud.api.service.ConflictException;
import org.widecloud.api.service.Requests;
import org.widecloud.api.service.SiteService;
import org.widecloud.api.service.ValidationException;
import org.widecloud.api.store.CloudStore;

@Component(service = SiteService.class)
public class SiteServiceImpl implements SiteService {
    private final CloudStore store;
    private final Audit audit;

    @Activate
    public SiteServiceImpl(@Reference CloudStore store, @Reference Audit audit) {
        this.store = store;
        this.audit = audit;
    }

    @Override
    public Site create(String user, Requests.SiteCreate r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        String name = Names.name("name", r.name());
        String description = Names.text("description", r.description(), 1024);
        if (store.siteByName(name).isPresent()) {
            throw new ConflictException("name", "a site named '" + name + "' exists already");
        }
        Site site = new Site(UUID.randomUUID().toString(), name, description, SiteState.ACTIVE, Instant.now(), 0);
        StoreErrors.run("site", () -> store.insertSite(site));
        audit.record(user, "site.create", "site", site.id(), name);
        return site;
    }

    @Override
    public Site get(String ref) {
        return Refs.path("site", ref, store::site, store::siteByName);
    }

    @Override
    public Page<Site> list(PageRequest page) {
        return store.sites(page);
    }

    @Override
    public Site update(String user, String ref, Requests.SiteUpdate r) {
        if (r == null) {
            throw new ValidationException("body", "is required");
        }
        Site s = get(ref);
        StoreErrors.expectVersion("site", r.version(), s.version());
        String name = r.name() == null ? s.name() : Names.name("name", r.name());
        if (!name.equals(s.name()) && store.siteByName(name).isPresent()) {
            throw new ConflictException("name", "a site named '" + name + "' exists already");
        }
        String description = r.description() == null ? s.description() : Names.text("description", r.description(), 1024);
        SiteState state = r.state() == null ? s.state() : Enums.parse("state", SiteState.class, r.state());
        Site updated = StoreErrors.translate("site",
                () -> store.updateSite(new Site(s.id(), name, description, state, s.created(), s.version())));
        audit.record(user, "site.update", "site", s.id(), name);
        return updated;
    }

    @Override
    public void delete(String user, String ref) {
        Site s = get(ref);
        long hosts = store.hosts(new PageRequest(0, 1), s.id()).total();
        if (hosts > 0) {
            throw new ConflictException("site", "site '" + s.name() + "' still has " + hosts
                    + " host(s); delete or move them first");
        }
        long pools = store.pools(PageRequest.all(), s.id()).items().stream().filter(p -> s.id().equals(p.site()))
                .count();
        if (pools > 0) {
            throw new ConflictException("site", "site '" + s.name() + "' still has " + pools
                    + " storage pool(s); delete them first");
        }
        store.deleteSite(s.id());
        audit.record(user, "site.delete", "site", s.id(), s.name());
    }
}
