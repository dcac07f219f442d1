package dev.ebb.core.config;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * {@code schedule:} of a sync: {@code { every: 1h }}, {@code { cron: "0 * * * *", timezone: Europe/Paris }},
 * {@code { after: other_sync }} or {@code manual}. Read by {@code ebb serve}; {@code ebb run} ignores it.
 *
 * @param every the interval, or {@code null}
 * @param cron  a five-field cron expression, or {@code null}
 * @param zone  the time zone a cron expression is read in (UTC unless {@code timezone:} says otherwise)
 * @param after the sync whose successful run starts this one, or {@code null}
 */
public record Schedule(Duration every, String cron, ZoneId zone, String after) {
    public static final Schedule MANUAL = new Schedule(null, null);

    public Schedule {
        if (zone == null) zone = ZoneOffset.UTC;
    }

    /** An interval or a cron expression read in UTC. */
    public Schedule(Duration every, String cron) {
        this(every, cron, ZoneOffset.UTC, null);
    }

    /** Runs after each successful run of {@code sync}. */
    public static Schedule after(String sync) {
        return new Schedule(null, null, ZoneOffset.UTC, sync);
    }

    /** Runs only when asked (a trigger, {@code ebb run}). */
    public boolean manual() {
        return every == null && cron == null && after == null;
    }
}
