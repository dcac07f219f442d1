package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.LoggedRequest;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per fault a destination can throw at a run: bursts of 5xx, 429 storms with and without
 * {@code Retry-After}, timeouts and slow answers, dropped connections, a batch poisoned by one bad record, and a
 * neighbour using part of the same rate budget. Each drives the CLI over a copy of {@code examples/hubspot-churn}
 * (500 customers) against an in-process HubSpot sandbox whose {@code /_sandbox/} fault queue produces the fault, checks
 * the exit code, the message and the counts the run log keeps, then lets the faults stop, changes some rows, runs
 * again and checks convergence: every model row's contact holds the row's values in every mapped field, and there is
 * exactly one contact per email (nothing lost, nothing duplicated).
 *
 * <p>The CLI retries with {@code RetryPolicy.DEFAULT} (5 attempts, back-off from 500 ms), so a burst of 4 failures
 * per batch is absorbed and a burst of 5 is not.
 */
class FaultInjectionEndToEndTest {
    static final String SYNC = "churn_to_hubspot";
    static final String CSV = "data/customers.csv";
    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String DESCRIBE = "/crm/v3/properties/contacts";
    static final int ROWS = 500;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path scratch;

    /** One token per test: the CLI keeps one rate budget per account (URL and token) for the whole JVM. */
    String token;
    HubSpotSandbox sandbox;
    CliRunner ebb;
    Path project;
    String p;

    @BeforeEach
    void copyProject(TestInfo test) throws IOException {
        token = "fault-" + test.getTestMethod().orElseThrow().getName();
        project = ExamplesEndToEndTest.copyExample("hubspot-churn", scratch);
        p = project.toString();
    }

    @AfterEach
    void stopSandbox() {
        if (sandbox != null) sandbox.close();
    }

    void startSandbox(int perTenSeconds) throws IOException {
        sandbox = HubSpotSandbox.builder().tokens(token).perTenSeconds(perTenSeconds)
                .property("contacts", HubSpotProperty.of("churn_risk_score", "number"))
                .property("contacts", HubSpotProperty.of("lifetime_value", "number"))
                .property("contacts", HubSpotProperty.enumeration("plan", "free", "starter", "professional",
                        "enterprise"))
                .build();
        sandbox.start();
        ebb = cli(sandbox.baseUrl());
    }

    // ---------------------------------------------------------------------------------------------------------
    // (a) A burst of 503s shorter than the retry bound

    @Test
    void burstOf503sShorterThanTheRetryBoundIsRetriedAndTheRunSucceeds() throws IOException {
        startSandbox(10_000);
        sandbox.inject(Fault.status(503, 3).onPath(UPSERT));

        JsonNode first = run(0);
        assertThat(first.get("delivered").asLong()).isEqualTo(ROWS);
        assertThat(first.get("failed").asLong()).isZero();
        assertThat(first.get("retries").asLong()).as("one retry per 503").isEqualTo(3);
        assertThat(first.get("throttles").asLong()).isZero();
        assertThat(sandbox.countsByStatus()).containsEntry(503, 3L);
        assertConverged();

        changeScores(30, "0.3101");
        JsonNode second = run(0);
        assertThat(second.get("changed").asLong()).isEqualTo(30);
        assertThat(second.get("delivered").asLong()).isEqualTo(30);
        assertThat(second.get("retries").asLong()).isZero();
        assertConverged();

        assertThat(runLog()).containsExactly("2 succeeded delivered=30 failed=0 retries=0 throttles=0",
                "1 succeeded delivered=500 failed=0 retries=3 throttles=0");
    }

    // ---------------------------------------------------------------------------------------------------------
    // (b) A burst of 503s longer than the retry bound

    @Test
    void burstOf503sLongerThanTheRetryBoundLeavesRowsFailedAndTheNextRunDeliversThem() throws IOException {
        startSandbox(10_000);
        run(0);
        // Three batches of 100 changed rows, all in flight at once, each given up after 5 attempts.
        changeScores(300, "0.7707");
        sandbox.inject(Fault.status(503, 15).onPath(UPSERT));

        JsonNode broken = run(1);
        assertThat(broken.get("changed").asLong()).isEqualTo(300);
        assertThat(broken.get("failed").asLong()).isEqualTo(300);
        assertThat(broken.get("delivered").asLong()).isZero();
        assertThat(broken.get("retries").asLong()).as("4 retries per batch").isEqualTo(12);
        assertThat(broken.get("status").asText()).as("three failed batches in a row stop the run")
                .isEqualTo("failed");
        assertThat(broken.get("message").asText()).contains("HubSpot answered 503").contains("gave up after 5 attempts");
        assertThat(problems(broken)).as(broken.toString()).isNotEmpty().allMatch(s -> s.startsWith("failed ")
                && s.contains("HubSpot answered 503") && s.contains("gave up after 5 attempts"));
        assertThat(sandbox.countsByStatus()).containsEntry(503, 15L);
        assertThat(contactScore("customer1@example.com")).as("the failed rows' records are as they were")
                .isNotEqualTo("0.7707");
        CliRunner.Result explain = ebb.run("explain", "-p", p, SYNC, "customer1@example.com");
        assertThat(explain.out()).as(explain.toString()).contains("failed").contains("the next run sends it again");

        sandbox.clearFaults();
        JsonNode next = run(0);
        assertThat(next.get("changed").asLong()).as("the failed rows, and nothing delivered twice").isEqualTo(300);
        assertThat(next.get("delivered").asLong()).isEqualTo(300);
        assertConverged();

        assertThat(runLog()).containsExactly("3 succeeded delivered=300 failed=0 retries=0 throttles=0",
                "2 failed delivered=0 failed=300 retries=12 throttles=0",
                "1 succeeded delivered=500 failed=0 retries=0 throttles=0");
    }

    @Test
    void burstOf503sOnTheFirstCallLongerThanTheRetryBoundIsExit3AndRecordsNoRun() throws IOException {
        startSandbox(10_000);
        sandbox.inject(Fault.status(503, 5).onPath(DESCRIBE));

        CliRunner.Result down = runSync();
        assertThat(down.exitCode()).as(down.toString()).isEqualTo(3);
        assertThat(down.err()).as(down.toString()).contains("destination 'hubspot' could not describe object "
                + "'contacts'").contains("HubSpot answered 503").contains("gave up after 5 attempts");
        assertThat(sandbox.requestCount(DESCRIBE)).isEqualTo(5);
        assertThat(sandbox.requestCount("/crm/v3/objects")).as("nothing was written").isZero();
        assertThat(runs()).as("a run that could not start leaves no run behind").isEmpty();

        sandbox.clearFaults();
        JsonNode back = run(0);
        assertThat(back.get("added").asLong()).isEqualTo(ROWS);
        assertThat(back.get("delivered").asLong()).isEqualTo(ROWS);
        assertConverged();
    }

    // ---------------------------------------------------------------------------------------------------------
    // (c) A 429 storm with Retry-After, (d) without

    @Test
    void throttleStormWithRetryAfterIsWaitedOutAndNoRowIsLost() throws IOException {
        startSandbox(10_000);
        // HubSpot documents no Retry-After, so its sandbox sends none; the faults add one, as a gateway in front of
        // the vendor might. The schema read is the run's only call on its own, so its retries show the waits one
        // after another.
        sandbox.inject(Fault.throttle(2).onPath(DESCRIBE).withHeader("Retry-After", "1"));
        sandbox.inject(Fault.throttle(8).onPath(UPSERT).withHeader("Retry-After", "1"));

        JsonNode stormy = run(0);
        assertThat(stormy.get("delivered").asLong()).isEqualTo(ROWS);
        assertThat(stormy.get("failed").asLong()).isZero();
        assertThat(stormy.get("throttles").asLong()).as("every 429 counted").isEqualTo(10);
        assertThat(sandbox.countsByStatus().get(429)).as("no 429 beyond the storm").isEqualTo(10L);
        List<Instant> reads = sandbox.requests().stream().filter(r -> r.path().equals(DESCRIBE))
                .map(LoggedRequest::time).toList();
        assertThat(reads).hasSize(3);
        for (int i = 1; i < reads.size(); i++) {
            assertThat(Duration.between(reads.get(i - 1), reads.get(i)))
                    .as("the retry of a 429 with Retry-After: 1 came after at least a second")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(990));
        }
        assertConverged();

        changeScores(40, "0.4101");
        JsonNode calm = run(0);
        assertThat(calm.get("delivered").asLong()).isEqualTo(40);
        assertThat(calm.get("throttles").asLong()).isZero();
        assertConverged();
        assertThat(runLog()).containsExactly("2 succeeded delivered=40 failed=0 retries=0 throttles=0",
                "1 succeeded delivered=500 failed=0 retries=10 throttles=10");
    }

    @Test
    void throttleStormWithoutRetryAfterIsBackedOffAndNoRowIsLost() throws IOException {
        startSandbox(10_000);
        sandbox.inject(Fault.throttle(6).onPath(UPSERT));

        JsonNode stormy = run(0);
        assertThat(stormy.get("delivered").asLong()).isEqualTo(ROWS);
        assertThat(stormy.get("failed").asLong()).isZero();
        assertThat(stormy.get("throttles").asLong()).as("every 429 counted").isEqualTo(6);
        assertThat(sandbox.countsByStatus().get(429)).as("no 429 beyond the storm").isEqualTo(6L);
        assertConverged();

        changeScores(40, "0.4202");
        JsonNode calm = run(0);
        assertThat(calm.get("delivered").asLong()).isEqualTo(40);
        assertThat(calm.get("throttles").asLong()).isZero();
        assertConverged();
        assertThat(runLog()).containsExactly("2 succeeded delivered=40 failed=0 retries=0 throttles=0",
                "1 succeeded delivered=500 failed=0 retries=6 throttles=6");
    }

    // ---------------------------------------------------------------------------------------------------------
    // (e) Slow answers and timeouts

    @Test
    void slowAnswersWithinTheTimeoutCostNothingAndTimeoutsAreRetriedWithoutDuplicates() throws IOException {
        startSandbox(10_000);
        setTimeoutSeconds(1);
        sandbox.inject(Fault.latency(Duration.ofMillis(300), 5).onPath(UPSERT));

        JsonNode slow = run(0);
        assertThat(slow.get("delivered").asLong()).isEqualTo(ROWS);
        assertThat(slow.get("retries").asLong()).as("slow, but within the timeout").isZero();
        assertConverged();

        // Two calls outlive the 1 s timeout; the sandbox applies them anyway, after Ebb has given up on them and
        // sent them again: the late writes must not create a second record.
        changeScores(150, "0.1501");
        sandbox.inject(Fault.latency(Duration.ofMillis(2_500), 2).onPath(UPSERT));
        JsonNode timedOut = run(0);
        assertThat(timedOut.get("delivered").asLong()).isEqualTo(150);
        assertThat(timedOut.get("retries").asLong()).isEqualTo(2);
        awaitLatencyFaultsAnswered(5 + 2);
        assertConverged();
        assertThat(runLog()).containsExactly("2 succeeded delivered=150 failed=0 retries=2 throttles=0",
                "1 succeeded delivered=500 failed=0 retries=0 throttles=0");
    }

    @Test
    void timeoutsPastTheRetryBoundLeaveTheRowFailedAndAWriteThatLandedUnseenIsNotLost() throws IOException {
        startSandbox(10_000);
        setTimeoutSeconds(1);
        run(0);
        List<ChurnCsv.Row> before = ChurnCsv.read(project.resolve(CSV));
        ChurnCsv.Row target = before.get(41);

        // Four attempts fail and the last one times out, but lands at HubSpot after Ebb stopped listening.
        writeRows(replace(before, 41, target.withScore("0.9871")));
        sandbox.inject(Fault.status(503, 4).onPath(UPSERT));
        sandbox.inject(Fault.latency(Duration.ofMillis(2_000), 1).onPath(UPSERT));
        JsonNode lost = run(1);
        assertThat(lost.get("failed").asLong()).isEqualTo(1);
        assertThat(problems(lost)).singleElement().asString().contains(target.email())
                .contains("did not answer").contains("gave up after 5 attempts");
        awaitLatencyFaultsAnswered(1);
        assertThat(contactScore(target.email())).as("the write landed although Ebb never heard back")
                .isEqualTo("0.9871");

        // The model goes back to what the snapshot holds: the record must still be brought back to it.
        writeRows(before);
        JsonNode repaired = run(0);
        assertThat(repaired.get("delivered").asLong()).as(repaired.toString()).isEqualTo(1);
        assertConverged();
    }

    @Test
    void mirrorDeletesARecordWhoseCreationLandedUnseen() throws IOException {
        startSandbox(10_000);
        setTimeoutSeconds(1);
        edit("syncs/churn_to_hubspot.yaml", "mode: upsert", "mode: mirror");
        edit("syncs/churn_to_hubspot.yaml", "on_removed: ignore\n", "");
        run(0);
        List<ChurnCsv.Row> before = ChurnCsv.read(project.resolve(CSV));

        List<ChurnCsv.Row> withNewcomer = new ArrayList<>(before);
        withNewcomer.add(new ChurnCsv.Row("newcomer@example.com", "New", "Comer", "0.5", "10.00", "free"));
        writeRows(withNewcomer);
        sandbox.inject(Fault.status(503, 4).onPath(UPSERT));
        sandbox.inject(Fault.latency(Duration.ofMillis(2_000), 1).onPath(UPSERT));
        JsonNode unseen = run(1);
        assertThat(unseen.get("failed").asLong()).isEqualTo(1);
        awaitLatencyFaultsAnswered(1);
        assertThat(sandbox.findRecord("contacts", "email", "newcomer@example.com")).isPresent();

        writeRows(before);
        JsonNode removed = run(0);
        assertThat(removed.get("removed").asLong()).isEqualTo(1);
        assertThat(sandbox.findRecord("contacts", "email", "newcomer@example.com")).isEmpty();
        assertConverged();
    }

    // ---------------------------------------------------------------------------------------------------------
    // (f) Dropped connections

    @Test
    void droppedConnectionsAreRetriedAndNoRowIsLostOrDuplicated() throws IOException {
        startSandbox(10_000);
        sandbox.inject(Fault.drop(3).onPath(UPSERT));

        JsonNode dropped = run(0);
        assertThat(dropped.get("delivered").asLong()).isEqualTo(ROWS);
        assertThat(dropped.get("retries").asLong()).isEqualTo(3);
        assertThat(sandbox.countsByStatus()).containsEntry(LoggedRequest.DROPPED, 3L);
        assertConverged();

        changeScores(60, "0.6606");
        sandbox.inject(Fault.drop(2).onPath(UPSERT));
        JsonNode again = run(0);
        assertThat(again.get("delivered").asLong()).isEqualTo(60);
        assertThat(again.get("retries").asLong()).isEqualTo(2);
        assertConverged();
        assertThat(runLog()).containsExactly("2 succeeded delivered=60 failed=0 retries=2 throttles=0",
                "1 succeeded delivered=500 failed=0 retries=3 throttles=0");
    }

    // ---------------------------------------------------------------------------------------------------------
    // (g) A batch poisoned by one bad record

    /**
     * The connector gives every input an {@code objectWriteTraceId}, so a value HubSpot refuses comes back for its
     * record alone in a 207. What still fails a whole batch is an input HubSpot cannot even address: an upsert whose
     * {@code id} (the email) is empty is a 400 "Some required fields were not set: [id]" for the batch. An empty
     * string (not a null) in the key column is what a warehouse hands over for it; the model reads the CSV with
     * {@code allow_quoted_nulls = false} so that {@code ""} stays an empty string.
     */
    @Test
    void batchPoisonedByOneRecordDeliversTheOthersAndRejectsThatOneWithHubSpotsReason() throws IOException {
        startSandbox(10_000);
        edit("models/customer_health.sql", "read_csv_auto('data/customers.csv')",
                "read_csv_auto('data/customers.csv', allow_quoted_nulls = false)");
        List<String> lines = Files.readAllLines(project.resolve(CSV));
        String healthy = lines.get(250);
        lines.set(250, "\"\"" + healthy.substring(healthy.indexOf(',')));
        Files.write(project.resolve(CSV), lines);

        JsonNode poisoned = run(1);
        assertThat(poisoned.get("delivered").asLong()).isEqualTo(ROWS - 1);
        assertThat(poisoned.get("rejected").asLong()).isEqualTo(1);
        assertThat(poisoned.get("failed").asLong()).isZero();
        assertThat(problems(poisoned)).singleElement().asString().startsWith("rejected : ")
                .contains("VALIDATION_ERROR").contains("Some required fields were not set: [id]");
        assertThat(sandbox.countsByStatus().get(400)).as("the poisoned batch was split until the bad record was alone")
                .isGreaterThanOrEqualTo(2L);
        assertThat(sandbox.recordCount("contacts")).isEqualTo(ROWS - 1);

        lines.set(250, healthy);
        Files.write(project.resolve(CSV), lines);
        JsonNode fixed = run(0);
        assertThat(fixed.get("added").asLong()).isEqualTo(1);
        assertThat(fixed.get("delivered").asLong()).isEqualTo(1);
        assertConverged();
        assertThat(runLog()).containsExactly("2 succeeded delivered=1 failed=0 retries=0 throttles=0",
                "1 completed_with_errors delivered=499 failed=0 retries=0 throttles=0");
    }

    /**
     * The other whole-batch refusal the sandbox models: two inputs with the same id. Emails that differ only in case
     * are one contact to HubSpot (it matches them case-blind), so two model rows spelling one address two ways
     * poison their batch with a 400 "Duplicate IDs found in batch input". Neither row can be delivered without
     * guessing which one wins: both must be invalid (a duplicate match value), never sent, and the others delivered.
     */
    @Test
    void emailsThatDifferOnlyInCaseAreDuplicatesNotTwoDeliveries() throws IOException {
        startSandbox(10_000);
        List<ChurnCsv.Row> rows = new ArrayList<>(ChurnCsv.read(project.resolve(CSV)));
        ChurnCsv.Row twin = rows.get(2).withEmail("customer3@EXAMPLE.com").withScore("0.9999");
        rows.add(3, twin);
        writeRows(rows);

        JsonNode run = run(1);
        assertThat(run.get("invalid").asLong()).isEqualTo(2);
        assertThat(run.get("delivered").asLong()).isEqualTo(ROWS - 1);
        assertThat(problems(run)).hasSize(2).allMatch(s -> s.startsWith("invalid customer3@")
                && s.contains("duplicate match value"));
        assertThat(sandbox.findRecord("contacts", "email", "customer3@example.com")).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------
    // (h) A neighbour using part of the same budget

    /**
     * Another integration of the same HubSpot account, with the same token, uses 30% of the 10-second window (6 of
     * 20) all along. Ebb learns the account's limit from the rate-limit headers and the neighbour's share from the
     * 429s and the {@code Remaining} header: a few throttles at most, never a storm, and no row lost.
     */
    @Test
    void neighbourUsingPartOfTheBudgetCostsAFewThrottlesAtMostAndNoRow() throws Exception {
        int perTenSeconds = 20;
        int neighbourShare = 6;
        startSandbox(perTenSeconds);
        List<ChurnCsv.Row> rows = new ArrayList<>(ChurnCsv.read(project.resolve(CSV)));
        for (int i = ROWS + 1; rows.size() < 2_000; i++) {
            rows.add(new ChurnCsv.Row("customer" + i + "@example.com", "Neigh", "Bour" + i, "0." + (i % 1000),
                    i + ".50", "starter"));
        }
        writeRows(rows);

        AtomicLong neighbourCalls = new AtomicLong();
        AtomicLong neighbourThrottled = new AtomicLong();
        ScheduledExecutorService neighbour = Executors.newSingleThreadScheduledExecutor();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest read = HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                    + "/crm/v3/objects/contacts?limit=1")).header("Authorization", "Bearer " + token).build();
            Runnable call = () -> {
                try {
                    int status = http.send(read, HttpResponse.BodyHandlers.discarding()).statusCode();
                    neighbourCalls.incrementAndGet();
                    if (status == 429) neighbourThrottled.incrementAndGet();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            // Its share of the current window is spent already, and it goes on spending it evenly.
            for (int i = 0; i < neighbourShare; i++) call.run();
            long every = TimeUnit.SECONDS.toMillis(10) / neighbourShare;
            neighbour.scheduleAtFixedRate(call, every, every, TimeUnit.MILLISECONDS);

            JsonNode shared = run(0);
            assertThat(shared.get("delivered").asLong()).isEqualTo(rows.size());
            assertThat(shared.get("failed").asLong()).isZero();
            long ebbThrottled = sandbox.requests().stream()
                    .filter(r -> r.status() == 429 && !r.path().equals("/crm/v3/objects/contacts")).count();
            assertThat(shared.get("throttles").asLong()).isEqualTo(ebbThrottled);
            // A storm would be a 429 for most of its 21 calls; a few are the batches already in flight when the
            // window ran out, at most twice over while the budget settles.
            assertThat(ebbThrottled).as("a few 429s while Ebb learns the neighbour's share, not a storm; the "
                    + "neighbour made %d calls", neighbourCalls.get()).isLessThanOrEqualTo(8);
            assertConverged();

            JsonNode again = run(0);
            assertThat(again.get("unchanged").asLong()).as("nothing left behind").isEqualTo(rows.size());
            assertThat(again.get("delivered").asLong()).isZero();
            assertConverged();
        } finally {
            neighbour.shutdownNow();
            neighbour.awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(neighbourCalls.get()).as("the neighbour ran alongside").isGreaterThan(neighbourShare);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    CliRunner cli(String baseUrl) {
        return new CliRunner(Map.of("HUBSPOT_TOKEN", token, "HUBSPOT_BASE_URL", baseUrl));
    }

    CliRunner.Result runSync() {
        return ebb.run("run", "-p", p, SYNC, "--json");
    }

    /** Runs the sync with {@code --json}, asserts its exit code, and returns its run document. */
    JsonNode run(int expectedExitCode) throws IOException {
        CliRunner.Result result = runSync();
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(expectedExitCode);
        return JSON.readTree(result.out());
    }

    List<JsonNode> runs() throws IOException {
        CliRunner.Result result = ebb.run("runs", "-p", p, "--json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<JsonNode> runs = new ArrayList<>();
        JSON.readTree(result.out()).get("runs").forEach(runs::add);
        return runs;
    }

    /** {@code ebb runs --json}, newest first, as "id status delivered=… failed=… retries=… throttles=…". */
    List<String> runLog() throws IOException {
        return runs().stream().map(r -> r.get("run_id").asLong() + " " + r.get("status").asText()
                + " delivered=" + r.get("delivered").asLong() + " failed=" + r.get("failed").asLong()
                + " retries=" + r.get("retries").asLong() + " throttles=" + r.get("throttles").asLong()).toList();
    }

    static List<String> problems(JsonNode run) {
        List<String> problems = new ArrayList<>();
        run.get("problems").forEach(n -> problems.add(n.asText()));
        return problems;
    }

    void assertConverged() throws IOException {
        List<ChurnCsv.Row> rows = ChurnCsv.read(project.resolve(CSV));
        Map<String, ?> contacts = ChurnCsv.assertSandboxHolds(sandbox, rows);
        assertThat(contacts).as("one contact per model row, no more").hasSize(rows.size());
    }

    /** Gives {@code count} rows, spread over the whole file, a new churn score. */
    void changeScores(int count, String score) throws IOException {
        List<ChurnCsv.Row> rows = new ArrayList<>(ChurnCsv.read(project.resolve(CSV)));
        for (int i = 0; i < count; i++) {
            int at = (int) ((long) i * rows.size() / count);
            rows.set(at, rows.get(at).withScore(score));
        }
        writeRows(rows);
    }

    void writeRows(List<ChurnCsv.Row> rows) throws IOException {
        ChurnCsv.write(project.resolve(CSV), rows);
    }

    static List<ChurnCsv.Row> replace(List<ChurnCsv.Row> rows, int index, ChurnCsv.Row row) {
        List<ChurnCsv.Row> copy = new ArrayList<>(rows);
        copy.set(index, row);
        return copy;
    }

    String contactScore(String email) {
        return sandbox.findRecord("contacts", "email", email).flatMap(r -> r.property("churn_risk_score"))
                .orElseThrow(() -> new AssertionError("no contact " + email));
    }

    void setTimeoutSeconds(int seconds) throws IOException {
        edit("ebb.yaml", "    tier: professional\n", "    tier: professional\n    timeout_seconds: " + seconds + "\n");
    }

    /** Replaces one occurrence of {@code from}, failing if the file does not hold it exactly once. */
    void edit(String relative, String from, String to) throws IOException {
        Path file = project.resolve(relative);
        String text = Files.readString(file);
        assertThat(text.split(java.util.regex.Pattern.quote(from), -1)).as(relative + " holds " + from).hasSize(2);
        Files.writeString(file, text.replace(from, to));
    }

    /**
     * Waits until the sandbox has answered {@code count} requests held by latency faults: a request the client gave
     * up on is still applied when its latency is over, and convergence is only meaningful after that.
     */
    void awaitLatencyFaultsAnswered(int count) throws IOException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (sandbox.requests().stream().filter(r -> r.fault() == Fault.Kind.LATENCY).count() < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the sandbox did not answer " + count + " held requests: "
                        + sandbox.requests());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }
}
