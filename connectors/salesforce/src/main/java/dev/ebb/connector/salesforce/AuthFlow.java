package dev.ebb.connector.salesforce;

/**
 * How the connector signs in at {@code /services/oauth2/token}
 * (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flows.htm).
 */
enum AuthFlow {
    /** OAuth 2.0 JWT bearer flow: an RS256-signed assertion ({@code iss}, {@code sub}, {@code aud}, {@code exp}). */
    JWT("jwt"),
    /** OAuth 2.0 client credentials flow: the connected app's key and secret, run as its integration user. */
    CLIENT_CREDENTIALS("client_credentials"),
    /** OAuth 2.0 refresh token flow: a refresh token obtained once through a web-server flow. */
    REFRESH_TOKEN("refresh_token");

    private final String optionValue;

    AuthFlow(String optionValue) {
        this.optionValue = optionValue;
    }

    /** The flow as spelled in settings ({@code jwt}). */
    String optionValue() {
        return optionValue;
    }
}
