package dev.ebb.sandbox.hubspot;

import java.time.Duration;

/**
 * The limits the sandbox enforces per HubSpot subscription tier, as HubSpot's "API usage guidelines and limits" page
 * states them (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines): Free and Starter
 * 100 requests per 10 seconds per app and 250,000 a day per account; Professional 190 per 10 seconds and 625,000 a
 * day; Enterprise 190 per 10 seconds and 1,000,000 a day. The sandbox states them itself, not through the
 * connector, so a wrong figure on one side shows against the other.
 */
public enum HubSpotTier {
    FREE(100, 250_000),
    STARTER(100, 250_000),
    PROFESSIONAL(190, 625_000),
    ENTERPRISE(190, 1_000_000);

    /** The rolling window of the per-app limit: "per 10 seconds" (usage-guidelines page). */
    public static final Duration WINDOW = Duration.ofSeconds(10);

    /** Requests per {@link #WINDOW}. */
    public final int perTenSeconds;
    /** Requests per day; the count resets at midnight in the account's time zone. */
    public final long perDay;

    HubSpotTier(int perTenSeconds, long perDay) {
        this.perTenSeconds = perTenSeconds;
        this.perDay = perDay;
    }
}
