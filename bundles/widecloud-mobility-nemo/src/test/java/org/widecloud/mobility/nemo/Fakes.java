package org.widecloud.mobility.nemo;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.widecloud.api.model.Host;
import org.widecloud.api.model.HostState;
import org.widecloud.api.model.Network;
import org.widecloud.api.model.Page;
import org.widecloud.api.model.PageRequest;
import org.widecloud.api.service.HostService;
import org.widecloud.api.service.NetworkService;
import org.widecloud.api.spi.HostEndpoint;
import org.widecloud.api.spi.HostExecutors;

/** Stand-ins for the unit tests: executors per executor URI, core's lists (read only), a clock that tests move. */
final class Fakes {
    private Fakes() {
    }

    /** One {@link FakeHost} per executor URI, made on first use. */
    static final class Executors implements HostExecutors {
        final Map<String, FakeHost> hosts = new ConcurrentHashMap<>();

        @Override
        public FakeHost forHost(HostEndpoint host) {
            return hosts.computeIfAbsent(host.executor(), k -> new FakeHost());
        }

        FakeHost at(String executor) {
            return hosts.computeIfAbsent(executor, k -> new FakeHost());
        }
    }

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    static HostService hosts(HostEndpoint... endpoints) {
        List<Host> list = java.util.Arrays.stream(endpoints).map(e -> new Host(e.hostId(), e.hostName(), "site-1",
                "kvm", e.uri(), HostState.UP, 1, 128, "test", null, Instant.EPOCH, 1, e.address(), e.executor()))
                .toList();
        return listing(HostService.class, list);
    }

    static NetworkService networks(Network... networks) {
        return listing(NetworkService.class, List.of(networks));
    }

    /** A service whose {@code list} answers with {@code items} (one page); every other method fails. */
    private static <T> T listing(Class<T> type, List<?> items) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (!method.getName().equals("list")) {
                throw new UnsupportedOperationException(method.getName() + ": read only");
            }
            PageRequest page = (PageRequest) args[0];
            String site = args.length > 1 ? (String) args[1] : null;
            List<?> match = items.stream().filter(i -> site == null || !(i instanceof Host h) || site.equals(h.site()))
                    .toList();
            return new Page<>(match.stream().skip(page.offset()).limit(page.limit()).toList(), match.size(),
                    page.offset(), page.limit());
        });
        return type.cast(proxy);
    }
}
