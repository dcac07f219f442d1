package dev.ebb.sandbox.hubspot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HubSpot's two limits per token: a rolling 10-second window and a daily count that resets at midnight in the
 * account's time zone (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines). Refused
 * requests do not consume either. Thread-safe.
 */
final class RateLimiter {
    /** Which limit refused a request, as HubSpot's {@code policyName} names it. */
    enum Policy { TEN_SECONDLY_ROLLING, DAILY }

    /** The outcome of one admission and the headers every response carries. */
    record Decision(Policy refusedBy, Map<String, String> headers) {
        boolean admitted() {
            return refusedBy == null;
        }
    }

    private final int perWindow;
    private final long daily;
    private final Duration window;
    private final ZoneId zone;
    private final Clock clock;
    private final Map<String, Usage> usage = new HashMap<>();

    private static final class Usage {
        final Deque<Instant> recent = new ArrayDeque<>();
        LocalDate day;
        long today;
    }

    RateLimiter(int perWindow, long daily, Duration window, ZoneId zone, Clock clock) {
        if (perWindow < 1) throw new IllegalArgumentException("per_10s must be at least 1: " + perWindow);
        if (daily < 1) throw new IllegalArgumentException("daily must be at least 1: " + daily);
        this.perWindow = perWindow;
        this.daily = daily;
        this.window = window;
        this.zone = zone;
        this.clock = clock;
    }

    /** Counts one request of {@code token} if both limits allow it. */
    synchronized Decision admit(String token) {
        Usage current = current(token);
        Instant now = clock.instant();
        if (current.today >= daily) return new Decision(Policy.DAILY, headers(current));
        if (current.recent.size() >= perWindow) return new Decision(Policy.TEN_SECONDLY_ROLLING, headers(current));
        current.recent.addLast(now);
        current.today++;
        return new Decision(null, headers(current));
    }

    /** The headers for {@code token} without counting a request (for injected throttles). */
    synchronized Map<String, String> peek(String token) {
        return headers(current(token));
    }

    /** Forgets every count, as if a new day and an empty window had begun. */
    synchronized void reset() {
        usage.clear();
    }

    /** Per token: calls in the current window and today. */
    synchronized Map<String, long[]> snapshot() {
        Map<String, long[]> copy = new LinkedHashMap<>();
        usage.keySet().forEach(token -> {
            Usage current = current(token);
            copy.put(token, new long[]{current.recent.size(), current.today});
        });
        return copy;
    }

    int perWindow() {
        return perWindow;
    }

    long daily() {
        return daily;
    }

    private Usage current(String token) {
        Usage current = usage.computeIfAbsent(token, t -> new Usage());
        Instant now = clock.instant();
        while (!current.recent.isEmpty() && !current.recent.peekFirst().isAfter(now.minus(window))) {
            current.recent.removeFirst();
        }
        LocalDate today = now.atZone(zone).toLocalDate();
        if (!today.equals(current.day)) {
            current.day = today;
            current.today = 0;
        }
        return current;
    }

    private Map<String, String> headers(Usage current) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-HubSpot-RateLimit-Daily", String.valueOf(daily));
        headers.put("X-HubSpot-RateLimit-Daily-Remaining", String.valueOf(Math.max(0, daily - current.today)));
        headers.put("X-HubSpot-RateLimit-Interval-Milliseconds", String.valueOf(window.toMillis()));
        headers.put("X-HubSpot-RateLimit-Max", String.valueOf(perWindow));
        headers.put("X-HubSpot-RateLimit-Remaining", String.valueOf(Math.max(0, perWindow - current.recent.size())));
        return headers;
    }
}
