package dev.ebb.connector.hubspot;

import dev.ebb.connector.support.Choices;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * HubSpot subscription tiers and their API limits, shared by the destination (what it declares) and the sandbox
 * (what it enforces).
 *
 * <p>Source: HubSpot's "API usage guidelines and limits" page,
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines : Free and Starter allow
 * 100 requests per 10 seconds per app and 250,000 a day per account; Professional 190 per 10 seconds and 625,000 a
 * day; Enterprise 190 per 10 seconds and 1,000,000 a day. The daily count resets at midnight in the account's
 * time zone.
 */
public enum HubSpotTier {
    FREE(100, 250_000),
    STARTER(100, 250_000),
    PROFESSIONAL(190, 625_000),
    ENTERPRISE(190, 1_000_000);

    /** The rolling window the per-app limit counts over. */
    public static final Duration WINDOW = Duration.ofSeconds(10);

    private final int requestsPerWindow;
    private final long requestsPerDay;

    HubSpotTier(int requestsPerWindow, long requestsPerDay) {
        this.requestsPerWindow = requestsPerWindow;
        this.requestsPerDay = requestsPerDay;
    }

    /** Requests allowed per {@link #WINDOW}. */
    public int requestsPerWindow() {
        return requestsPerWindow;
    }

    /** Requests allowed per day. */
    public long requestsPerDay() {
        return requestsPerDay;
    }

    /** The tier named {@code name} (case-insensitive), or an exception that lists the tiers. */
    public static HubSpotTier parse(String name) {
        return Choices.parse(name, List.of(values()), HubSpotTier::optionValue, WHAT);
    }

    /** What a tier is called in messages. */
    static final String WHAT = "HubSpot tier";

    /** The tier as spelled in settings ({@code professional}). */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
