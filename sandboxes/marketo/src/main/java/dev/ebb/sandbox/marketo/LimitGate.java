package dev.ebb.sandbox.marketo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;

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

    /** An admitted call, to be {@linkplain #finish finished} once answered. */
    record Ticket(Instant at, LocalDate day) {
    }

    /** Either a ticket or the refusal. */
    record Decision(Ticket ticket, Refusal refusal) {
    }

    private final int perWindow;
    private final Duration window;
    private final long daily;
    private final int concurrency;
    private final ZoneId zone;
    private final Clock clock;
    private final Deque<Instant> recent = new ArrayDeque<>();
    private LocalDate day;
    private long today;
    private int inFlight;

    LimitGate(int perWindow, Duration window, long daily, int concurrency, ZoneId zone, Clock clock) {
        if (perWindow < 1) throw new IllegalArgumentException("per_20s must be at least 1: " + perWindow);
        if (daily < 1) throw new IllegalArgumentException("daily must be at least 1: " + daily);
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        this.perWindow = perWindow;
        this.window = window;
        this.daily = daily;
        this.concurrency = concurrency;
        this.zone = zone;
        this.clock = clock;
    }

    /** Admits and counts one call, or says which limit refuses it. */
    synchronized Decision admit() {
        Instant now = roll();
        if (today >= daily) return new Decision(null, Refusal.DAILY_QUOTA);
        if (recent.size() >= perWindow) return new Decision(null, Refusal.RATE);
        if (inFlight >= concurrency) return new Decision(null, Refusal.CONCURRENCY);
        recent.addLast(now);
        today++;
        inFlight++;
        return new Decision(new Ticket(now, day), null);
    }

    /** The call is answered; {@code counted} false refunds it from the window and the day. */
    synchronized void finish(Ticket ticket, boolean counted) {
        inFlight--;
        if (counted) return;
        recent.removeFirstOccurrence(ticket.at());
        if (ticket.day().equals(day) && today > 0) today--;
    }

    /** Forgets the counts, as if a new day and an empty window had begun (calls in flight stay in flight). */
    synchronized void reset() {
        recent.clear();
        today = 0;
    }

    /** Calls in the current window, today, and in flight. */
    synchronized long[] usage() {
        roll();
        return new long[]{recent.size(), today, inFlight};
    }

    int perWindow() {
        return perWindow;
    }

    Duration window() {
        return window;
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

    private Instant roll() {
        Instant now = clock.instant();
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(window))) recent.removeFirst();
        LocalDate current = now.atZone(zone).toLocalDate();
        if (!current.equals(day)) {
            day = current;
            today = 0;
        }
        return now;
    }
}
