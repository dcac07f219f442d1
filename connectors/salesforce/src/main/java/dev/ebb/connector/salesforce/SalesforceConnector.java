package dev.ebb.connector.salesforce;

import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;

import java.util.List;

/**
 * {@code type: salesforce}: one Salesforce org, signed in through a connected app (OAuth 2.0 JWT bearer, client
 * credentials or refresh token flow) and written through sObject Collections and, for large plans, Bulk API 2.0.
 * Stateless and thread-safe; {@link #open} validates the settings and makes no call.
 *
 * <pre>
 * destinations:
 *   salesforce:
 *     type: salesforce
 *     client_id: "${env:SALESFORCE_CLIENT_ID}"
 *     username: integration@acme.com
 *     private_key: "${file:secrets/salesforce.key}"
 * </pre>
 */
public final class SalesforceConnector implements DestinationConnector {
    public static final String TYPE = "salesforce";
    public static final String DEFAULT_LOGIN_URL = "https://login.salesforce.com";
    /** Winter '25. */
    public static final String DEFAULT_API_VERSION = "62.0";
    /**
     * "Any data operation that includes more than 2,000 records is a good candidate for Bulk API 2.0" (bulk limits
     * cheat sheet, LIMITS §2).
     */
    public static final int DEFAULT_BULK_THRESHOLD = 2_000;
    /**
     * The daily API request allocation every paid edition starts from (100,000, plus 1,000 per Enterprise license or
     * 5,000 per Unlimited license; salesforce-app-limits-platform-api.html, LIMITS §2). Set the org's own figure:
     * Setup, Company Information, "API Requests, Last 24 Hours".
     */
    public static final long DEFAULT_DAILY_LIMIT = 100_000;
    public static final int DEFAULT_TIMEOUT_SECONDS = 120;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ConnectorOption> options() {
        return List.of(
                ConnectorOption.required("client_id", "the connected app's consumer key"),
                ConnectorOption.optional("auth_flow", "jwt | client_credentials | refresh_token (default: the flow "
                        + "whose credential is set)"),
                new ConnectorOption("private_key", false, true, "jwt: PEM of the RSA key whose certificate the "
                        + "connected app holds"),
                ConnectorOption.optional("username", "jwt: the Salesforce user to sign in as"),
                new ConnectorOption("client_secret", false, true, "client_credentials (and optionally "
                        + "refresh_token): the connected app's consumer secret"),
                new ConnectorOption("refresh_token", false, true, "refresh_token: a refresh token of the connected "
                        + "app"),
                ConnectorOption.optional("login_url", "the authorization server (default " + DEFAULT_LOGIN_URL
                        + "; https://test.salesforce.com for sandbox orgs, the My Domain URL for client_credentials, "
                        + "or an Ebb sandbox's URL)"),
                ConnectorOption.optional("audience", "jwt: the assertion's aud claim (default: login_url)"),
                ConnectorOption.optional("instance_url", "send API calls here instead of the instance_url the "
                        + "token response names"),
                ConnectorOption.optional("api_version", "REST API version (default " + DEFAULT_API_VERSION
                        + "; 46.0 or later)"),
                ConnectorOption.optional("bulk_threshold", "records from which a plan is written with Bulk API 2.0 "
                        + "jobs (default " + DEFAULT_BULK_THRESHOLD + ")"),
                ConnectorOption.optional("daily_limit", "the org's API request allocation per rolling 24 hours"
                        + " (default " + DEFAULT_DAILY_LIMIT + ")"),
                ConnectorOption.optional("time_zone", "accepted for older projects and not used: the allocation is"
                        + " counted over a rolling 24 hours, which no time zone resets"),
                ConnectorOption.optional("timeout_seconds", "how long one call may take (default "
                        + DEFAULT_TIMEOUT_SECONDS + ")"));
    }

    @Override
    public Destination open(ConnectorContext context) {
        SalesforceSettings settings = SalesforceSettings.from(context.name(), context.settings());
        return new SalesforceDestination(new SalesforceSession(settings, context.clock()));
    }
}
