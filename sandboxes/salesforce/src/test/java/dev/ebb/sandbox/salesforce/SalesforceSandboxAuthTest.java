package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.salesforce.TestingClient.Answer;
import dev.ebb.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox's token endpoint and sessions: the three OAuth flows, their refusals, 401 INVALID_SESSION_ID. */
class SalesforceSandboxAuthTest {
    /** The pair whose public key the sandbox trusts: the 2,048 bits a connected app's certificate needs. */
    private static final KeyPair TRUSTED = rsa(2048);
    /** A pair the sandbox does not trust; it only has to be wrong, and a small key is quick to make. */
    private static final KeyPair STRANGER = rsa(1024);

    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    private final ManualClock clock = new ManualClock(START);
    private SalesforceSandbox sandbox;
    private TestingClient client;

    private TestingClient start(SalesforceSandbox.Builder builder) throws Exception {
        sandbox = builder.clock(clock).build();
        sandbox.start();
        client = new TestingClient(sandbox);
        return client;
    }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (sandbox != null) sandbox.close();
    }

    static String jwt(PrivateKey key, String iss, String sub, String aud, long exp) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(TestingClient.JSON.createObjectNode().put("iss", iss).put("sub", sub)
                .put("aud", aud).put("exp", exp).toString().getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + b64.encodeToString(signature.sign());
    }

    private Answer jwtSignIn(String assertion) {
        return client.token(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", assertion));
    }

    private long inMinutes(int minutes) {
        return START.plus(Duration.ofMinutes(minutes)).getEpochSecond();
    }

    @Test
    void aSignedAssertionGetsAnAccessTokenAndTheInstanceUrl() throws Exception {
        start(SalesforceSandbox.builder().jwtKey(TRUSTED.getPublic()));
        Answer answer = jwtSignIn(jwt(TRUSTED.getPrivate(), SalesforceSandbox.DEFAULT_CLIENT_ID,
                SalesforceSandbox.DEFAULT_USERNAME, "https://login.salesforce.com", inMinutes(3)));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("access_token").asText()).startsWith("00D8d0000001Ebb!");
        assertThat(body.get("instance_url").asText()).isEqualTo(sandbox.baseUrl());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("id").asText()).isEqualTo(sandbox.baseUrl() + "/id/" + sandbox.orgId() + "/"
                + body.get("id").asText().substring(body.get("id").asText().lastIndexOf('/') + 1));
        assertThat(body.get("issued_at").asText()).isEqualTo(String.valueOf(START.toEpochMilli()));
        assertThat(body.get("signature").asText()).isNotBlank();

        client.useToken(body.get("access_token").asText());
        assertThat(client.get(TestingClient.DATA + "/sobjects").status()).isEqualTo(200);
    }

    @Test
    void theSandboxesOwnUrlIsAnAudienceToo() throws Exception {
        start(SalesforceSandbox.builder().jwtKey(TRUSTED.getPublic()));
        Answer answer = jwtSignIn(jwt(TRUSTED.getPrivate(), SalesforceSandbox.DEFAULT_CLIENT_ID,
                SalesforceSandbox.DEFAULT_USERNAME, sandbox.baseUrl(), inMinutes(3)));
        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    void assertionsAreRefusedWithSalesforcesErrors() throws Exception {
        start(SalesforceSandbox.builder().jwtKey(TRUSTED.getPublic()));
        PrivateKey key = TRUSTED.getPrivate();
        String client = SalesforceSandbox.DEFAULT_CLIENT_ID;
        String user = SalesforceSandbox.DEFAULT_USERNAME;
        String aud = "https://login.salesforce.com";

        assertRefused(jwtSignIn(jwt(STRANGER.getPrivate(), client, user, aud, inMinutes(3))),
                "invalid_grant", "invalid assertion");
        assertRefused(jwtSignIn("not.a.jwt"), "invalid_grant", "invalid assertion");
        assertRefused(jwtSignIn(jwt(key, "someone-else", user, aud, inMinutes(3))),
                "invalid_client_id", "client identifier invalid");
        assertRefused(jwtSignIn(jwt(key, client, user, "https://example.com", inMinutes(3))),
                "invalid_grant", "audience is invalid");
        assertRefused(jwtSignIn(jwt(key, client, user, aud, inMinutes(-1))),
                "invalid_grant", "expired authorization code");
        assertRefused(jwtSignIn(jwt(key, client, "nobody@example.com", aud, inMinutes(3))),
                "invalid_grant", "user hasn't approved this consumer");
    }

    @Test
    void withoutAConfiguredKeyNoAssertionVerifies() throws Exception {
        start(SalesforceSandbox.builder());
        assertRefused(jwtSignIn(jwt(TRUSTED.getPrivate(), SalesforceSandbox.DEFAULT_CLIENT_ID,
                SalesforceSandbox.DEFAULT_USERNAME, "https://login.salesforce.com", inMinutes(3))),
                "invalid_grant", "invalid assertion");
    }

    @Test
    void clientCredentialsFlow() throws Exception {
        start(SalesforceSandbox.builder());
        assertThat(client.token(Map.of("grant_type", "client_credentials", "client_id", SalesforceSandbox.DEFAULT_CLIENT_ID,
                "client_secret", SalesforceSandbox.DEFAULT_CLIENT_SECRET)).status()).isEqualTo(200);
        assertRefused(client.token(Map.of("grant_type", "client_credentials", "client_id",
                SalesforceSandbox.DEFAULT_CLIENT_ID, "client_secret", "wrong")), "invalid_client", "invalid client credentials");
        assertRefused(client.token(Map.of("grant_type", "client_credentials", "client_id", "unknown",
                "client_secret", SalesforceSandbox.DEFAULT_CLIENT_SECRET)), "invalid_client_id", "client identifier invalid");
    }

    @Test
    void clientCredentialsCanBeDisabled() throws Exception {
        start(SalesforceSandbox.builder().clientCredentials(false));
        assertRefused(client.token(Map.of("grant_type", "client_credentials", "client_id",
                SalesforceSandbox.DEFAULT_CLIENT_ID, "client_secret", SalesforceSandbox.DEFAULT_CLIENT_SECRET)),
                "invalid_grant", "no client credentials user enabled");
    }

    @Test
    void refreshTokenFlow() throws Exception {
        start(SalesforceSandbox.builder().refreshTokens("rt-1"));
        assertThat(client.token(Map.of("grant_type", "refresh_token", "client_id", SalesforceSandbox.DEFAULT_CLIENT_ID,
                "refresh_token", "rt-1")).status()).isEqualTo(200);
        assertRefused(client.token(Map.of("grant_type", "refresh_token", "client_id", SalesforceSandbox.DEFAULT_CLIENT_ID,
                "refresh_token", "rt-2")), "invalid_grant", "expired access/refresh token");
        assertRefused(client.token(Map.of("grant_type", "password", "client_id", SalesforceSandbox.DEFAULT_CLIENT_ID)),
                "unsupported_grant_type", "grant type not supported");
    }

    @Test
    void theDataApiNeedsALiveSession() throws Exception {
        start(SalesforceSandbox.builder().sessionTimeout(Duration.ofMinutes(30)));
        Answer anonymous = client.get(TestingClient.DATA + "/sobjects");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
        assertThat(anonymous.json().get(0).get("message").asText()).isEqualTo("Session expired or invalid");

        client.signIn();
        assertThat(client.get(TestingClient.DATA + "/sobjects").status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(31));
        assertThat(client.get(TestingClient.DATA + "/sobjects").status()).as("after the session timeout").isEqualTo(401);

        client.signIn();
        sandbox.expireSessions();
        assertThat(client.get(TestingClient.DATA + "/sobjects").status()).as("after the sessions were revoked")
                .isEqualTo(401);
        assertThat(sandbox.apiRequestsUsed()).as("refused requests and sign-ins cost no API request").isEqualTo(1);
    }

    private static void assertRefused(Answer answer, String error, String description) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo(error);
        assertThat(answer.json().get("error_description").asText()).isEqualTo(description);
    }

    private static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has RSA", e);
        }
    }
}
