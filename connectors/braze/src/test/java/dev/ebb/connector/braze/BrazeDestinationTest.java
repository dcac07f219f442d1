package dev.ebb.connector.braze;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.braze.BrazeSandbox;
import dev.ebb.sandbox.braze.BrazeUser;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.testkit.ScriptedServer;
import dev.ebb.testkit.Steps;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the contract suite does not reach: events, purchases, aliases, Braze's 400 and 429 answers. */
class BrazeDestinationTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static Destination open(String baseUrl, String... extra) {
        Map<String, String> settings = new LinkedHashMap<>(Map.of("api_key", BrazeSandbox.DEFAULT_API_KEY,
                "base_url", baseUrl));
        for (int i = 0; i < extra.length; i += 2) settings.put(extra[i], extra[i + 1]);
        return new BrazeConnector().open(new ConnectorContext("braze", settings, Path.of("."), CLOCK));
    }

    private static OutboundRecord record(String key, String match, Map<String, Object> fields) {
        return new OutboundRecord(key, match, null, fields);
    }

    @Test
    void eventsAndPurchasesAreInsertedWithTheirPropertiesOnTheProfile() throws Exception {
        try (BrazeSandbox sandbox = BrazeSandbox.builder().build()) {
            sandbox.start();
            try (Destination braze = open(sandbox.baseUrl(), "event_properties", "plan:string,seats:number",
                    "alias_label", "warehouse_email")) {
                List<String> eventFields = braze.describe("events").fields().stream().map(FieldSpec::name).toList();
                assertThat(eventFields).contains("name", "time", "plan", "seats");
                assertThat(braze.describe("purchases").field("price").map(FieldSpec::type)).contains(FieldType.NUMBER);

                Map<String, Object> event = new LinkedHashMap<>();
                event.put("name", "plan_upgraded");
                event.put("time", NOW);
                event.put("plan", "pro");
                event.put("seats", 12L);
                WriteResult events = Steps.complete(braze, new WriteBatch("events", Operation.CREATE, "external_id",
                        List.of(record("e1", "u-1", event))));
                assertThat(events.results()).singleElement().satisfies(r -> assertThat(r.accepted()).isTrue());

                Map<String, Object> purchase = new LinkedHashMap<>();
                purchase.put("product_id", "seat-pack");
                purchase.put("currency", "USD");
                purchase.put("price", new BigDecimal("49.90"));
                purchase.put("time", NOW);
                Map<String, Object> bad = new LinkedHashMap<>(purchase);
                bad.put("currency", "dollars");
                WriteResult purchases = Steps.complete(braze, new WriteBatch("purchases", Operation.CREATE,
                        "user_alias", List.of(record("p1", "ann@example.com", purchase),
                                record("p2", "bob@example.com", bad))));
                assertThat(purchases.results()).extracting(RecordResult::key, RecordResult::status).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("p1", RecordResult.Status.ACCEPTED),
                        org.assertj.core.groups.Tuple.tuple("p2", RecordResult.Status.REJECTED));
                assertThat(purchases.results().get(1).reason()).isEqualTo("'currency' is not valid");
            }
            BrazeUser user = sandbox.user("u-1").orElseThrow();
            assertThat(user.events()).singleElement().satisfies(e -> {
                assertThat(e).containsEntry("name", "plan_upgraded").containsEntry("properties.plan", "pro")
                        .containsEntry("properties.seats", "12").containsEntry("time", "2026-03-01T12:00:00Z");
            });
            assertThat(sandbox.userByAlias("warehouse_email", "ann@example.com").orElseThrow().purchases())
                    .singleElement().satisfies(p -> assertThat(p).containsEntry("price", "49.9"));
            assertThat(sandbox.userByAlias("warehouse_email", "bob@example.com")).isEmpty();
        }
    }

    @Test
    void anEventWithoutItsRequiredFieldsIsNeverSentAndAliasesNeedTheirLabel() throws Exception {
        try (Destination braze = open("http://127.0.0.1:9")) {
            assertThat(braze.problem("events", Map.of("name", "x"))).hasValueSatisfying(p -> assertThat(p)
                    .contains("'time'"));
            assertThat(braze.problem("purchases", Map.of("product_id", "x", "currency", "USD", "time", NOW)))
                    .hasValueSatisfying(p -> assertThat(p).contains("'price'"));
            assertThat(braze.problem("users", Map.of())).isEmpty();
            assertThatThrownBy(() -> braze.start(new WriteBatch("users", Operation.UPSERT, "user_alias",
                    List.of(record("a", "ann@example.com", Map.of())))))
                    .isInstanceOf(PermanentException.class).hasMessageContaining("alias_label");
            assertThatThrownBy(() -> braze.start(new WriteBatch("events", Operation.UPSERT, "external_id",
                    List.of(record("a", "u", Map.of()))))).isInstanceOf(PermanentException.class)
                    .hasMessageContaining("append-only");
        }
    }

    @Test
    void aRequestWhoseEveryObjectIsInvalidRejectsEachWithBrazesReason() throws Exception {
        try (ScriptedServer braze = new ScriptedServer()) {
            braze.start();
            braze.answerJson(400, "{\"message\":\"Valid data must be provided in the 'attributes', 'events', or "
                    + "'purchases' fields.\",\"errors\":[{\"type\":\"'dob' is not valid\",\"input_array\":"
                    + "\"attributes\",\"index\":0},{\"type\":\"'gender' is not valid\",\"input_array\":\"attributes\","
                    + "\"index\":1}]}");
            try (Destination destination = open(braze.baseUrl())) {
                WriteResult result = Steps.complete(destination, new WriteBatch("users", Operation.UPSERT,
                        "external_id", List.of(record("a", "u-a", Map.of("dob", "soon")),
                                record("b", "u-b", Map.of("gender", "?")))));
                assertThat(result.results()).extracting(RecordResult::reason)
                        .containsExactly("'dob' is not valid", "'gender' is not valid");
            }
            JsonNode sent = braze.lastBody();
            assertThat(sent.at("/attributes/0/external_id").asText()).isEqualTo("u-a");
            assertThat(sent.at("/attributes/0/_update_existing_only").asBoolean(true)).isFalse();
            assertThat(braze.received().getLast().header("Authorization"))
                    .contains("Bearer " + BrazeSandbox.DEFAULT_API_KEY);
        }
    }

    @Test
    void a429WaitsForTheResetAndTheBudgetHeadersAreReported() throws Exception {
        try (ScriptedServer braze = new ScriptedServer()) {
            braze.start();
            braze.answer(SandboxResponse.json(429, Map.of("message", "API rate limit exceeded"))
                            .withHeader("X-RateLimit-Limit", "3000").withHeader("X-RateLimit-Remaining", "0")
                            .withHeader("X-RateLimit-Reset", String.valueOf(NOW.getEpochSecond() + 2)))
                    .answer(SandboxResponse.json(201, Map.of("message", "success", "attributes_processed", 1))
                            .withHeader("X-RateLimit-Limit", "3000").withHeader("X-RateLimit-Remaining", "2999"));
            WriteBatch batch = new WriteBatch("users", Operation.UPSERT, "external_id",
                    List.of(record("a", "u-a", Map.of("first_name", "Ann"))));
            try (Destination destination = open(braze.baseUrl())) {
                assertThatThrownBy(() -> destination.start(batch)).isInstanceOfSatisfying(ThrottledException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2)));
                WriteResult result = Steps.complete(destination, batch);
                assertThat(result.usage().windowMax()).isEqualTo(3000);
                assertThat(result.usage().windowRemaining()).isEqualTo(2999);
                assertThat(result.results()).singleElement().satisfies(r -> {
                    assertThat(r.accepted()).isTrue();
                    assertThat(r.destinationId()).isEqualTo("u-a");
                });
            }
        }
    }

    @Test
    void removedUsersAreDeletedFiftyARequestInSteps() throws Exception {
        try (BrazeSandbox sandbox = BrazeSandbox.builder().build()) {
            sandbox.start();
            List<OutboundRecord> users = java.util.stream.IntStream.range(0, 60)
                    .mapToObj(i -> record("k" + i, "u-" + i, Map.of("first_name", "N" + i))).toList();
            try (Destination braze = open(sandbox.baseUrl())) {
                Steps.complete(braze, new WriteBatch("users", Operation.UPSERT, "external_id", users.subList(0, 30)));
                Steps.complete(braze, new WriteBatch("users", Operation.UPSERT, "external_id", users.subList(30, 60)));
                assertThat(sandbox.userCount()).isEqualTo(60);
                List<OutboundRecord> doomed = users.subList(0, 55).stream()
                        .map(u -> new OutboundRecord(u.key(), u.matchValue(), u.matchValue(), Map.of())).toList();
                sandbox.clearRequests();
                Steps.Completed deleted = Steps.drive(braze, new WriteBatch("users", Operation.DELETE, "external_id",
                        doomed), wait -> assertThat(wait).isZero());
                assertThat(deleted.calls()).isEqualTo(2);
                assertThat(sandbox.requestCount("/users/delete")).isEqualTo(2);
                assertThat(deleted.result().results()).hasSize(55).allMatch(RecordResult::accepted);
            }
            assertThat(sandbox.userCount()).isEqualTo(5);
            assertThat(sandbox.user("u-54")).isEmpty();
            assertThat(sandbox.user("u-55")).isPresent();
        }
    }
}
