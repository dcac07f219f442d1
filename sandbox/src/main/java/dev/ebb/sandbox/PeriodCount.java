package dev.ebb.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * A limit that starts again at each calendar boundary, as vendors count "250,000 a day, reset at midnight in the
 * account's time zone" or "requests per minute": the count of the current period, forgotten when the next begins.
 * Unlike a {@link SlidingWindow}, a burst at the end of one period and another at the start of the next both fit.
 *
 * <p>Thread-safe; a vendor limit that checks several counts at once holds its own lock around them.
 */
public final class PeriodCount {
    private final long limit;
    private final Clock clock;
    private final ToLongFunction<Instant> periodOf;
    private final LongFunction<Instant> startOf;
    private long period = Long.MIN_VALUE;
    private long used;

    private PeriodCount(long limit, Clock clock, ToLongFunction<Instant> periodOf, LongFunction<Instant> startOf) {
        if (limit < 1) throw new IllegalArgumentException("a period holds at least 1: " + limit);
        this.limit = limit;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.periodOf = periodOf;
        this.startOf = startOf;
    }

    /** A count per calendar day of {@code zone}, reset at its midnight. */
    public static PeriodCount daily(long limit, ZoneId zone, Clock clock) {
        Objects.requireNonNull(zone, "zone");
        return new PeriodCount(limit, clock, at -> at.atZone(zone).toLocalDate().toEpochDay(),
                day -> LocalDate.ofEpochDay(day).atStartOfDay(zone).toInstant());
    }

    /** A count per minute of the clock, reset at each whole minute (UTC seconds). */
    public static PeriodCount perMinute(long limit, Clock clock) {
        return new PeriodCount(limit, clock, at -> Math.floorDiv(at.getEpochSecond(), 60),
                minute -> Instant.ofEpochSecond(minute * 60));
    }

    /** Whether {@code amount} more fits in the current period. */
    public synchronized boolean fits(long amount) {
        roll();
        return used + amount <= limit;
    }

    /** Counts {@code amount} in the current period; the answer names the period for {@link #refund}. */
    public synchronized long take(long amount) {
        roll();
        used += amount;
        return period;
    }

    /** Gives back {@code amount} taken in {@code takenIn}, if that is still the current period. */
    public synchronized void refund(long takenIn, long amount) {
        roll();
        if (takenIn == period) used = Math.max(0, used - amount);
    }

    /** What the current period holds. */
    public synchronized long used() {
        roll();
        return used;
    }

    /** What still fits in the current period, never below 0. */
    public synchronized long remaining() {
        return Math.max(0, limit - used());
    }

    public long limit() {
        return limit;
    }

    /** Whole seconds until the next period begins, at least 1 (what a {@code Retry-After} or reset header says). */
    public synchronized long secondsToNextPeriod() {
        roll();
        Instant now = clock.instant();
        long seconds = startOf.apply(period + 1).getEpochSecond() - now.getEpochSecond();
        return Math.max(1, seconds);
    }

    /** Forgets the current period's count. */
    public synchronized void reset() {
        used = 0;
    }

    private void roll() {
        long current = periodOf.applyAsLong(clock.instant());
        if (current != period) {
            period = current;
            used = 0;
        }
    }
}
