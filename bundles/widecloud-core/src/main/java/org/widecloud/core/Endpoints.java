package org.widecloud.core;

import org.widecloud.api.model.Host;
import org.widecloud.api.spi.HostEndpoint;

final class Endpoints {
    private Endpoints() {
    }

    static HostEndpoint of(Host h) {
        return HostEndpoint.of(h);
    }
}
