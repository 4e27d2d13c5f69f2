package org.widecloud.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers successful logins for a short time, keyed by a SHA-256 of the Authorization header (the password
 * is never kept), because a JAAS login per request costs more than the request at ~1,000 calls/s. A changed
 * password takes effect after at most the time-to-live.
 */
final class LoginCache {
    static final int MAX_ENTRIES = 10_000;

    private final long ttlNanos;
    private final LongSupplier clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    LoginCache(Duration ttl, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.clock = nanoClock;
    }

    Optional<Identity> get(String header) {
        if (ttlNanos <= 0) {
            return Optional.empty();
        }
        String key = key(header);
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (clock.getAsLong() - e.since >= ttlNanos) {
            entries.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(e.identity);
    }

    void put(String header, Identity identity) {
        if (ttlNanos <= 0) {
            return;
        }
        long now = clock.getAsLong();
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(e -> now - e.since >= ttlNanos);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key(header), new Entry(identity, now));
    }

    int size() {
        return entries.size();
    }

    private static String key(String header) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(header.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private record Entry(Identity identity, long since) {
    }
}
