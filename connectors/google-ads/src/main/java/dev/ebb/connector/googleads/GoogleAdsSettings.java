package dev.ebb.connector.googleads;

import dev.ebb.connector.googleads.Identifiers.Encoding;
import dev.ebb.connector.support.Choices;
import dev.ebb.connector.support.AccountIds;
import dev.ebb.connector.support.PhoneNumbers;
import dev.ebb.connector.support.Settings;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@code type: google_ads} entry's settings, read and checked when the connection opens (no call).
 *
 * @param baseUrl            the Data Manager API ({@code https://datamanager.googleapis.com}, or a sandbox)
 * @param grant              how calls are signed in
 * @param accountId          what the rate budget is keyed by: the API and the OAuth client (quotas are per Google
 *                           Cloud project, https://developers.google.com/data-manager/api/devguides/limits), hashed
 * @param operatingAccount   the Google Ads customer id whose audiences are written (digits)
 * @param loginAccount       the manager account the credentials belong to, or null
 * @param adUserData         request-level consent for ad user data ({@code CONSENT_GRANTED}…), if set
 * @param adPersonalization  request-level consent for ad personalization, if set
 * @param acceptTerms        whether requests accept the Customer Match terms of service
 * @param encoding           how digests are encoded
 * @param defaultPhoneRegion the region of phone numbers without a country code, or null
 * @param statusWait         the wait before the first status request
 */
record GoogleAdsSettings(URI baseUrl, AccessTokens.Grant grant, String accountId, String operatingAccount,
                         String loginAccount, Optional<String> adUserData, Optional<String> adPersonalization,
                         boolean acceptTerms, Encoding encoding, String defaultPhoneRegion, Duration statusWait) {
    static final String DEFAULT_BASE_URL = "https://datamanager.googleapis.com";
    static final String DEFAULT_TOKEN_URL = "https://oauth2.googleapis.com/token";
    /** "Wait for 30 minutes, then send a RetrieveRequestStatus request" (diagnostics page). */
    static final long DEFAULT_STATUS_WAIT_SECONDS = 1_800;

    /** Consent as settings spell it, and the ConsentStatus it sends (consent.proto). */
    enum ConsentSetting {
        GRANTED("CONSENT_GRANTED"), DENIED("CONSENT_DENIED");

        final String status;

        ConsentSetting(String status) {
            this.status = status;
        }
    }

    static GoogleAdsSettings read(Settings settings) {
        URI baseUrl = settings.origin("base_url", DEFAULT_BASE_URL, DEFAULT_BASE_URL + " or http://127.0.0.1:8093");
        Optional<String> accessToken = settings.optional("access_token");
        Optional<String> refreshToken = settings.optional("refresh_token");
        AccessTokens.Grant grant;
        String client;
        if (refreshToken.isPresent()) {
            String clientId = settings.optional("client_id").orElseThrow(() -> settings.problem(
                    "refresh_token needs client_id and client_secret (the OAuth client it was issued to)"));
            String clientSecret = settings.optional("client_secret").orElseThrow(() -> settings.problem(
                    "refresh_token needs client_secret beside client_id"));
            URI tokenUrl = settings.url("token_url", DEFAULT_TOKEN_URL, DEFAULT_TOKEN_URL + " or http://127.0.0.1:8093/token");
            grant = new AccessTokens.Refresh(tokenUrl, clientId, clientSecret, refreshToken.get());
            client = clientId;
        } else if (accessToken.isPresent()) {
            grant = new AccessTokens.Fixed(accessToken.get());
            client = "token#" + AccountIds.shortHash(accessToken.get());
        } else {
            throw settings.problem("set refresh_token with client_id and client_secret (Google's OAuth refresh-token "
                    + "flow), or access_token");
        }
        String operating = customerId(settings, "operating_account", settings.required("operating_account"));
        String login = settings.optional("login_account").map(v -> customerId(settings, "login_account", v))
                .orElse(null);
        List<ConsentSetting> consents = List.of(ConsentSetting.values());
        Optional<String> adUserData = Optional.ofNullable(settings.choice("ad_user_data", null, consents,
                Choices::lowerCase, "consent")).map(c -> c.status);
        Optional<String> adPersonalization = Optional.ofNullable(settings.choice("ad_personalization", null, consents,
                Choices::lowerCase, "consent")).map(c -> c.status);
        Encoding encoding = settings.choice("encoding", Encoding.HEX, List.of(Encoding.values()), Choices::lowerCase,
                "encoding");
        String region = settings.optional("default_phone_region").orElse(null);
        if (region != null && !PhoneNumbers.knownRegion(region)) {
            throw settings.problem("default_phone_region '" + region + "' is not a region code; use e.g. US or DE");
        }
        Duration statusWait = settings.seconds("status_wait_seconds", DEFAULT_STATUS_WAIT_SECONDS, 86_400);
        String accountId = "google_ads:" + baseUrl + "#" + AccountIds.shortHash(client);
        return new GoogleAdsSettings(baseUrl, grant, accountId, operating, login, adUserData, adPersonalization,
                settings.bool("accept_terms", false), encoding, region, statusWait);
    }

    /** A customer id in digits; the dashes of Google Ads' display form (123-456-7890) are dropped. */
    private static String customerId(Settings settings, String key, String value) {
        String digits = value.replace("-", "");
        if (!digits.matches("\\d{1,20}")) {
            throw settings.problem(key + " '" + value + "' is not a Google Ads customer id; use its digits, e.g. "
                    + "123-456-7890");
        }
        return digits;
    }
}
