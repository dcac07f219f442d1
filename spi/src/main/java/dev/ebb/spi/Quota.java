package dev.ebb.spi;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * An allowance of calls per account over a window the vendor defines: a calendar day (HubSpot Professional's
 * 625,000 a day, reset at midnight in a time zone) or a rolling 24 hours (Salesforce's daily API request
 * allocation, counted over the last 24 hours whatever the clock says).
 *
 * @param requests  calls per window
 * @param resetZone for {@link Window#CALENDAR_DAY}, the time zone whose midnight resets the count (the vendor's, or
 *                  the account's); a rolling window has no reset and keeps UTC here
 * @param window    how the vendor counts the calls
 */
public record Quota(long requests, ZoneId resetZone, Window window) {

    /** How a vendor counts its daily allowance. */
    public enum Window {
        /** Midnight to midnight in {@link #resetZone()}: the count starts afresh at each midnight. */
        CALENDAR_DAY,
        /** The calls of the last 24 hours, at any moment: a call counts until 24 hours after it was made. */
        ROLLING_24_HOURS
    }

    public Quota {
        if (requests < 1) throw new IllegalArgumentException("requests must be at least 1: " + requests);
        Objects.requireNonNull(resetZone, "resetZone");
        Objects.requireNonNull(window, "window");
    }

    /** An allowance per calendar day, reset at midnight in {@code resetZone}. */
    public Quota(long requests, ZoneId resetZone) {
        this(requests, resetZone, Window.CALENDAR_DAY);
    }

    /** An allowance over a rolling 24 hours. */
    public static Quota rolling24Hours(long requests) {
        return new Quota(requests, ZoneOffset.UTC, Window.ROLLING_24_HOURS);
    }

    /** The same window with another allowance (a user's lower cap). */
    public Quota withRequests(long lower) {
        return new Quota(lower, resetZone, window);
    }
}
