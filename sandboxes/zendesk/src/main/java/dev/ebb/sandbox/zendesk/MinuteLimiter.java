package dev.ebb.sandbox.zendesk;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Zendesk's account-wide limit: requests per minute, the same for every agent and token of the account ("Rate
 * limits", https://developer.zendesk.com/api-reference/introduction/rate-limits). The count resets at the start of
 * each minute of the sandbox's clock, which is what the {@code ratelimit-reset} header (seconds until the reset)
 * describes. Refused requests do not count. Thread-safe.
 */
final class MinuteLimiter {
    /** The outcome of one admission, and the headers every answer carries. */
    record Decision(boolean admitted, long retryAfterSeconds, Map<String, String> headers) {
    }

    private final int perMinute;
    private final Clock clock;
    private long minute = Long.MIN_VALUE;
    private int used;

    MinuteLimiter(int perMinute, Clock clock) {
        if (perMinute < 1) throw new IllegalArgumentException("per_minute must be at least 1: " + perMinute);
        this.perMinute = perMinute;
        this.clock = clock;
    }

    synchronized Decision admit() {
        Instant now = roll();
        if (used >= perMinute) return new Decision(false, secondsToReset(now), headers(now));
        used++;
        return new Decision(true, 0, headers(now));
    }

    /** The headers without counting a request, and the seconds to the reset (for injected throttles). */
    synchronized Decision peek() {
        Instant now = roll();
        return new Decision(false, secondsToReset(now), headers(now));
    }

    synchronized void reset() {
        used = 0;
    }

    synchronized int used() {
        roll();
        return used;
    }

    int perMinute() {
        return perMinute;
    }

    private Instant roll() {
        Instant now = clock.instant();
        long current = Math.floorDiv(now.getEpochSecond(), 60);
        if (current != minute) {
            minute = current;
            used = 0;
        }
        return now;
    }

    private static long secondsToReset(Instant now) {
        return 60 - Math.floorMod(now.getEpochSecond(), 60);
    }

    private Map<String, String> headers(Instant now) {
        String remaining = String.valueOf(Math.max(0, perMinute - used));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Rate-Limit", String.valueOf(perMinute));
        headers.put("X-Rate-Limit-Remaining", remaining);
        headers.put("ratelimit-limit", String.valueOf(perMinute));
        headers.put("ratelimit-remaining", remaining);
        headers.put("ratelimit-reset", String.valueOf(secondsToReset(now)));
        return headers;
    }
}
