package dev.ebb.spi;

import java.time.ZoneId;
import java.util.Objects;

/**
 * A daily allowance of calls per account, e.g. HubSpot Professional's 625,000 a day.
 *
 * @param requests calls per day
 * @param resetZone the time zone whose midnight resets the count (the vendor's, or the account's)
 */
public record Quota(long requests, ZoneId resetZone) {
    public Quota {
        if (requests < 1) throw new IllegalArgumentException("requests must be at least 1: " + requests);
        Objects.requireNonNull(resetZone, "resetZone");
    }
}
