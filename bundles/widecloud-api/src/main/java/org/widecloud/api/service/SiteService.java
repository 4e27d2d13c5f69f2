package org.widecloud.api.service;

import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Site;

public interface SiteService {
    Site create(String user, Requests.SiteCreate request);

    /** By id or name; {@link NotFoundException} if neither matches. */
    Site get(String ref);

    Page<Site> list(PageRequest page);

    Site update(String user, String ref, Requests.SiteUpdate request);

    /** Refused while the site has hosts. */
    void delete(String user, String ref);
}
