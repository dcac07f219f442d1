package dev.ebb.core.config;

import java.time.Duration;

/**
 * {@code schedule:} of a sync: {@code { every: 1h }}, {@code { cron: "0 * * * *" }} or {@code manual}.
 *
 * @param every the interval, or {@code null}
 * @param cron  a five-field cron expression, or {@code null}
 */
public record Schedule(Duration every, String cron) {
    public static final Schedule MANUAL = new Schedule(null, null);

    public boolean manual() {
        return every == null && cron == null;
    }
}
