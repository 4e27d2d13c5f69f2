package org.widecloud.mobility.nemo;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * What this backend last told the home agent for one network: the care-of address, when it changed ({@code since})
 * and was last renewed, and the scheduled renewal. {@code since} is also kept in the home agent tunnel's alias, from
 * which a restarted backend adopts the binding. Guarded by its own monitor, which also serialises the network's steps on the hosts.
 */
final class BindingState {
    Net net;
    String careOf;
    Instant since;
    Instant renewed;
    ScheduledFuture<?> renewal;

    Instant expires() {
        return renewed == null ? null : renewed.plusSeconds(net.p().lifetime());
    }

    void cancelRenewal() {
        if (renewal != null) {
            renewal.cancel(false);
            renewal = null;
        }
    }
}
