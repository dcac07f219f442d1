package dev.ebb.sandbox.braze;

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
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The Braze sandbox over HTTP, as a client of Braze's REST API sees it. */
class BrazeSandboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final HttpClient http = HttpClient.newHttpClient();
    private BrazeSandbox sandbox;

    @BeforeEach
    void start() throws Exception {
        sandbox = BrazeSandbox.builder().clock(clock).perThreeSeconds(2).customAttribute("churn_score", "Number").build();
        sandbox.start();
    }

    @AfterEach
    void stop() {
        sandbox.close();
        http.close();
    }

    private HttpResponse<String> call(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) request.header("Authorization", "Bearer " + key);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> track(String body) throws Exception {
        return call("POST", "/users/track", BrazeSandbox.DEFAULT_API_KEY, body);
    }

    @Test
    void trackAnswers201WithCountsAndNamesEachRefusedObject() throws Exception {
        HttpResponse<String> answer = track("{\"attributes\":[{\"external_id\":\"u1\",\"churn_score\":0.4,"
                + "\"plan\":\"pro\"},{\"external_id\":\"u2\",\"dob\":\"someday\"}],\"events\":[{\"external_id\":\"u1\","
                + "\"name\":\"login\"}]}");
        assertThat(answer.statusCode()).isEqualTo(201);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("message").asText()).isEqualTo("success");
        assertThat(body.path("attributes_processed").asInt()).isEqualTo(1);
        assertThat(body.path("events_processed").asInt()).isZero();
        assertThat(body.path("errors").toString()).isEqualTo("[{\"type\":\"'dob' is not valid\",\"input_array\":"
                + "\"attributes\",\"index\":1},{\"type\":\"'time' is required\",\"input_array\":\"events\",\"index\":0}]");
        assertThat(sandbox.user("u1").orElseThrow().attribute("churn_score")).contains("0.4");
        assertThat(sandbox.user("u2")).isEmpty();
        assertThat(sandbox.customAttributes()).containsEntry("plan", "String").containsEntry("churn_score", "Number");
        assertThat(answer.headers().firstValue("X-RateLimit-Limit")).contains("2");
        assertThat(answer.headers().firstValue("X-RateLimit-Remaining")).contains("1");
    }

    @Test
    void aRequestWithNoValidObjectOrTooManyIsA400() throws Exception {
        HttpResponse<String> invalid = track("{\"attributes\":[{\"first_name\":\"nobody\"}]}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(invalid.body()).path("message").asText()).isEqualTo(UserTrack.NO_VALID_DATA);
        String many = IntStream.range(0, 76).mapToObj(i -> "{\"external_id\":\"u" + i + "\"}")
                .collect(Collectors.joining(",", "{\"attributes\":[", "]}"));
        assertThat(track(many).statusCode()).isEqualTo(400);
        assertThat(sandbox.userCount()).isZero();
    }

    @Test
    void overTheWindowIsA429UntilItPasses() throws Exception {
        assertThat(track("{\"attributes\":[{\"external_id\":\"u1\"}]}").statusCode()).isEqualTo(201);
        assertThat(track("{\"attributes\":[{\"external_id\":\"u2\"}]}").statusCode()).isEqualTo(201);
        HttpResponse<String> refused = track("{\"attributes\":[{\"external_id\":\"u3\"}]}");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).contains("0");
        assertThat(refused.headers().firstValue("X-RateLimit-Reset"))
                .contains(String.valueOf(clock.instant().plusSeconds(3).getEpochSecond()));
        assertThat(sandbox.user("u3")).isEmpty();
        clock.advance(Duration.ofSeconds(3));
        assertThat(track("{\"attributes\":[{\"external_id\":\"u3\"}]}").statusCode()).isEqualTo(201);
    }

    @Test
    void optionsOfEbbSandboxBrazeAreCheckedAndApplied() {
        try (BrazeSandbox configured = BrazeSandbox.fromOptions(0, Map.of("api_key", "k", "attributes",
                "churn_score:Number, plan:String"))) {
            assertThat(configured.customAttributes()).containsEntry("plan", "String").hasSize(2);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BrazeSandbox.fromOptions(0,
                Map.of("attributes", "churn_score:Decimal"))).hasMessageContaining("unknown Braze data type 'Decimal'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BrazeSandbox.fromOptions(0, Map.of("tier", "x")))
                .hasMessageContaining("unknown braze sandbox option 'tier'");
    }

    @Test
    void anUnknownKeyIs401AndCustomAttributesArePagedBy50() throws Exception {
        assertThat(call("POST", "/users/track", "wrong", "{}").statusCode()).isEqualTo(401);
        assertThat(call("GET", "/custom_attributes", null, null).statusCode()).isEqualTo(401);
        String attributes = IntStream.range(0, 60).mapToObj(i -> "\"a" + (100 + i) + "\":" + i)
                .collect(Collectors.joining(",", "{\"attributes\":[{\"external_id\":\"u1\",", "}]}"));
        assertThat(track(attributes).statusCode()).isEqualTo(201);
        HttpResponse<String> first = call("GET", "/custom_attributes", BrazeSandbox.DEFAULT_API_KEY, null);
        assertThat(JSON.readTree(first.body()).path("attributes")).hasSize(50);
        assertThat(JSON.readTree(first.body()).at("/attributes/0/name").asText()).isEqualTo("a100");
        String next = first.headers().firstValue("Link").orElseThrow();
        assertThat(next).endsWith("rel=\"next\"");
        String path = next.substring(next.indexOf(sandbox.baseUrl()) + sandbox.baseUrl().length(), next.indexOf('>'));
        HttpResponse<String> second = call("GET", path, BrazeSandbox.DEFAULT_API_KEY, null);
        assertThat(JSON.readTree(second.body()).path("attributes")).hasSize(11);
        assertThat(second.headers().firstValue("Link")).isEmpty();
        assertThat(JSON.readTree(call("GET", "/_sandbox/users", null, null).body()).path("users")).hasSize(1);
    }

    @Test
    void deleteTakesOneKindOfIdentifierFiftyAtATime() throws Exception {
        track("{\"attributes\":[{\"external_id\":\"u1\"},{\"external_id\":\"u2\"},{\"user_alias\":{\"alias_name\":"
                + "\"a@x\",\"alias_label\":\"email\"},\"_update_existing_only\":false}]}");
        assertThat(sandbox.userCount()).isEqualTo(3);
        String key = BrazeSandbox.DEFAULT_API_KEY;
        assertThat(call("POST", "/users/delete", key, "{\"external_ids\":[\"u1\"],\"braze_ids\":[\"b\"]}")
                .statusCode()).isEqualTo(400);
        String many = IntStream.range(0, 51).mapToObj(i -> "\"x" + i + "\"").collect(Collectors.joining(",", "[", "]"));
        assertThat(call("POST", "/users/delete", key, "{\"external_ids\":" + many + "}").statusCode()).isEqualTo(400);
        HttpResponse<String> deleted = call("POST", "/users/delete", key, "{\"external_ids\":[\"u1\",\"nobody\"]}");
        assertThat(deleted.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(deleted.body()).path("deleted").asInt()).isEqualTo(1);
        assertThat(call("POST", "/users/delete", key, "{\"user_aliases\":[{\"alias_name\":\"a@x\",\"alias_label\":"
                + "\"email\"}]}").statusCode()).isEqualTo(202);
        assertThat(sandbox.users()).extracting(BrazeUser::externalId).containsExactly("u2");
    }
}
