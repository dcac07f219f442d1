package dev.ebb.connector.salesforce;

import dev.ebb.connector.salesforce.internal.Pem;

import dev.ebb.connector.support.Settings;

import java.net.URI;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The settings of one {@code type: salesforce} entry, validated whole when the connection opens (no network call).
 *
 * @param name          the entry's name, for messages
 * @param flow          how to sign in
 * @param clientId      the connected app's consumer key
 * @param clientSecret  the consumer secret, or null
 * @param privateKey    the key that signs JWT assertions, or null
 * @param refreshToken  a refresh token, or null
 * @param username      the user a JWT assertion names ({@code sub}), or null
 * @param loginUrl      the authorization server ({@code https://login.salesforce.com}), no trailing slash
 * @param audience      the JWT {@code aud} claim
 * @param instanceUrl   where API calls go instead of the token response's {@code instance_url}, or null
 * @param apiVersion    {@code 62.0}
 * @param bulkThreshold records from which a plan takes Bulk API 2.0
 * @param dailyLimit    the org's API request allocation per rolling 24 hours
 * @param timeout       how long one call may take
 */
record SalesforceSettings(String name, AuthFlow flow, String clientId, String clientSecret, PrivateKey privateKey,
                          String refreshToken, String username, URI loginUrl, String audience, URI instanceUrl,
                          String apiVersion, int bulkThreshold, long dailyLimit, Duration timeout) {

    private static final Pattern VERSION = Pattern.compile("\\d{2,3}\\.0");
    private static final String URL_EXAMPLES = SalesforceConnector.DEFAULT_LOGIN_URL + ", https://test.salesforce.com, "
            + "https://yourdomain.my.salesforce.com or a sandbox's http://127.0.0.1:8090";

    static SalesforceSettings from(String name, Map<String, String> values) {
        Settings settings = new Settings(name, values, new SalesforceConnector().options());
        String clientId = settings.required("client_id");
        String clientSecret = settings.optional("client_secret").orElse(null);
        String privateKeyText = settings.optional("private_key").orElse(null);
        String refreshToken = settings.optional("refresh_token").orElse(null);
        String username = settings.optional("username").orElse(null);
        AuthFlow flow = flow(settings, privateKeyText, refreshToken, clientSecret);
        PrivateKey privateKey = null;
        switch (flow) {
            case JWT -> {
                if (privateKeyText == null) throw problem(name, "auth_flow jwt needs private_key (the PEM of the key "
                        + "whose certificate the connected app holds)");
                if (username == null) throw problem(name, "auth_flow jwt needs username (the Salesforce user the "
                        + "assertion signs in as)");
                try {
                    privateKey = Pem.privateKey(privateKeyText);
                } catch (IllegalArgumentException e) {
                    throw problem(name, "private_key: " + e.getMessage());
                }
            }
            case CLIENT_CREDENTIALS -> {
                if (clientSecret == null) throw problem(name, "auth_flow client_credentials needs client_secret");
            }
            case REFRESH_TOKEN -> {
                if (refreshToken == null) throw problem(name, "auth_flow refresh_token needs refresh_token");
            }
        }
        URI loginUrl = settings.origin("login_url", SalesforceConnector.DEFAULT_LOGIN_URL, URL_EXAMPLES);
        String audience = values.containsKey("audience") ? values.get("audience").trim() : loginUrl.toString();
        URI instanceUrl = settings.optional("instance_url").isPresent()
                ? settings.origin("instance_url", null, URL_EXAMPLES) : null;
        String apiVersion = settings.string("api_version", SalesforceConnector.DEFAULT_API_VERSION);
        if (apiVersion.startsWith("v")) apiVersion = apiVersion.substring(1);
        if (!VERSION.matcher(apiVersion).matches() || Double.parseDouble(apiVersion) < 46) {
            // sObject Collections upsert needs 46.0 (resources-composite-sobjects-collections-upsert.html).
            throw problem(name, "api_version '" + values.get("api_version") + "' should read like "
                    + SalesforceConnector.DEFAULT_API_VERSION + " (46.0 or later: sObject Collections upsert needs it)");
        }
        int bulkThreshold = settings.positiveInt("bulk_threshold", SalesforceConnector.DEFAULT_BULK_THRESHOLD,
                Integer.MAX_VALUE);
        long dailyLimit = settings.positive("daily_limit", SalesforceConnector.DEFAULT_DAILY_LIMIT, Long.MAX_VALUE);
        // time_zone is still read, so an older project's bad value is still told, but a rolling allocation has no
        // midnight to reset at.
        settings.zone("time_zone", "UTC", "a region id, e.g. America/Los_Angeles");
        Duration timeout = settings.seconds("timeout_seconds", SalesforceConnector.DEFAULT_TIMEOUT_SECONDS, 3_600);
        return new SalesforceSettings(name, flow, clientId, clientSecret, privateKey, refreshToken, username, loginUrl,
                audience, instanceUrl, apiVersion, bulkThreshold, dailyLimit, timeout);
    }

    /** {@code /services/data/v62.0}. */
    String dataPath() {
        return "/services/data/v" + apiVersion;
    }

    private static AuthFlow flow(Settings settings, String privateKey, String refreshToken, String clientSecret) {
        if (settings.optional("auth_flow").isPresent()) {
            return settings.choice("auth_flow", null, List.of(AuthFlow.values()), AuthFlow::optionValue, "auth_flow");
        }
        // Without auth_flow, the credential given says which flow is meant.
        if (privateKey != null) return AuthFlow.JWT;
        if (refreshToken != null) return AuthFlow.REFRESH_TOKEN;
        if (clientSecret != null) return AuthFlow.CLIENT_CREDENTIALS;
        throw settings.problem("no credentials: set private_key and username (auth_flow jwt), client_secret "
                + "(client_credentials) or refresh_token (refresh_token)");
    }

    private static IllegalArgumentException problem(String name, String message) {
        return new IllegalArgumentException(name + ": " + message);
    }

    @Override
    public String toString() {
        // Never prints a secret.
        return "SalesforceSettings[" + name + ", " + flow.optionValue() + ", " + loginUrl + "]";
    }
}
