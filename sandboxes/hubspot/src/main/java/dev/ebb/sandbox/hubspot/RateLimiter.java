package dev.ebb.sandbox.hubspot;

import dev.ebb.sandbox.PeriodCount;
import dev.ebb.sandbox.SlidingWindow;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
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

    /** One token's two counts. */
    private record Usage(SlidingWindow recent, PeriodCount today) {
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
        if (!current.today.fits(1)) return new Decision(Policy.DAILY, headers(current));
        if (!current.recent.fits(1)) return new Decision(Policy.TEN_SECONDLY_ROLLING, headers(current));
        current.recent.take(1);
        current.today.take(1);
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
        usage.forEach((token, current) -> copy.put(token, new long[]{current.recent.used(), current.today.used()}));
        return copy;
    }

    int perWindow() {
        return perWindow;
    }

    long daily() {
        return daily;
    }

    private Usage current(String token) {
        return usage.computeIfAbsent(token, t -> new Usage(new SlidingWindow(perWindow, window, clock),
                PeriodCount.daily(daily, zone, clock)));
    }

    private Map<String, String> headers(Usage current) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-HubSpot-RateLimit-Daily", String.valueOf(daily));
        headers.put("X-HubSpot-RateLimit-Daily-Remaining", String.valueOf(current.today.remaining()));
        headers.put("X-HubSpot-RateLimit-Interval-Milliseconds", String.valueOf(window.toMillis()));
        headers.put("X-HubSpot-RateLimit-Max", String.valueOf(perWindow));
        headers.put("X-HubSpot-RateLimit-Remaining", String.valueOf(current.recent.remaining()));
        return headers;
    }
}
