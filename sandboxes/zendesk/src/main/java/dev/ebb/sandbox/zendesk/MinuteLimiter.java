package dev.ebb.sandbox.zendesk;

import dev.ebb.sandbox.PeriodCount;

import java.time.Clock;
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
    private final PeriodCount minute;

    MinuteLimiter(int perMinute, Clock clock) {
        if (perMinute < 1) throw new IllegalArgumentException("per_minute must be at least 1: " + perMinute);
        this.perMinute = perMinute;
        this.minute = PeriodCount.perMinute(perMinute, clock);
    }

    synchronized Decision admit() {
        if (!minute.fits(1)) return new Decision(false, minute.secondsToNextPeriod(), headers());
        minute.take(1);
        return new Decision(true, 0, headers());
    }

    /** The headers without counting a request, and the seconds to the reset (for injected throttles). */
    synchronized Decision peek() {
        return new Decision(false, minute.secondsToNextPeriod(), headers());
    }

    synchronized void reset() {
        minute.reset();
    }

    synchronized int used() {
        return (int) minute.used();
    }

    int perMinute() {
        return perMinute;
    }

    private Map<String, String> headers() {
        String remaining = String.valueOf(minute.remaining());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Rate-Limit", String.valueOf(perMinute));
        headers.put("X-Rate-Limit-Remaining", remaining);
        headers.put("ratelimit-limit", String.valueOf(perMinute));
        headers.put("ratelimit-remaining", remaining);
        headers.put("ratelimit-reset", String.valueOf(minute.secondsToNextPeriod()));
        return headers;
    }
}
