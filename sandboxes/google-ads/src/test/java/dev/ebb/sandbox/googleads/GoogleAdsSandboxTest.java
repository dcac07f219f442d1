package dev.ebb.sandbox.googleads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox as a Data Manager client sees it over HTTP, with Google's shapes and limits. */
class GoogleAdsSandboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADA = "a".repeat(64);
    private static final String BOB = "b".repeat(64);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));
    private final HttpClient http = HttpClient.newHttpClient();
    private GoogleAdsSandbox sandbox;
    private String token;

    record Answer(int status, JsonNode body) {
    }

    @BeforeEach
    void start() throws Exception {
        sandbox = GoogleAdsSandbox.builder().clock(clock).processing(Duration.ofSeconds(30)).perMinute(5).build();
        sandbox.start();
        Answer granted = form("grant_type=refresh_token&client_id=" + GoogleAdsSandbox.DEFAULT_CLIENT_ID
                + "&client_secret=" + GoogleAdsSandbox.DEFAULT_CLIENT_SECRET + "&refresh_token="
                + GoogleAdsSandbox.DEFAULT_REFRESH_TOKEN);
        assertThat(granted.status()).isEqualTo(200);
        assertThat(granted.body().path("expires_in").asLong()).isEqualTo(3599);
        token = granted.body().path("access_token").asText();
    }

    @AfterEach
    void stop() {
        sandbox.close();
        http.close();
    }

    private Answer form(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return answer(request);
    }

    private Answer call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return answer(request.build());
    }

    private Answer answer(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? JSON.createObjectNode()
                : JSON.readTree(response.body()));
    }

    private static String members(String... emails) {
        StringBuilder json = new StringBuilder("[");
        for (String email : emails) {
            if (json.length() > 1) json.append(',');
            json.append("{\"userData\":{\"userIdentifiers\":[{\"emailAddress\":\"").append(email).append("\"}]}}");
        }
        return json.append(']').toString();
    }

    private static String request(String members) {
        return "{\"destinations\":[{\"operatingAccount\":{\"accountType\":\"GOOGLE_ADS\",\"accountId\":\""
                + GoogleAdsSandbox.DEFAULT_ACCOUNT + "\"},\"productDestinationId\":\"" + GoogleAdsSandbox.DEFAULT_USER_LIST
                + "\"}],\"encoding\":\"HEX\",\"audienceMembers\":" + members + "}";
    }

    private int count() {
        return sandbox.memberCount(GoogleAdsSandbox.DEFAULT_ACCOUNT, GoogleAdsSandbox.DEFAULT_USER_LIST);
    }

    @Test
    void anIngestIsProcessingUntilItsTimeThenAppliedAndRemovedAgain() throws Exception {
        Answer ingest = call("POST", "/v1/audienceMembers:ingest", request(members(ADA, BOB)));
        assertThat(ingest.status()).isEqualTo(200);
        String id = ingest.body().path("requestId").asText();

        Answer processing = call("GET", "/v1/requestStatus:retrieve?requestId=" + id, null);
        assertThat(processing.body().at("/requestStatusPerDestination/0/requestStatus").asText()).isEqualTo("PROCESSING");
        assertThat(count()).isZero();

        clock.advance(Duration.ofSeconds(30));
        Answer done = call("GET", "/v1/requestStatus:retrieve?requestId=" + id, null);
        JsonNode status = done.body().at("/requestStatusPerDestination/0");
        assertThat(status.path("requestStatus").asText()).isEqualTo("SUCCESS");
        assertThat(status.at("/audienceMembersIngestionStatus/userDataIngestionStatus/recordCount").asText())
                .isEqualTo("2");
        assertThat(count()).isEqualTo(2);

        call("POST", "/v1/audienceMembers:remove", request(members(ADA)));
        clock.advance(Duration.ofSeconds(30));
        assertThat(count()).isEqualTo(1);
        assertThat(sandbox.member(GoogleAdsSandbox.DEFAULT_ACCOUNT, GoogleAdsSandbox.DEFAULT_USER_LIST, BOB))
                .isPresent();
    }

    @Test
    void aMalformedHashRefusesTheWholeRequestNamingTheMember() throws Exception {
        Answer refused = call("POST", "/v1/audienceMembers:ingest", request(members(ADA, "not-hex", "abc")));
        assertThat(refused.status()).isEqualTo(400);
        JsonNode error = refused.body().path("error");
        assertThat(error.path("status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.at("/details/0/@type").asText()).isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
        assertThat(error.at("/details/0/reason").asText()).isEqualTo("INVALID_HEX_ENCODING");
        assertThat(error.at("/details/1/fieldViolations/0/field").asText())
                .isEqualTo("audience_members[1].user_data.user_identifiers[0].email_address");
        assertThat(error.at("/details/1/fieldViolations/1/reason").asText()).isEqualTo("INVALID_SHA256_FORMAT");
        clock.advance(Duration.ofMinutes(1));
        assertThat(count()).as("nothing of a refused request is applied").isZero();
    }

    @Test
    void theDocumentedRequestLimitsAreEnforced() throws Exception {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= AudienceEndpoints.MAX_MEMBERS; i++) {
            many.append(i == 0 ? "" : ",").append("{\"userData\":{\"userIdentifiers\":[{\"emailAddress\":\"")
                    .append(ADA).append("\"}]}}");
        }
        Answer tooMany = call("POST", "/v1/audienceMembers:ingest", request(many.append(']').toString()));
        assertThat(tooMany.body().at("/error/details/0/reason").asText()).isEqualTo("TOO_MANY_AUDIENCE_MEMBERS");

        String eleven = "[{\"userData\":{\"userIdentifiers\":[" + ("{\"emailAddress\":\"" + ADA + "\"},").repeat(10)
                + "{\"emailAddress\":\"" + BOB + "\"}]}}]";
        Answer tooManyIds = call("POST", "/v1/audienceMembers:ingest", request(eleven));
        assertThat(tooManyIds.body().at("/error/details/0/reason").asText()).isEqualTo("TOO_MANY_USER_IDENTIFIERS");

        Answer unknownList = call("POST", "/v1/audienceMembers:ingest",
                request(members(ADA)).replace(GoogleAdsSandbox.DEFAULT_USER_LIST, "42"));
        assertThat(unknownList.body().at("/error/details/0/reason").asText()).isEqualTo("INVALID_USER_LIST_ID");
    }

    @Test
    void overThePerMinuteQuotaIsResourceExhaustedWithTheQuotasName() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(call("POST", "/v1/audienceMembers:ingest", request(members(ADA))).status()).isEqualTo(200);
        }
        Answer throttled = call("POST", "/v1/audienceMembers:ingest", request(members(ADA)));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.body().at("/error/status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(throttled.body().at("/error/details/0/metadata/quota_limit").asText())
                .isEqualTo("IngestionMutateRequestsPerMinutePerProject");
        assertThat(call("GET", "/v1/accountTypes/GOOGLE_ADS/accounts/" + GoogleAdsSandbox.DEFAULT_ACCOUNT
                + "/userLists/" + GoogleAdsSandbox.DEFAULT_USER_LIST, null).status()).as("another quota").isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        assertThat(call("POST", "/v1/audienceMembers:ingest", request(members(ADA))).status()).isEqualTo(200);
    }

    @Test
    void credentialsAreCheckedAsGoogleChecksThem() throws Exception {
        assertThat(form("grant_type=refresh_token&client_id=x&client_secret=y&refresh_token=z").body()
                .path("error").asText()).isEqualTo("invalid_client");
        Answer revoked = form("grant_type=refresh_token&client_id=" + GoogleAdsSandbox.DEFAULT_CLIENT_ID
                + "&client_secret=" + GoogleAdsSandbox.DEFAULT_CLIENT_SECRET + "&refresh_token=revoked");
        assertThat(revoked.status()).isEqualTo(400);
        assertThat(revoked.body().path("error").asText()).isEqualTo("invalid_grant");

        clock.advance(GoogleAdsSandbox.TOKEN_LIFESPAN);
        Answer expired = call("POST", "/v1/audienceMembers:ingest", request(members(ADA)));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body().at("/error/details/0/reason").asText()).isEqualTo("ACCESS_TOKEN_EXPIRED");
    }

    @Test
    void theAdminApiShowsMembersByHash() throws Exception {
        call("POST", "/v1/audienceMembers:ingest", request(members(ADA)));
        clock.advance(Duration.ofMinutes(1));
        String base = "/_sandbox/audiences/" + GoogleAdsSandbox.DEFAULT_ACCOUNT + "/" + GoogleAdsSandbox.DEFAULT_USER_LIST;
        Answer member = call("GET", base + "/members/" + ADA.toUpperCase(), null);
        assertThat(member.status()).isEqualTo(200);
        assertThat(member.body().path("emails").get(0).asText()).isEqualTo(ADA);
        assertThat(call("GET", base + "/members/" + BOB, null).status()).isEqualTo(404);
        assertThat(call("GET", "/_sandbox/audiences", null).body().at("/audiences/0/memberCount").asInt()).isEqualTo(1);
        assertThat(sandbox.requestCount("/_sandbox")).as("admin calls are not API calls").isZero();
    }

    @Test
    void optionsAreCheckedWithAMessageThatSaysWhatToWrite() {
        assertThatThrownBy(() -> GoogleAdsSandbox.fromOptions(0, Map.of("user_lists", "acme")))
                .hasMessageContaining("account/id");
        assertThatThrownBy(() -> GoogleAdsSandbox.fromOptions(0, Map.of("tier", "gold")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
