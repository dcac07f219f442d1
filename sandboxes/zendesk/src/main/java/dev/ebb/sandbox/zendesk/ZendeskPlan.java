package dev.ebb.sandbox.zendesk;

/**
 * The Zendesk Suite plans whose account-wide limit the sandbox enforces, as "Rate limits"
 * (https://developer.zendesk.com/api-reference/introduction/rate-limits) states them. The sandbox states them itself,
 * not through the connector, so a wrong figure on one side shows against the other.
 */
public enum ZendeskPlan {
    TEAM, GROWTH, PROFESSIONAL, ENTERPRISE, ENTERPRISE_PLUS, HIGH_VOLUME;

    /**
     * Requests per minute, shared by every API client of the account: Team 200, Growth and Professional 400,
     * Enterprise 700, Enterprise Plus 2,500, and 2,500 with the High Volume API add-on.
     */
    public int perMinute() {
        return switch (this) {
            case TEAM -> 200;
            case GROWTH, PROFESSIONAL -> 400;
            case ENTERPRISE -> 700;
            case ENTERPRISE_PLUS, HIGH_VOLUME -> 2_500;
        };
    }
}
