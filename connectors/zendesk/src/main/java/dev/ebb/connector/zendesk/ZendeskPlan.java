package dev.ebb.connector.zendesk;

import dev.ebb.connector.support.Choices;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Zendesk plans and their account-wide API rate limits, shared by the destination (what it declares) and the sandbox
 * (what it enforces).
 *
 * <p>Source: "Rate limits", https://developer.zendesk.com/api-reference/introduction/rate-limits (Zendesk Suite plan
 * limits): Team 200 requests per minute, Growth 400, Professional 400, Enterprise 700, Enterprise Plus 2,500; the
 * High Volume API add-on raises a qualifying plan (Growth or above) to 2,500. The limit is per account, shared by
 * every API client of the account.
 */
public enum ZendeskPlan {
    TEAM(200),
    GROWTH(400),
    PROFESSIONAL(400),
    ENTERPRISE(700),
    ENTERPRISE_PLUS(2_500),
    HIGH_VOLUME(2_500);

    /** The window the account limit counts over. */
    public static final Duration WINDOW = Duration.ofMinutes(1);

    private final int requestsPerMinute;

    ZendeskPlan(int requestsPerMinute) {
        this.requestsPerMinute = requestsPerMinute;
    }

    public int requestsPerMinute() {
        return requestsPerMinute;
    }

    /** The plan named {@code name} (case-insensitive, {@code -} or {@code _}), or an exception that lists them. */
    public static ZendeskPlan parse(String name) {
        return Choices.parse(name, List.of(values()), ZendeskPlan::optionValue, WHAT);
    }

    /** What a plan is called in messages. */
    static final String WHAT = "Zendesk plan";

    /** The plan as spelled in settings ({@code enterprise_plus}). */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
