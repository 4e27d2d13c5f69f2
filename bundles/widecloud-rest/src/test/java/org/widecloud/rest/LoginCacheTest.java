package org.widecloud.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LoginCacheTest {
    private final AtomicLong now = new AtomicLong();
    private final Identity karaf = new Identity("karaf", Set.of("admin"));

    @Test
    void remembersForTheTimeToLive() {
        LoginCache cache = new LoginCache(Duration.ofSeconds(60), now::get);
        cache.put("Basic a2FyYWY6a2FyYWY=", karaf);
        assertEquals(Optional.of(karaf), cache.get("Basic a2FyYWY6a2FyYWY="));
        assertTrue(cache.get("Basic a2FyYWY6d3Jvbmc=").isEmpty(), "another header is another login");
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertTrue(cache.get("Basic a2FyYWY6a2FyYWY=").isEmpty());
        assertEquals(0, cache.size());
    }

    @Test
    void zeroTimeToLiveDisablesIt() {
        LoginCache cache = new LoginCache(Duration.ZERO, now::get);
        cache.put("h", karaf);
        assertTrue(cache.get("h").isEmpty());
    }

    @Test
    void staysBounded() {
        LoginCache cache = new LoginCache(Duration.ofSeconds(60), now::get);
        for (int i = 0; i < LoginCache.MAX_ENTRIES + 10; i++) {
            cache.put("h" + i, karaf);
        }
        assertTrue(cache.size() <= LoginCache.MAX_ENTRIES);
    }
}
