package dev.ebb.sandbox.hubspot;

import java.time.Duration;

/**
 * The HubSpot subscription tiers whose limits the sandbox enforces, as HubSpot's "API usage guidelines and limits"
 * page states them (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines). The sandbox
 * states them itself, not through the connector, so a wrong figure on one side shows against the other.
 */
public enum HubSpotTier {
    FREE, STARTER, PROFESSIONAL, ENTERPRISE;

    /** The rolling window of the per-app limit: "per 10 seconds" (usage-guidelines page). */
    public static final Duration WINDOW = Duration.ofSeconds(10);

    /** Requests per {@link #WINDOW} per app: 100 on Free and Starter, 190 on Professional and Enterprise. */
    public int perTenSeconds() {
        return switch (this) {
            case FREE, STARTER -> 100;
            case PROFESSIONAL, ENTERPRISE -> 190;
        };
    }

    /**
     * Requests per day per account, counted until midnight in the account's time zone: 250,000 on Free and Starter,
     * 625,000 on Professional, 1,000,000 on Enterprise.
     */
    public long perDay() {
        return switch (this) {
            case FREE, STARTER -> 250_000;
            case PROFESSIONAL -> 625_000;
            case ENTERPRISE -> 1_000_000;
        };
    }
}
