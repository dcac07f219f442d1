package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.LoggedRequest;
import dev.ebb.sandbox.hubspot.HubSpotRecord;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills real Ebb processes with SIGKILL during delivery, round after round, against a HubSpot sandbox, then lets one
 * run finish and checks that nothing was lost, duplicated or left stale (DESIGN invariants 1 and 2), and that the run
 * log tells what each killed run did.
 *
 * <p>Each round changes the model (a CSV of about 2,000 customers): some scores flip between two values, so that a
 * change killed in flight is often reverted before the next run; others move; customers join, leave (the sync
 * deletes their contacts) and come back. Then it starts {@code java -jar cli/target/ebb.jar run …} as a child process
 * and kills it with SIGKILL ({@link Process#destroyForcibly()} on Linux) a random 0 to 450 ms after one of the run's
 * first three writes was answered. The sandbox holds every batch write 300 ms, so kills land while batches are in
 * flight and between an answer and its commit. In the first round, while the run goes, {@code ebb runs} must show it
 * running with what it committed so far. There are 30 rounds, or more (up to 60) until 20 runs were killed mid-run
 * and 10 of them mid-batch, since a run whose change is small can finish before its kill. After the rounds one run
 * goes to the end, and the sandbox must hold exactly
 * the model's rows with their values, one contact per email; every killed run must be {@code abandoned}, ended at its
 * last commit (before its kill), with what its commits delivered.
 *
 * <p>The rounds are random but seeded: the seed is printed, and {@code -Debb.crash.seed=N} replays it.
 */
class CrashRecoveryEndToEndTest {
    static final String TOKEN = "crash-token";
    static final String SYNC = "churn_to_hubspot";
    static final String CSV = "data/customers.csv";
    static final String WRITES = "/crm/v3/objects/contacts/batch/";
    static final Duration HOLD = Duration.ofMillis(300);
    static final Duration FIRST_ROUND_HOLD = Duration.ofSeconds(5);
    /** Rounds at least; more, up to {@link #MAX_ROUNDS}, until the kills below have landed. */
    static final int ROUNDS = 30;
    static final int MAX_ROUNDS = 60;
    /** Runs killed mid-run that the test needs (a run may finish before its kill, when its change is small). */
    static final int KILLS = 20;
    /** Of which killed while a batch was in flight. */
    static final int MID_BATCH_KILLS = 10;
    static final int INITIAL_ROWS = 2_000;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path scratch;

    HubSpotSandbox sandbox;
    Path project;

    @BeforeEach
    void startSandbox() throws IOException {
        // 40 calls per 10 s and 300 ms per batch write: a full run of 2,000 rows spans a few seconds, most of it calls.
        sandbox = ChurnCsv.sandbox(TOKEN, 40);
        sandbox.start();
        sandbox.inject(Fault.latency(HOLD, Integer.MAX_VALUE).onPath(WRITES));
        project = ExamplesEndToEndTest.copyExample("hubspot-churn", scratch);
        Path sync = project.resolve("syncs/" + SYNC + ".yaml");
        // mirror: customers who leave the model have their contacts deleted, so removals are deliveries too; no
        // guard, since early rounds remove a large share of the little that was delivered.
        Files.writeString(sync, Files.readString(sync).replace("mode: upsert", "mode: mirror")
                .replace("on_removed: ignore\n", "guard: {}\n"));
        Files.createDirectories(scratch.resolve("tmp"));
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    @Test
    void runsKilledDuringDeliveryRecoverAndConvergeWithoutLossDuplicatesOrStaleRecords() throws Exception {
        Instant began = Instant.now();
        long seed = Long.getLong("ebb.crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryEndToEndTest seed " + seed + " (replay with -Debb.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Model model = new Model(random);

        List<Round> rounds = new ArrayList<>();
        int midBatch = 0;
        int killedAfterWriting = 0;
        // A run killed after its last commit is recorded as finished: once enough kills landed after a write, the
        // run log says how many landed mid-run.
        for (int round = 1; round <= ROUNDS || round <= MAX_ROUNDS && (killedAfterWriting < KILLS
                || midBatch < MID_BATCH_KILLS || abandoned(runLog()) < KILLS); round++) {
            model.mutate();
            model.write(project.resolve(CSV));
            // In the first round the first writes are slow, so that a reader has time to look while the run holds
            // the store; from the second, every write is held the same.
            if (round <= 2) {
                sandbox.clearFaults();
                if (round == 1) sandbox.inject(Fault.latency(FIRST_ROUND_HOLD, 8).onPath(WRITES));
                sandbox.inject(Fault.latency(HOLD, Integer.MAX_VALUE).onPath(WRITES));
            }
            Instant started = Instant.now();
            Process child = startEbb("round-" + round);
            int writes = 1 + random.nextInt(3);
            long jitter = random.nextLong(450);
            Instant deadline = started.plusSeconds(120);
            if (round == 1) {
                while (child.isAlive() && requestsSince(started, "/crm/v3/properties") == 0
                        && Instant.now().isBefore(deadline)) {
                    Thread.sleep(5);
                }
                Thread.sleep(300); // past the describe: planned and delivering
                assertLiveRunIsShown(child, model.size());
            }
            while (child.isAlive() && writesSince(started) < writes && Instant.now().isBefore(deadline)) {
                Thread.sleep(2);
            }
            child.waitFor(jitter, TimeUnit.MILLISECONDS);
            Instant killedAt = null;
            String fate;
            if (child.isAlive()) {
                killedAt = Instant.now();
                child.destroyForcibly();
                child.waitFor();
                // Writes in flight at the kill are answered (to nobody) and logged before the next round starts: the
                // longest hold is round 1's, whose first writes are held 5 s so that ebb runs can watch the run.
                Thread.sleep((round == 1 ? FIRST_ROUND_HOLD : HOLD).toMillis() + 50);
                Instant kill = killedAt;
                boolean inFlight = sandbox.requests().stream().anyMatch(r -> r.path().startsWith(WRITES)
                        && !r.time().isAfter(kill) && r.time().isAfter(kill.minus(HOLD)));
                if (inFlight) midBatch++;
                fate = "killed " + jitter + " ms after write " + writes + (inFlight ? ", mid-batch" : "");
            } else {
                assertThat(child.exitValue()).as("round %d: %s", round, output("round-" + round)).isZero();
                fate = "finished before its kill";
            }
            Round done = new Round(round, started, Instant.now(), killedAt, writesSince(started) > 0);
            if (done.killedAt != null && done.wrote) killedAfterWriting++;
            rounds.add(done);
            System.out.println("round " + round + ": " + model.size() + " rows, " + fate + "; " + calls(started));
        }

        Process last = startEbb("final");
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).as("the final run finishes").isTrue();
        assertThat(last.exitValue()).as(output("final")).isZero();

        // The destination equals the model: every row with its values (none lost, none stale), one contact per
        // email (no duplicate), and no contact of a customer who left (removals delivered).
        Map<String, HubSpotRecord> contacts = ChurnCsv.assertSandboxHolds(sandbox, model.rows());
        Set<String> expected = new HashSet<>();
        model.rows().forEach(r -> expected.add(r.email().toLowerCase(Locale.ROOT)));
        Set<String> stale = new HashSet<>(contacts.keySet());
        stale.removeAll(expected);
        assertThat(stale).as("contacts of customers who left").isEmpty();

        List<JsonNode> log = runLog();
        assertThat(log.getFirst().get("status").asText()).as("the final run").isEqualTo("succeeded");
        int abandoned = 0;
        long deliveredByKilledRuns = 0;
        for (Round round : rounds) {
            List<JsonNode> its = log.stream().filter(r -> round.holds(Instant.parse(r.get("started_at").asText())))
                    .toList();
            String what = "round " + round.number + (round.killedAt == null ? " (finished)" : " (killed)") + ": "
                    + its;
            if (round.killedAt == null) {
                assertThat(its).as(what).singleElement().extracting(r -> r.get("status").asText())
                        .isEqualTo("succeeded");
                continue;
            }
            assertThat(its).as(what).hasSizeLessThanOrEqualTo(1);
            if (round.wrote) assertThat(its).as("a run that wrote was recorded; " + what).hasSize(1);
            for (JsonNode run : its) {
                String status = run.get("status").asText();
                Instant finished = Instant.parse(run.get("finished_at").asText());
                assertThat(finished).as("ended at its last commit, before its kill; " + what)
                        .isBefore(round.killedAt);
                if (status.equals("abandoned")) {
                    abandoned++;
                    deliveredByKilledRuns += run.get("delivered").asLong();
                    assertThat(run.get("added").asLong() + run.get("changed").asLong()
                            + run.get("removed").asLong()).as("its plan is recorded; " + what).isPositive();
                } else {
                    assertThat(status).as(what).isEqualTo("succeeded");
                }
            }
        }
        long leftovers;
        try (var files = Files.list(scratch.resolve("tmp"))) {
            leftovers = files.filter(f -> f.getFileName().toString().startsWith("libduckdb_java")).count();
        }
        long seconds = Duration.between(began, Instant.now()).toSeconds();
        System.out.println("crash test: " + rounds.size() + " rounds, " + abandoned + " killed mid-run, " + midBatch
                + " of them mid-batch; lost 0, duplicates 0, stale 0; killed runs delivered " + deliveredByKilledRuns
                + " rows by their commits; " + leftovers + " native library copies left; " + seconds + " s");
        assertThat(log).as("every run is one round's, or the final one").hasSize((int) rounds.stream()
                .filter(r -> log.stream().anyMatch(run -> r.holds(Instant.parse(run.get("started_at").asText()))))
                .count() + 1);
        assertThat(abandoned).as("kills landed mid-run").isGreaterThanOrEqualTo(KILLS);
        assertThat(midBatch).as("kills landed while a batch was in flight").isGreaterThanOrEqualTo(MID_BATCH_KILLS);
        assertThat(deliveredByKilledRuns).as("what killed runs committed is recorded").isPositive();
        assertThat(leftovers).as("each process cleans up the native library copies killed ones left")
                .isLessThan(rounds.size() / 3);
    }

    /** {@code ebb runs} in a process of its own, while the round's run holds the store, shows that run going. */
    void assertLiveRunIsShown(Process running, int rows) throws Exception {
        Process runs = startEbb("live-runs", "runs", "-p", project.toString(), SYNC, "--json");
        assertThat(runs.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(running.isAlive()).as("the run was still going when it was looked at; " + output("round-1"))
                .isTrue();
        assertThat(runs.exitValue()).as(output("live-runs") + output("round-1")).isZero();
        JsonNode live = JSON.readTree(scratch.resolve("live-runs.out").toFile()).get("runs").get(0);
        assertThat(live.get("status").asText()).as(live.toString()).isEqualTo("running");
        assertThat(live.get("added").asLong()).as("its plan, published while it runs").isEqualTo(rows);
    }

    /** The runs of {@code log} that were killed mid-run. */
    static int abandoned(List<JsonNode> log) {
        return (int) log.stream().filter(r -> r.get("status").asText().equals("abandoned")).count();
    }

    List<JsonNode> runLog() throws Exception {
        Process runs = startEbb("runs", "runs", "-p", project.toString(), SYNC, "--json", "--limit", "100");
        assertThat(runs.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(runs.exitValue()).as(output("runs")).isZero();
        List<JsonNode> log = new ArrayList<>();
        JSON.readTree(scratch.resolve("runs.out").toFile()).get("runs").forEach(log::add);
        return log;
    }

    /** One round: when its process ran, when it was killed (null if it finished), and whether it wrote. */
    record Round(int number, Instant started, Instant ended, Instant killedAt, boolean wrote) {
        boolean holds(Instant at) {
            return !at.isBefore(started) && !at.isAfter(ended);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    /** Batch writes answered since {@code started} (those of a killed process may land later). */
    long writesSince(Instant started) {
        return requestsSince(started, WRITES);
    }

    long requestsSince(Instant started, String pathPrefix) {
        return sandbox.requests().stream().filter(r -> r.path().startsWith(pathPrefix) && r.time().isAfter(started))
                .count();
    }

    /** The round's calls: when the first one and the first upsert came after the process started, and 429s. */
    String calls(Instant started) {
        List<LoggedRequest> round = sandbox.requests().stream()
                .filter(r -> r.time().isAfter(started)).toList();
        String first = round.isEmpty() ? "none" : Duration.between(started, round.getFirst().time()).toMillis() + " ms";
        String firstUpsert = round.stream().filter(r -> r.path().startsWith(WRITES)).findFirst()
                .map(r -> Duration.between(started, r.time()).toMillis() + " ms").orElse("none");
        long throttled = round.stream().filter(r -> r.status() == 429).count();
        return "first call " + first + ", first write " + firstUpsert + ", " + throttled + " 429s";
    }

    Map<String, String> env() {
        return Map.of("HUBSPOT_TOKEN", TOKEN, "HUBSPOT_BASE_URL", sandbox.baseUrl());
    }

    /** {@code java -jar ebb.jar run -p <project> <sync>} as a child process. */
    Process startEbb(String name) throws IOException {
        return startEbb(name, "run", "-p", project.toString(), SYNC);
    }

    /** {@code java -jar ebb.jar <args>} with this JVM's java, its output to files named after {@code name}. */
    Process startEbb(String name, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A temporary folder of the test's own, to count the native library copies killed processes leave.
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + scratch.resolve("tmp"), "-jar", ebbJar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(scratch.resolve(name + ".out").toFile())
                .redirectError(scratch.resolve(name + ".err").toFile());
        builder.environment().putAll(env());
        return builder.start();
    }

    /** The runnable jar the cli module builds; a reactor build ({@code ./mvnw verify}) packages it before this test. */
    static Path ebbJar() {
        Path jar = Path.of("..", "cli", "target", "ebb.jar");
        if (!Files.isRegularFile(jar)) jar = Path.of("cli", "target", "ebb.jar");
        assertThat(jar).as("the CLI jar; build it first: ./mvnw -pl cli -am package -DskipTests").isRegularFile();
        return jar.toAbsolutePath().normalize();
    }

    String output(String name) throws IOException {
        return "--- out\n" + Files.readString(scratch.resolve(name + ".out")) + "--- err\n"
                + Files.readString(scratch.resolve(name + ".err"));
    }

    /** The model as the rounds change it, and every email it ever held. */
    static final class Model {
        private final Random random;
        private final Map<String, ChurnCsv.Row> rows = new LinkedHashMap<>();
        private final List<ChurnCsv.Row> departed = new ArrayList<>();
        private final Set<String> everSeen = new HashSet<>();
        private int next;

        Model(Random random) {
            this(random, INITIAL_ROWS);
        }

        Model(Random random, int initialRows) {
            this.random = random;
            for (next = 1; next <= initialRows; next++) add(newRow(next));
        }

        private ChurnCsv.Row newRow(int n) {
            String[] plans = {"free", "starter", "professional", "enterprise"};
            return new ChurnCsv.Row("crash" + n + "@example.com", "First" + n, "Last" + n, score(),
                    (100 + random.nextInt(90_000)) + "." + String.format(Locale.ROOT, "%02d", random.nextInt(100)),
                    plans[random.nextInt(plans.length)]);
        }

        private String score() {
            return "0." + String.format(Locale.ROOT, "%04d", random.nextInt(10_000));
        }

        private void add(ChurnCsv.Row row) {
            rows.put(row.email(), row);
            everSeen.add(row.email().toLowerCase(Locale.ROOT));
        }

        /**
         * Flips 60 scores between two values (a change killed in flight is then often undone by the next round),
         * moves 120 others, adds 30 customers, removes 20, and brings back 5 who left.
         */
        void mutate() {
            List<String> keys = new ArrayList<>(rows.keySet());
            for (int i = 0; i < 60; i++) {
                ChurnCsv.Row row = rows.get(keys.get(random.nextInt(keys.size())));
                rows.put(row.email(), row.withScore(row.score().equals("0.1111") ? "0.2222" : "0.1111"));
            }
            for (int i = 0; i < 120; i++) {
                ChurnCsv.Row row = rows.get(keys.get(random.nextInt(keys.size())));
                rows.put(row.email(), row.withScore(score()));
            }
            for (int i = 0; i < 30; i++) add(newRow(next++));
            for (int i = 0; i < 20; i++) {
                ChurnCsv.Row gone = rows.remove(keys.get(random.nextInt(keys.size())));
                if (gone != null) departed.add(gone);
            }
            for (int i = 0; i < 5 && !departed.isEmpty(); i++) {
                ChurnCsv.Row back = departed.remove(random.nextInt(departed.size()));
                add(back.withScore(score()));
            }
        }

        int size() {
            return rows.size();
        }

        List<ChurnCsv.Row> rows() {
            return List.copyOf(rows.values());
        }

        Set<String> everSeen() {
            return everSeen;
        }

        void write(Path csv) throws IOException {
            ChurnCsv.write(csv, rows.values());
        }
    }
}
