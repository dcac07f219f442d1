package dev.ebb.sandbox.marketo;

import dev.ebb.sandbox.PeriodCount;
import dev.ebb.sandbox.SlidingWindow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Marketo's three limits for one instance, shared by every client of it
 * (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/marketo-integration-best-practices):
 * a daily quota that resets at midnight in the instance's reset zone (12:00 AM CST), a sliding window of 100 calls
 * per 20 seconds, and 10 calls in flight at once.
 *
 * <p>A call is admitted (and counted) before it is handled; a call answered with a response-level error is refunded,
 * because "an API call that returns this response code is not counted against your daily quota, or your rate limit"
 * (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/error-codes). Refused calls count
 * nothing. Thread-safe.
 */
final class LimitGate {

    /** Why a call was refused, with Marketo's code and message (error-codes page). */
    enum Refusal {
        DAILY_QUOTA("607", "Daily quota reached"),
        RATE("606", null),
        CONCURRENCY("615", "Concurrent access limit reached");

        final String code;
        private final String message;

        Refusal(String code, String message) {
            this.code = code;
            this.message = message;
        }

        String message(int perWindow, Duration window) {
            // Marketo's wording, typo included: "Max rate limit '%s' exceeded with in '%s' secs".
            return message != null ? message
                    : "Max rate limit '" + perWindow + "' exceeded with in '" + window.toSeconds() + "' secs";
        }
    }

    /** An admitted call, to be {@linkplain #finish finished} once answered: when it was taken, and on which day. */
    record Ticket(Instant at, long day) {
    }

    /** Either a ticket or the refusal. */
    record Decision(Ticket ticket, Refusal refusal) {
    }

    private final int perWindow;
    private final long daily;
    private final int concurrency;
    private final ZoneId zone;
    private final SlidingWindow recent;
    private final PeriodCount today;
    private int inFlight;

    LimitGate(int perWindow, Duration window, long daily, int concurrency, ZoneId zone, Clock clock) {
        if (perWindow < 1) throw new IllegalArgumentException("per_20s must be at least 1: " + perWindow);
        if (daily < 1) throw new IllegalArgumentException("daily must be at least 1: " + daily);
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        this.perWindow = perWindow;
        this.daily = daily;
        this.concurrency = concurrency;
        this.zone = zone;
        this.recent = new SlidingWindow(perWindow, window, clock);
        this.today = PeriodCount.daily(daily, zone, clock);
    }

    /** Admits and counts one call, or says which limit refuses it. */
    synchronized Decision admit() {
        if (!today.fits(1)) return new Decision(null, Refusal.DAILY_QUOTA);
        if (!recent.fits(1)) return new Decision(null, Refusal.RATE);
        if (inFlight >= concurrency) return new Decision(null, Refusal.CONCURRENCY);
        Instant at = recent.take(1);
        long day = today.take(1);
        inFlight++;
        return new Decision(new Ticket(at, day), null);
    }

    /** The call is answered; {@code counted} false refunds it from the window and the day. */
    synchronized void finish(Ticket ticket, boolean counted) {
        inFlight--;
        if (counted) return;
        recent.refund(ticket.at(), 1);
        today.refund(ticket.day(), 1);
    }

    /** Forgets the counts, as if a new day and an empty window had begun (calls in flight stay in flight). */
    synchronized void reset() {
        recent.reset();
        today.reset();
    }

    /** Calls in the current window, today, and in flight. */
    synchronized long[] usage() {
        return new long[]{recent.used(), today.used(), inFlight};
    }

    int perWindow() {
        return perWindow;
    }

    Duration window() {
        return recent.window();
    }

    long daily() {
        return daily;
    }

    int concurrency() {
        return concurrency;
    }

    ZoneId zone() {
        return zone;
    }
}
