package org.widecloud.api.service;

import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.model.Pool;

/** Storage pools. Every returned pool has its secret parameters masked. */
public interface PoolService {
    /** Validates with the backend, then makes the pool exist (on every UP host of its site for host-local ones). */
    Pool create(String user, Requests.PoolCreate request);

    Pool get(String ref);

    /** {@code site} (id or name) filters when not null; wide-area pools are listed for every site. */
    Page<Pool> list(PageRequest page, String site);

    Pool update(String user, String ref, Requests.PoolUpdate request);

    /** Asks the backend for capacity and use now and stores them. */
    Pool refresh(String user, String ref);

    /** Refused while the pool holds volumes. */
    void delete(String user, String ref);
}
