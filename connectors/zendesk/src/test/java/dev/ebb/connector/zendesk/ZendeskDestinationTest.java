package dev.ebb.connector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.LoggedRequest;
import dev.ebb.sandbox.zendesk.CustomField;
import dev.ebb.sandbox.zendesk.ZendeskRecord;
import dev.ebb.sandbox.zendesk.ZendeskSandbox;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RateWindow;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;
import dev.ebb.testkit.ScriptedServer;
import dev.ebb.testkit.ManualClock;
import dev.ebb.testkit.Steps;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the Zendesk destination does beyond the shared contract: settings, declarations, the step sequence of each
 * kind of write, payloads, how job results map to records, and the classification of failures.
 */
class ZendeskDestinationTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));
    private ZendeskSandbox sandbox;
    private ScriptedServer scripted;
    private Destination destination;

    @AfterEach
    void close() {
        if (destination != null) destination.close();
        if (sandbox != null) sandbox.close();
        if (scripted != null) scripted.close();
    }

    private Destination open(Map<String, String> settings) {
        return new ZendeskConnector().open(new ConnectorContext("zendesk", settings, Path.of("."), clock));
    }

    private Destination onSandbox(java.util.function.Consumer<ZendeskSandbox.Builder> configure) throws IOException {
        ZendeskSandbox.Builder builder = ZendeskSandbox.builder().clock(clock)
                .userField(CustomField.of("churn_risk", "decimal"))
                .organizationField(CustomField.of("seats", "integer"));
        configure.accept(builder);
        sandbox = builder.build();
        sandbox.start();
        destination = open(Map.of("base_url", sandbox.baseUrl(), "email", ZendeskSandbox.DEFAULT_EMAIL,
                "api_token", ZendeskSandbox.DEFAULT_API_TOKEN));
        return destination;
    }

    private Destination onSandbox() throws IOException {
        return onSandbox(b -> { });
    }

    private Destination onScript() throws IOException {
        scripted = new ScriptedServer();
        scripted.start();
        destination = open(Map.of("base_url", scripted.baseUrl(), "email", "ops@acme.test", "api_token", "tok"));
        return destination;
    }

    private static OutboundRecord record(String key, String match, String id, Object... fieldValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < fieldValues.length; i += 2) fields.put((String) fieldValues[i], fieldValues[i + 1]);
        return new OutboundRecord(key, match, id, fields);
    }

    /** Runs a write to the end on the manual clock; returns the steps it took and the result. */
    private record Run(List<WriteStep.Pending> steps, WriteResult result) {
        Map<String, RecordResult> byKey() {
            return result.results().stream().collect(Collectors.toMap(RecordResult::key, Function.identity()));
        }
    }

    private Run run(WriteBatch batch) throws Exception {
        Steps.Completed completed = Steps.drive(destination, batch, clock::advance);
        assertThat(completed.pending()).as("steps").hasSizeLessThan(50);
        return new Run(completed.pending(), completed.result());
    }

    private List<String> sandboxCalls() {
        return sandbox.requests().stream().map(r -> r.method() + " " + r.path()).toList();
    }

    // ---- settings and declarations ----

    @Test
    void settingsAreCheckedWithMessagesThatSayWhatToSet() {
        assertThatThrownBy(() -> open(Map.of("email", "a@b.c", "api_token", "t")))
                .hasMessage("zendesk: set subdomain (acme for acme.zendesk.com) or base_url");
        assertThatThrownBy(() -> open(Map.of("subdomain", "acme.zendesk.com", "email", "a@b.c", "api_token", "t")))
                .hasMessageContaining("first part of the account's address");
        assertThatThrownBy(() -> open(Map.of("subdomain", "acme", "api_token", "t")))
                .hasMessageContaining("set email and api_token");
        assertThatThrownBy(() -> open(Map.of("subdomain", "acme", "email", "a@b.c", "api_token", "t",
                "oauth_token", "o"))).hasMessageContaining("not both");
        assertThatThrownBy(() -> open(Map.of("subdomain", "acme", "oauth_token", "o", "plan", "gold")))
                .hasMessageContaining("unknown Zendesk plan 'gold'; use one of team, growth, professional");
        assertThatThrownBy(() -> open(Map.of("base_url", "ftp://x", "oauth_token", "o")))
                .hasMessageContaining("not an http(s) URL");
        assertThatThrownBy(() -> open(Map.of("subdomain", "acme", "oauth_token", "o", "timeout_seconds", "0")))
                .hasMessageContaining("timeout_seconds");
    }

    @Test
    void theAccountIsTheSubdomainWhateverTheCredentialsAndThePlanSetsTheLimits() {
        try (Destination a = open(Map.of("subdomain", "acme", "email", "a@acme.test", "api_token", "secret-1"));
             Destination b = open(Map.of("base_url", "https://acme.zendesk.com/api/v2/", "oauth_token", "secret-2",
                     "plan", "enterprise-plus"))) {
            assertThat(a.accountId()).isEqualTo("zendesk:https://acme.zendesk.com").isEqualTo(b.accountId());
            assertThat(a.rateLimits().windows()).containsExactly(new RateWindow(200, Duration.ofMinutes(1)));
            assertThat(b.rateLimits().windows()).containsExactly(new RateWindow(2_500, Duration.ofMinutes(1)));
            assertThat(a.rateLimits().maxConcurrency()).as("the job limit").isEqualTo(30);
            assertThat(a.rateLimits().dailyQuota()).isEmpty();
            assertThat(a.object("tickets")).isEmpty();
            assertThat(a.object("users").orElseThrow().match().fixed()).containsExactlyInAnyOrder("email", "external_id");
            assertThat(a.object("organizations").orElseThrow().match().fixed()).containsExactly("external_id");
            assertThat(a.object("users").orElseThrow().limits().maxRecords()).isEqualTo(100);
        }
    }

    @Test
    void theConnectorIsRegisteredAndItsTokensAreOptionalSecrets() {
        DestinationConnector connector = ServiceLoader.load(DestinationConnector.class).stream()
                .map(ServiceLoader.Provider::get).filter(c -> c.type().equals("zendesk")).findFirst().orElseThrow();
        Map<String, ConnectorOption> options = connector.options().stream()
                .collect(Collectors.toMap(ConnectorOption::name, Function.identity()));
        assertThat(options.get("api_token").secret()).isTrue();
        assertThat(options.get("api_token").required()).isFalse();
        assertThat(options.get("oauth_token").secret()).isTrue();
        assertThat(options.get("email").secret()).isFalse();
    }

    @Test
    void credentialsGoAsBasicEmailSlashTokenOrAsBearer() throws Exception {
        onScript();
        scripted.answerJson(200, "{\"user_fields\":[]}");
        destination.describe("users");
        String expected = "Basic " + Base64.getEncoder().encodeToString("ops@acme.test/token:tok"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(scripted.received().getFirst().header("Authorization")).contains(expected);
        assertThat(scripted.received().getFirst().path()).isEqualTo("/api/v2/user_fields");

        try (Destination oauth = open(Map.of("base_url", scripted.baseUrl(), "oauth_token", "oauth-123"))) {
            scripted.answerJson(200, "{\"organization_fields\":[]}");
            oauth.describe("organizations");
        }
        assertThat(scripted.received().getLast().header("Authorization")).contains("Bearer oauth-123");
        assertThat(scripted.received().getLast().path()).isEqualTo("/api/v2/organization_fields");
    }

    // ---- describe ----

    @Test
    void describeListsStandardAndCustomFieldsWithTheirTypes() throws Exception {
        onSandbox(b -> b.userField(CustomField.of("seats", "integer"))
                .userField(CustomField.of("vip", "checkbox"))
                .userField(CustomField.of("renewal", "date"))
                .userField(CustomField.regexp("code", "[A-Z]+"))
                .userField(CustomField.dropdown("plan", "free", "pro"))
                .userField(CustomField.of("retired", "text").inactive()));
        ObjectSchema users = destination.describe("users");
        Map<String, FieldSpec> fields = users.fields().stream()
                .collect(Collectors.toMap(FieldSpec::name, Function.identity()));
        assertThat(fields.get("email").unique()).isTrue();
        assertThat(fields.get("external_id").unique()).isTrue();
        assertThat(fields.get("id").readOnly()).isTrue();
        assertThat(fields.get("role").options()).containsExactly("end-user", "agent", "admin");
        assertThat(fields.get("user_fields.churn_risk").type()).isEqualTo(FieldType.NUMBER);
        assertThat(fields.get("user_fields.seats").type()).isEqualTo(FieldType.NUMBER);
        assertThat(fields.get("user_fields.vip").type()).isEqualTo(FieldType.BOOLEAN);
        assertThat(fields.get("user_fields.renewal").type()).isEqualTo(FieldType.DATE);
        assertThat(fields.get("user_fields.code").type()).isEqualTo(FieldType.STRING);
        assertThat(fields.get("user_fields.plan").type()).isEqualTo(FieldType.ENUMERATION);
        assertThat(fields.get("user_fields.plan").options()).containsExactly("free", "pro");
        assertThat(fields.get("user_fields.retired").readOnly()).as("inactive").isTrue();
        assertThat(fields.get("user_fields.vip").readOnly()).isFalse();

        ObjectSchema organizations = destination.describe("organizations");
        assertThat(organizations.field("organization_fields.seats").map(FieldSpec::type)).contains(FieldType.NUMBER);
        assertThat(organizations.field("user_fields.churn_risk")).isEmpty();

        long before = sandbox.requestCount();
        assertThatThrownBy(() -> destination.describe("tickets")).isInstanceOf(PermanentException.class)
                .hasMessageContaining("use one of users, organizations");
        assertThat(sandbox.requestCount()).as("no call for an unknown object").isEqualTo(before);
    }

    @Test
    void fieldTypesEbbCannotWriteAreReadOnly() throws Exception {
        onScript();
        scripted.answerJson(200, "{\"user_fields\":[{\"key\":\"topics\",\"type\":\"multiselect\",\"active\":true},"
                + "{\"key\":\"owner\",\"type\":\"lookup\",\"active\":true}]}");
        ObjectSchema users = destination.describe("users");
        assertThat(users.field("user_fields.topics").orElseThrow().readOnly()).isTrue();
        assertThat(users.field("user_fields.owner").orElseThrow().readOnly()).isTrue();
    }

    // ---- the steps of a write ----

    @Test
    void aUserUpsertIsOneBulkCallThenPollsThatWaitLongerEachTime() throws Exception {
        onSandbox(b -> b.jobDuration(Duration.ofSeconds(5)));
        WriteBatch batch = new WriteBatch("users", Operation.UPSERT, "email", List.of(
                record("a", "a@example.com", null, "name", "Ada", "user_fields.churn_risk", new BigDecimal("0.81")),
                record("b", "b@example.com", null, "name", "Bob")));

        WriteStep first = destination.start(batch);
        assertThat(first).isInstanceOf(WriteStep.Pending.class);
        WriteStep.Pending queued = (WriteStep.Pending) first;
        assertThat(queued.after()).isEqualTo(Duration.ofSeconds(1));
        assertThat(queued.description()).contains("create_or_update_many of users").contains("queued");
        assertThat(sandboxCalls()).containsExactly("POST /api/v2/users/create_or_update_many");

        Run rest = runFrom(queued);
        assertThat(rest.steps()).extracting(WriteStep.Pending::after)
                .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(rest.steps().get(0).description()).as("at 1 s of 5").endsWith("queued 0/2");
        assertThat(rest.steps().get(1).description()).as("at 3 s of 5").endsWith("working 1/2");
        assertThat(sandboxCalls()).hasSize(4).allMatch(c -> c.equals("POST /api/v2/users/create_or_update_many")
                || c.startsWith("GET /api/v2/job_statuses/"));
        Map<String, RecordResult> results = rest.byKey();
        assertThat(results.get("a").accepted()).isTrue();
        assertThat(results.get("a").destinationId())
                .isEqualTo(sandbox.findUserByEmail("a@example.com").orElseThrow().id());
        assertThat(sandbox.findUserByEmail("a@example.com").orElseThrow().field("user_fields.churn_risk"))
                .contains("0.81");
        assertThat(rest.result().usage().windowMax()).isEqualTo(200L);
        assertThat(rest.result().usage().windowRemaining()).isEqualTo(196L);
        assertThat(rest.result().usage().window()).isEqualTo(Duration.ofMinutes(1));
    }

    private Run runFrom(WriteStep.Pending pending) throws Exception {
        List<WriteStep.Pending> steps = new ArrayList<>();
        clock.advance(pending.after());
        WriteStep step = destination.resume(pending);
        while (step instanceof WriteStep.Pending next) {
            steps.add(next);
            clock.advance(next.after());
            step = destination.resume(next);
        }
        return new Run(steps, ((WriteStep.Done) step).result());
    }

    @Test
    void pollsWaitOneTwoFourEightSixteenThenThirtySeconds() {
        assertThat(java.util.stream.IntStream.range(0, 8).mapToObj(ZendeskDestination::pollWait).map(Duration::getSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }

    @Test
    void anOrganizationUpsertLooksUpThenCreatesTheNewAndUpdatesTheKnown() throws Exception {
        onSandbox();
        ZendeskRecord known = sandbox.createOrganization(Map.of("name", "Acme", "external_id", "A-1"));
        WriteBatch batch = new WriteBatch("organizations", Operation.UPSERT, "external_id", List.of(
                record("k", "a-1", null, "name", "Acme Corp", "organization_fields.seats", 40L),
                record("n", "A-2", null, "name", "Globex", "notes", "new")));

        Run run = run(batch);

        assertThat(sandboxCalls().stream().map(c -> c.replaceAll("job_statuses/.*", "job_statuses/…")))
                .containsExactly("GET /api/v2/organizations/show_many", "POST /api/v2/organizations/create_many",
                        "GET /api/v2/job_statuses/…", "PUT /api/v2/organizations/update_many",
                        "GET /api/v2/job_statuses/…");
        assertThat(run.steps()).extracting(WriteStep.Pending::after).containsExactly(Duration.ZERO,
                Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1));
        Map<String, RecordResult> results = run.byKey();
        assertThat(results.get("k").destinationId()).isEqualTo(known.id());
        assertThat(results.get("n").destinationId())
                .isEqualTo(sandbox.findOrganizationByExternalId("A-2").orElseThrow().id());
        assertThat(sandbox.organization(known.id()).orElseThrow().field("organization_fields.seats")).contains("40");
        assertThat(sandbox.organization(known.id()).orElseThrow().field("name")).contains("Acme Corp");
        assertThat(sandbox.organizationCount()).isEqualTo(2);
    }

    @Test
    void updatesAndDeletesUseKnownIdsAndLookUpExternalIdsButCannotLookUpEmails() throws Exception {
        onSandbox();
        ZendeskRecord ada = sandbox.createUser(Map.of("name", "Ada", "email", "ada@example.com", "external_id", "C-1"));
        Run byEmail = run(new WriteBatch("users", Operation.UPDATE, "email", List.of(
                record("ada", "ada@example.com", null, "notes", "x"))));
        assertThat(byEmail.steps()).isEmpty();
        assertThat(sandbox.requestCount()).as("refused without a call").isZero();
        assertThat(byEmail.byKey().get("ada").reason()).contains("no Zendesk id is known for email ada@example.com");

        Run withId = run(new WriteBatch("users", Operation.UPDATE, "email", List.of(
                record("ada", "ada@example.com", ada.id(), "notes", "called"))));
        assertThat(withId.byKey().get("ada").accepted()).isTrue();
        assertThat(sandbox.user(ada.id()).orElseThrow().field("notes")).contains("called");
        assertThat(sandboxCalls().getFirst()).isEqualTo("PUT /api/v2/users/update_many");

        sandbox.clearRequests();
        Run delete = run(new WriteBatch("users", Operation.DELETE, "external_id", List.of(
                record("ada", "C-1", null), record("ghost", "C-404", null))));
        assertThat(delete.byKey().get("ada").accepted()).isTrue();
        assertThat(delete.byKey().get("ghost").accepted()).as("already absent").isTrue();
        assertThat(sandbox.userCount()).isZero();
        assertThat(sandboxCalls().getFirst()).isEqualTo("GET /api/v2/users/show_many");
        assertThat(sandboxCalls().get(1)).isEqualTo("DELETE /api/v2/users/destroy_many");

        sandbox.clearRequests();
        Run unknown = run(new WriteBatch("users", Operation.UPDATE, "external_id", List.of(
                record("ghost", "C-404", null, "notes", "x"))));
        assertThat(unknown.byKey().get("ghost").reason()).isEqualTo("not updated: no Zendesk user has external_id C-404");
        assertThat(sandboxCalls()).containsExactly("GET /api/v2/users/show_many");
    }

    @Test
    void insertAndUnknownMatchFieldsAreRefusedBeforeAnyCall() throws Exception {
        onSandbox();
        WriteBatch insert = new WriteBatch("users", Operation.CREATE, "email", List.of(record("a", "a@x.io", null)));
        assertThatThrownBy(() -> destination.start(insert)).isInstanceOf(PermanentException.class)
                .hasMessageContaining("insert is not supported");
        WriteBatch byName = new WriteBatch("organizations", Operation.UPSERT, "name", List.of(record("a", "A", null)));
        assertThatThrownBy(() -> destination.start(byName)).isInstanceOf(PermanentException.class)
                .hasMessageContaining("use external_id");
        assertThat(sandbox.requestCount()).isZero();
    }

    @Test
    void thePayloadCarriesZendesksJsonTypesAndNullClears() throws Exception {
        onScript();
        scripted.answerJson(200, "{\"job_status\":{\"id\":\"j1\",\"status\":\"completed\",\"results\":[]}}");
        destination.start(new WriteBatch("users", Operation.UPSERT, "external_id", List.of(record("a", "C-1", null,
                "name", "Ada", "notes", null, "verified", true, "organization_id", 42L,
                "user_fields.churn_risk", new BigDecimal("0.50"), "user_fields.renewal", LocalDate.of(2026, 5, 1),
                "user_fields.seen", Instant.parse("2026-03-02T15:00:00.123Z")))));
        JsonNode user = scripted.body(0).get("users").get(0);
        assertThat(user.toString()).isEqualTo("{\"external_id\":\"C-1\",\"name\":\"Ada\",\"notes\":null,"
                + "\"verified\":true,\"organization_id\":42,\"user_fields\":{\"churn_risk\":0.5,"
                + "\"renewal\":\"2026-05-01\",\"seen\":\"2026-03-02T15:00:00Z\"}}");
    }

    // ---- how results map to records ----

    @Test
    void resultsWithoutIndexesMapByPositionAndFailuresCarryZendesksReason() throws Exception {
        onScript();
        // The create_or_update_many answer quoted in Zendesk's community post 4408861015066.
        scripted.answerJson(200, "{\"job_status\":{\"id\":\"j1\",\"status\":\"queued\"}}")
                .answerJson(200, "{\"job_status\":{\"id\":\"j1\",\"status\":\"completed\",\"results\":["
                        + "{\"id\":1900233268488,\"status\":\"Created\",\"email\":\"success_created@example.com\"},"
                        + "{\"id\":902860577023,\"status\":\"Updated\",\"email\":\"success_modified@example.com\"},"
                        + "{\"id\":2,\"error\":\"UserUpdateError\",\"details\":\"Name: Email: error@example.com_ is "
                        + "not properly formatted\",\"status\":\"Failed\"}]}}");
        Run run = run(new WriteBatch("users", Operation.UPSERT, "email", List.of(
                record("a", "success_created@example.com", null), record("b", "success_modified@example.com", null),
                record("c", "error@example.com_", null))));
        Map<String, RecordResult> results = run.byKey();
        assertThat(results.get("a").destinationId()).isEqualTo("1900233268488");
        assertThat(results.get("b").destinationId()).isEqualTo("902860577023");
        assertThat(results.get("c").accepted()).isFalse();
        assertThat(results.get("c").reason())
                .isEqualTo("UserUpdateError: Name: Email: error@example.com_ is not properly formatted");
        assertThat(scripted.received().get(1).path()).isEqualTo("/api/v2/job_statuses/j1");
    }

    @Test
    void updateResultsMapByIdAndAFailedJobLeavesUnmentionedRecordsUnanswered() throws Exception {
        onScript();
        scripted.answerJson(200, "{\"job_status\":{\"id\":\"j2\",\"status\":\"queued\"}}")
                .answerJson(200, "{\"job_status\":{\"id\":\"j2\",\"status\":\"failed\",\"message\":\"boom\","
                        + "\"results\":[{\"id\":20,\"action\":\"update\",\"success\":true,\"status\":\"Updated\"}]}}");
        Run run = run(new WriteBatch("users", Operation.UPDATE, "email", List.of(
                record("ten", "ten@example.com", "10", "notes", "x"), record("twenty", "twenty@example.com", "20",
                        "notes", "y"))));
        assertThat(run.result().results()).extracting(RecordResult::key).containsExactly("twenty");
        assertThat(run.byKey().get("twenty").destinationId()).isEqualTo("20");
        assertThat(scripted.body(0).toString()).isEqualTo("{\"users\":[{\"id\":10,\"notes\":\"x\"},"
                + "{\"id\":20,\"notes\":\"y\"}]}");
    }

    @Test
    void aJobWhoseStatusIsGoneLeavesItsRecordsUnanswered() throws Exception {
        onScript();
        scripted.answerJson(200, "{\"job_status\":{\"id\":\"j3\",\"status\":\"queued\"}}")
                .answerJson(404, "{\"error\":\"RecordNotFound\",\"description\":\"Not found\"}");
        Run run = run(new WriteBatch("users", Operation.UPSERT, "email", List.of(record("a", "a@example.com", null,
                "name", "A"))));
        assertThat(run.result().results()).as("unknown outcome: no answer, so a later run sends it again").isEmpty();
    }

    @Test
    void aDeleteOfAUserThatIsGoneAlreadyIsAccepted() throws Exception {
        onScript();
        scripted.answerJson(200, "{\"job_status\":{\"id\":\"j4\",\"status\":\"queued\"}}")
                .answerJson(200, "{\"job_status\":{\"id\":\"j4\",\"status\":\"completed\",\"results\":["
                        + "{\"id\":7,\"action\":\"delete\",\"success\":false,\"status\":\"Failed\","
                        + "\"error\":\"RecordNotFound\",\"details\":\"Not found\"}]}}");
        Run run = run(new WriteBatch("users", Operation.DELETE, "email", List.of(record("a", "a@example.com", "7"))));
        assertThat(run.byKey().get("a").accepted()).isTrue();
        assertThat(scripted.received().getFirst().method()).isEqualTo("DELETE");
        assertThat(scripted.received().getFirst().queryParam("ids")).contains("7");
    }

    // ---- failures of a whole call ----

    @Test
    void theRateLimitAndTheJobLimitAreThrottlesWithZendesksWait() throws Exception {
        onSandbox(b -> b.perMinute(1).jobLimit(1).jobDuration(Duration.ofSeconds(20)));
        clock.set(Instant.parse("2026-03-02T15:00:41Z"));
        WriteBatch batch = new WriteBatch("users", Operation.UPSERT, "email", List.of(record("a", "a@example.com",
                null, "name", "A")));
        destination.start(batch);
        assertThatThrownBy(() -> destination.start(batch)).isInstanceOfSatisfying(ThrottledException.class, e -> {
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(19));
            assertThat(e.dailyLimit()).isFalse();
            assertThat(e.getMessage()).contains("APIRateLimitExceeded");
        });
        clock.advance(Duration.ofSeconds(19));
        assertThatThrownBy(() -> destination.start(batch)).isInstanceOfSatisfying(ThrottledException.class, e -> {
            assertThat(e.retryAfter()).as("until the running job ends").isEqualTo(Duration.ofSeconds(1));
            assertThat(e.getMessage()).contains("TooManyJobs");
        });
    }

    @Test
    void importsNotEnabledAndBadCredentialsArePermanentAndServerErrorsAndConflictsTransient() throws Exception {
        onSandbox(b -> b.importsEnabled(false));
        WriteBatch batch = new WriteBatch("users", Operation.UPSERT, "email", List.of(record("a", "a@example.com",
                null, "name", "A")));
        assertThatThrownBy(() -> destination.start(batch)).isInstanceOf(PermanentException.class)
                .hasMessage("Zendesk answered 403 to create_or_update_many of 1 users: Forbidden: Data imports are "
                        + "not enabled");
        try (Destination wrong = open(Map.of("base_url", sandbox.baseUrl(), "email", ZendeskSandbox.DEFAULT_EMAIL,
                "api_token", "wrong"))) {
            assertThatThrownBy(() -> wrong.describe("users")).isInstanceOf(PermanentException.class)
                    .hasMessageContaining("401").hasMessageContaining("Couldn't authenticate you");
        }
        sandbox.inject(Fault.status(503, 1));
        assertThatThrownBy(() -> destination.describe("users")).isInstanceOf(TransientException.class);
        sandbox.inject(Fault.status(409, 1).withBody("{\"error\":\"Conflict\",\"description\":\"busy\"}"));
        assertThatThrownBy(() -> destination.describe("users")).isInstanceOf(TransientException.class)
                .hasMessageContaining("Conflict: busy");
    }

    @Test
    void aPollThatFailsIsRetriedAsTheSameStep() throws Exception {
        onSandbox();
        WriteBatch batch = new WriteBatch("users", Operation.UPSERT, "email", List.of(record("a", "a@example.com",
                null, "name", "A")));
        WriteStep.Pending queued = (WriteStep.Pending) destination.start(batch);
        clock.advance(queued.after());
        sandbox.inject(Fault.status(502, 1).onPath("/api/v2/job_statuses"));
        assertThatThrownBy(() -> destination.resume(queued)).isInstanceOf(TransientException.class);
        WriteStep done = destination.resume(queued);
        assertThat(done).isInstanceOf(WriteStep.Done.class);
        assertThat(((WriteStep.Done) done).result().results()).allMatch(RecordResult::accepted);
        assertThat(sandbox.userCount()).isEqualTo(1);
    }

    /**
     * The JDK client sends an idempotent GET again, once, when a kept-alive connection closes before any byte of
     * the answer; a second drop is a transient failure of the lookup.
     */
    @Test
    void aLookupWhoseConnectionDropsTwiceIsTransient() throws Exception {
        onSandbox();
        destination.describe("organizations"); // a kept-alive connection
        sandbox.inject(Fault.drop(2));
        WriteBatch batch = new WriteBatch("organizations", Operation.UPSERT, "external_id",
                List.of(record("a", "A-1", null, "name", "A")));
        assertThatThrownBy(() -> destination.start(batch)).isInstanceOfSatisfying(TransientException.class,
                e -> assertThat(e.unreachable()).isFalse());
        assertThat(sandbox.requests().stream().filter(r -> r.status() == LoggedRequest.DROPPED)).hasSize(2);
    }

    @Test
    void readBackIsByExternalIdOnly() throws Exception {
        onSandbox();
        sandbox.createUser(Map.of("name", "Ada", "email", "ada@example.com", "external_id", "C-1",
                "user_fields", Map.of("churn_risk", 0.7)));
        var read = destination.read("users", "external_id", List.of("c-1", "C-2"),
                List.of("name", "user_fields.churn_risk", "notes"));
        assertThat(read).hasSize(1);
        assertThat(read.getFirst().matchValue()).isEqualTo("c-1");
        assertThat(read.getFirst().fields()).containsEntry("name", "Ada").containsEntry("notes", null);
        assertThat((BigDecimal) read.getFirst().fields().get("user_fields.churn_risk")).isEqualByComparingTo("0.7");
        assertThatThrownBy(() -> destination.read("users", "email", List.of("ada@example.com"), List.of("name")))
                .isInstanceOf(PermanentException.class).hasMessageContaining("by external_id only");
    }
}
