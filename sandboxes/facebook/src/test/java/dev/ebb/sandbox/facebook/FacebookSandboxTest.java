package dev.ebb.sandbox.facebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox speaks Meta's shapes: Graph errors, the users edges' counts and samples, limits and usage headers. */
class FacebookSandboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HASH = "836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f";
    private static final String AUDIENCE = String.valueOf(FacebookSandbox.FIRST_AUDIENCE_ID);

    private final HttpClient http = HttpClient.newHttpClient();
    private FacebookSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) sandbox.close();
        http.close();
    }

    private FacebookSandbox start(FacebookSandbox.Builder builder) throws Exception {
        sandbox = builder.build();
        sandbox.start();
        return sandbox;
    }

    private HttpResponse<String> call(String method, String path, Map<String, String> form, String token) throws Exception {
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String method, String path, Map<String, String> form) throws Exception {
        return call(method, path, form, FacebookSandbox.DEFAULT_TOKEN);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String payload(String schema, String rows) {
        return "{\"schema\":" + schema + ",\"data\":" + rows + "}";
    }

    @Test
    void tokensAreCheckedAsGraphDoes() throws Exception {
        start(FacebookSandbox.builder());
        HttpResponse<String> none = call("GET", "/v25.0/" + AUDIENCE, Map.of(), null);
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(json(none).at("/error/code").asInt()).isEqualTo(104);
        HttpResponse<String> wrong = call("GET", "/v25.0/" + AUDIENCE, Map.of(), "nope");
        assertThat(json(wrong).at("/error/code").asInt()).isEqualTo(190);
        assertThat(json(wrong).at("/error/type").asText()).isEqualTo("OAuthException");
        assertThat(json(wrong).at("/error/fbtrace_id").asText()).isNotBlank();
        HttpResponse<String> param = call("GET", "/" + AUDIENCE + "?access_token=" + FacebookSandbox.DEFAULT_TOKEN
                + "&fields=id,name,subtype", Map.of(), null);
        assertThat(param.statusCode()).as("version-less path, token as a parameter").isEqualTo(200);
        assertThat(json(param).get("subtype").asText()).isEqualTo("CUSTOM");
    }

    @Test
    void audiencesAreListedCreatedAndUnknownIdsAreGraphError100() throws Exception {
        start(FacebookSandbox.builder());
        String created = json(call("POST", "/v25.0/act_1234567890/customaudiences",
                Map.of("name", "Churners", "subtype", "CUSTOM", "customer_file_source", "USER_PROVIDED_ONLY")))
                .get("id").asText();
        JsonNode list = json(call("GET", "/v25.0/act_1234567890/customaudiences?fields=id,name", Map.of()));
        assertThat(list.get("data")).hasSize(2);
        assertThat(list.at("/data/1/name").asText()).isEqualTo("Churners");
        assertThat(sandbox.audienceIds()).contains(created);
        HttpResponse<String> unknown = call("GET", "/v25.0/999", Map.of());
        assertThat(json(unknown).at("/error/code").asInt()).isEqualTo(100);
        assertThat(json(unknown).at("/error/error_subcode").asInt()).isEqualTo(33);
    }

    @Test
    void usersAreAddedAndRemovedWithMetasCountsAndInvalidEntriesSampled() throws Exception {
        start(FacebookSandbox.builder());
        String rows = "[[\"" + HASH + "\",\"" + HASH.replace('8', '9') + "\"],[\"not-a-hash\",\"\"],[\"\",\"\"]]";
        JsonNode added = json(call("POST", "/v25.0/" + AUDIENCE + "/users",
                Map.of("payload", payload("[\"EMAIL\",\"FN\"]", rows))));
        assertThat(added.get("audience_id").asText()).isEqualTo(AUDIENCE);
        assertThat(added.get("num_received").asInt()).isEqualTo(3);
        assertThat(added.get("num_invalid_entries").asInt()).isEqualTo(2);
        assertThat(added.at("/invalid_entry_samples/not-a-hash").asText()).contains("SHA-256");
        assertThat(sandbox.memberCount(AUDIENCE)).isEqualTo(1);
        assertThat(sandbox.member(AUDIENCE, "EMAIL", HASH)).isPresent();

        JsonNode removed = json(call("DELETE", "/v25.0/" + AUDIENCE + "/users",
                Map.of("payload", payload("\"EMAIL_SHA256\"", "[\"" + HASH + "\"]"))));
        assertThat(removed.get("num_received").asInt()).isEqualTo(1);
        assertThat(sandbox.memberCount(AUDIENCE)).isZero();
    }

    @Test
    void tenThousandUsersAreTheMostOneRequestTakes() throws Exception {
        start(FacebookSandbox.builder());
        String rows = IntStream.range(0, 10_001).mapToObj(i -> "\"" + HASH + "\"")
                .collect(Collectors.joining(",", "[", "]"));
        HttpResponse<String> refused = call("POST", "/v25.0/" + AUDIENCE + "/users",
                Map.of("payload", payload("\"EMAIL_SHA256\"", rows)));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).at("/error/code").asInt()).isEqualTo(100);
        assertThat(json(refused).at("/error/message").asText()).contains("10000");
        HttpResponse<String> malformed = call("POST", "/v25.0/" + AUDIENCE + "/users",
                Map.of("payload", payload("[\"EMAIL\",\"NICKNAME\"]", "[[\"a\",\"b\"]]")));
        assertThat(json(malformed).at("/error/message").asText()).contains("NICKNAME");
    }

    @Test
    void aReplaceSessionSwapsTheMembershipAtItsLastBatch() throws Exception {
        start(FacebookSandbox.builder());
        call("POST", "/v25.0/" + AUDIENCE + "/users", Map.of("payload", payload("\"EMAIL_SHA256\"", "[\"" + HASH + "\"]")));
        String other = HASH.replace('a', 'b');
        String third = HASH.replace('c', 'd');
        JsonNode first = json(call("POST", "/v25.0/" + AUDIENCE + "/usersreplace", Map.of(
                "payload", payload("[\"EMAIL\"]", "[[\"" + other + "\"]]"),
                "session", "{\"session_id\":77,\"batch_seq\":1,\"last_batch_flag\":false,\"estimated_num_total\":2}")));
        assertThat(first.get("session_id").asText()).isEqualTo("77");
        assertThat(sandbox.member(AUDIENCE, "EMAIL", HASH)).as("old members stay until the last batch").isPresent();
        call("POST", "/v25.0/" + AUDIENCE + "/usersreplace", Map.of(
                "payload", payload("[\"EMAIL\"]", "[[\"" + third + "\"]]"),
                "session", "{\"session_id\":77,\"batch_seq\":2,\"last_batch_flag\":true}"));
        assertThat(sandbox.memberCount(AUDIENCE)).isEqualTo(2);
        assertThat(sandbox.member(AUDIENCE, "EMAIL", HASH)).isEmpty();
        JsonNode sessions = json(call("GET", "/v25.0/" + AUDIENCE + "/sessions?session_id=77", Map.of()));
        assertThat(sessions.at("/data/0/num_received").asText()).isEqualTo("2");
        HttpResponse<String> noSession = call("POST", "/v25.0/" + AUDIENCE + "/usersreplace",
                Map.of("payload", payload("[\"EMAIL\"]", "[[\"" + HASH + "\"]]")));
        assertThat(json(noSession).at("/error/message").asText()).contains("session");
    }

    @Test
    void overTheHourlyLimitIsError80003WithUsageHeaders() throws Exception {
        start(FacebookSandbox.builder().perHour(2).audiences());
        HttpResponse<String> ok = call("GET", "/v25.0/act_1234567890/customaudiences", Map.of());
        assertThat(ok.headers().firstValue("X-Business-Use-Case-Usage")).hasValueSatisfying(h -> assertThat(h)
                .contains("\"custom_audience\"").contains("\"call_count\":50"));
        assertThat(ok.headers().firstValue("X-App-Usage")).isPresent();
        call("GET", "/v25.0/act_1234567890/customaudiences", Map.of());
        HttpResponse<String> throttled = call("GET", "/v25.0/act_1234567890/customaudiences", Map.of());
        assertThat(throttled.statusCode()).isEqualTo(400);
        assertThat(json(throttled).at("/error/code").asInt()).isEqualTo(80003);
        assertThat(throttled.headers().firstValue("X-Business-Use-Case-Usage")).hasValueSatisfying(h -> assertThat(h)
                .contains("\"call_count\":100").contains("\"estimated_time_to_regain_access\":60"));
    }

    @Test
    void ebbSandboxFacebookFindsTheProvider() {
        assertThat(dev.ebb.sandbox.SandboxProvider.find("facebook")).hasValueSatisfying(provider ->
                assertThat(provider.options()).extracting(o -> o.name()).contains("audiences", "per_hour", "tier"));
    }

    @Test
    void optionsAreCheckedAndAFlaggedAudienceRefusesEdits() throws Exception {
        assertThatThrownBy(() -> FacebookSandbox.fromOptions(0, Map.of("tier", "gold")))
                .hasMessageContaining("dev or standard");
        assertThatThrownBy(() -> FacebookSandbox.fromOptions(0, Map.of("colour", "x"))).hasMessageContaining("colour");
        sandbox = FacebookSandbox.fromOptions(0, Map.of("audiences", "a,b", "ad_account", "act_42"));
        sandbox.start();
        assertThat(sandbox.audienceIds()).hasSize(2);
        sandbox.flag(AUDIENCE);
        HttpResponse<String> refused = call("POST", "/v25.0/" + AUDIENCE + "/users",
                Map.of("payload", payload("\"EMAIL_SHA256\"", "[\"" + HASH + "\"]")));
        assertThat(json(refused).at("/error/error_subcode").asInt()).isEqualTo(1713230);
        HttpResponse<String> members = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                + "/_sandbox/audiences")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json(members).at("/audiences/0/members").asInt()).isZero();
    }
}
