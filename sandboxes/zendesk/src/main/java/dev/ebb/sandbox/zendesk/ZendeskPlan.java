package dev.ebb.sandbox.zendesk;

/**
 * The account-wide requests per minute the sandbox enforces per Zendesk plan, as "Rate limits"
 * (https://developer.zendesk.com/api-reference/introduction/rate-limits) states them for Zendesk Suite: Team 200,
 * Growth 400, Professional 400, Enterprise 700, Enterprise Plus 2,500, and 2,500 with the High Volume API add-on.
 * The sandbox states them itself, not through the connector, so a wrong figure on one side shows against the other.
 */
public enum ZendeskPlan {
    TEAM(200),
    GROWTH(400),
    PROFESSIONAL(400),
    ENTERPRISE(700),
    ENTERPRISE_PLUS(2_500),
    HIGH_VOLUME(2_500);

    /** Requests per minute, shared by every API client of the account. */
    public final int perMinute;

    ZendeskPlan(int perMinute) {
        this.perMinute = perMinute;
    }
}
