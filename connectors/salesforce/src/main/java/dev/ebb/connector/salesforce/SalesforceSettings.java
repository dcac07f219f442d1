package dev.ebb.connector.salesforce;

import dev.ebb.connector.salesforce.internal.Pem;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.PrivateKey;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
 * @param dailyLimit    the org's daily API request allocation
 * @param zone          the time zone of the daily quota
 * @param timeout       how long one call may take
 */
record SalesforceSettings(String name, AuthFlow flow, String clientId, String clientSecret, PrivateKey privateKey,
                          String refreshToken, String username, URI loginUrl, String audience, URI instanceUrl,
                          String apiVersion, int bulkThreshold, long dailyLimit, ZoneId zone, Duration timeout) {

    private static final Pattern VERSION = Pattern.compile("\\d{2,3}\\.0");

    static SalesforceSettings from(String name, Map<String, String> settings) {
        String clientId = required(name, settings, "client_id");
        String clientSecret = optional(settings, "client_secret");
        String privateKeyText = optional(settings, "private_key");
        String refreshToken = optional(settings, "refresh_token");
        String username = optional(settings, "username");
        AuthFlow flow = flow(name, settings, privateKeyText, refreshToken, clientSecret);
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
        URI loginUrl = url(name, "login_url", settings.getOrDefault("login_url", SalesforceConnector.DEFAULT_LOGIN_URL));
        String audience = settings.containsKey("audience") ? settings.get("audience").trim() : loginUrl.toString();
        URI instanceUrl = settings.containsKey("instance_url") && !settings.get("instance_url").isBlank()
                ? url(name, "instance_url", settings.get("instance_url")) : null;
        String apiVersion = settings.getOrDefault("api_version", SalesforceConnector.DEFAULT_API_VERSION).trim();
        if (apiVersion.startsWith("v")) apiVersion = apiVersion.substring(1);
        if (!VERSION.matcher(apiVersion).matches() || Double.parseDouble(apiVersion) < 46) {
            // sObject Collections upsert needs 46.0 (resources-composite-sobjects-collections-upsert.html).
            throw problem(name, "api_version '" + settings.get("api_version") + "' should read like "
                    + SalesforceConnector.DEFAULT_API_VERSION + " (46.0 or later: sObject Collections upsert needs it)");
        }
        int bulkThreshold = (int) positive(name, "bulk_threshold",
                settings.getOrDefault("bulk_threshold", String.valueOf(SalesforceConnector.DEFAULT_BULK_THRESHOLD)),
                Integer.MAX_VALUE);
        long dailyLimit = positive(name, "daily_limit",
                settings.getOrDefault("daily_limit", String.valueOf(SalesforceConnector.DEFAULT_DAILY_LIMIT)),
                Long.MAX_VALUE);
        ZoneId zone = zone(name, settings.getOrDefault("time_zone", "UTC"));
        Duration timeout = Duration.ofSeconds(positive(name, "timeout_seconds",
                settings.getOrDefault("timeout_seconds", String.valueOf(SalesforceConnector.DEFAULT_TIMEOUT_SECONDS)),
                3_600));
        return new SalesforceSettings(name, flow, clientId, clientSecret, privateKey, refreshToken, username, loginUrl,
                audience, instanceUrl, apiVersion, bulkThreshold, dailyLimit, zone, timeout);
    }

    /** {@code /services/data/v62.0}. */
    String dataPath() {
        return "/services/data/v" + apiVersion;
    }

    private static AuthFlow flow(String name, Map<String, String> settings, String privateKey, String refreshToken,
                                 String clientSecret) {
        String explicit = optional(settings, "auth_flow");
        if (explicit != null) {
            try {
                return AuthFlow.parse(explicit);
            } catch (IllegalArgumentException e) {
                throw problem(name, e.getMessage());
            }
        }
        // Without auth_flow, the credential given says which flow is meant.
        if (privateKey != null) return AuthFlow.JWT;
        if (refreshToken != null) return AuthFlow.REFRESH_TOKEN;
        if (clientSecret != null) return AuthFlow.CLIENT_CREDENTIALS;
        throw problem(name, "no credentials: set private_key and username (auth_flow jwt), client_secret "
                + "(client_credentials) or refresh_token (refresh_token)");
    }

    private static String required(String name, Map<String, String> settings, String key) {
        String value = optional(settings, key);
        if (value == null) throw problem(name, "setting '" + key + "' is required");
        return value;
    }

    private static String optional(Map<String, String> settings, String key) {
        String value = settings.get(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static URI url(String name, String key, String text) {
        String trimmed = text.trim();
        while (trimmed.endsWith("/")) trimmed = trimmed.substring(0, trimmed.length() - 1);
        try {
            URI uri = new URI(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && (uri.getPath() == null || uri.getPath().isEmpty())) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // fall through to the message
        }
        throw problem(name, key + " '" + text + "' is not an http(s) URL without a path; use e.g. "
                + SalesforceConnector.DEFAULT_LOGIN_URL + ", https://test.salesforce.com, "
                + "https://yourdomain.my.salesforce.com or a sandbox's http://127.0.0.1:8090");
    }

    private static long positive(String name, String key, String text, long max) {
        try {
            long value = Long.parseLong(text.trim());
            if (value > 0 && value <= max) return value;
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw problem(name, key + " must be a positive whole number" + (max < Long.MAX_VALUE ? " up to " + max : "")
                + ", not '" + text + "'");
    }

    private static ZoneId zone(String name, String text) {
        try {
            return text.trim().equalsIgnoreCase("UTC") ? ZoneOffset.UTC : ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            throw problem(name, "time_zone '" + text + "' is not a time zone; use a region id, e.g. America/Los_Angeles");
        }
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
