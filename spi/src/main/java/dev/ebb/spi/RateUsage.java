package dev.ebb.spi;

import java.time.Duration;

/**
 * What a vendor's response headers said about the account's remaining budget, e.g. HubSpot's
 * {@code X-HubSpot-RateLimit-*}. Any component may be {@code null} when the vendor did not say.
 *
 * @param windowMax       calls allowed per window
 * @param windowRemaining calls left in the current window
 * @param window          the window's length
 * @param dailyRemaining  calls left today
 */
public record RateUsage(Long windowMax, Long windowRemaining, Duration window, Long dailyRemaining) {
    public static final RateUsage UNKNOWN = new RateUsage(null, null, null, null);
}
