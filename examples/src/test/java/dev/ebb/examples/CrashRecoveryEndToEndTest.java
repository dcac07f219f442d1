package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.LoggedRequest;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotRecord;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
 * Kills real Ebb processes with SIGKILL at random points of many runs against a HubSpot sandbox, then lets one run
 * finish and checks that nothing was lost or duplicated (DESIGN invariants 1 and 2).
 *
 * <p>Each round changes the model (a CSV of about 2,000 customers): some scores flip between two values, so that a
 * change killed in flight is often reverted before the next run; others move; customers join, leave, and come back.
 * Then it starts {@code java -jar cli/target/ebb.jar run …} as a child process and kills it with SIGKILL
 * ({@link Process#destroyForcibly()} on Linux): half the rounds just after one of the run's first writes reached the
 * sandbox, a quarter at a random moment of the first 3 s (starting, extracting, diffing: a busy machine may not reach
 * a write by then), and a quarter are let finish. The sandbox holds every upsert 100 ms, so kills land while batches
 * are in flight and between an answer and its commit. After the rounds one run goes to the end, and the sandbox must
 * hold every model row with its values, one contact per email, and the run log must show every run killed before it
 * was done as {@code abandoned}.
 *
 * <p>The rounds are random but seeded: the seed is printed, and {@code -Debb.crash.seed=N} replays it.
 */
class CrashRecoveryEndToEndTest {
    static final String TOKEN = "crash-token";
    static final String SYNC = "churn_to_hubspot";
    static final String CSV = "data/customers.csv";
    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final int ROUNDS = 12;
    static final int INITIAL_ROWS = 2_000;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path scratch;

    HubSpotSandbox sandbox;
    Path project;

    @BeforeEach
    void startSandbox() throws IOException {
        // 40 calls per 10 s and 100 ms per upsert: a full run of 2,000 rows spans a few seconds, most of it calls.
        sandbox = HubSpotSandbox.builder().tokens(TOKEN).perTenSeconds(40)
                .property("contacts", HubSpotProperty.of("churn_risk_score", "number"))
                .property("contacts", HubSpotProperty.of("lifetime_value", "number"))
                .property("contacts", HubSpotProperty.enumeration("plan", "free", "starter", "professional",
                        "enterprise"))
                .build();
        sandbox.start();
        sandbox.inject(Fault.latency(Duration.ofMillis(100), Integer.MAX_VALUE).onPath(UPSERT));
        project = ExamplesEndToEndTest.copyExample("hubspot-churn", scratch);
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    @Test
    void runsKilledAtRandomPointsRecoverAndConvergeWithoutDuplicates() throws Exception {
        long seed = Long.getLong("ebb.crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryEndToEndTest seed " + seed + " (replay with -Debb.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Model model = new Model(random);

        List<Round> rounds = new ArrayList<>();
        // Half the rounds are killed after a write, a quarter at a random time, a quarter run to the end.
        List<Integer> fates = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) fates.add(round % 4 == 0 ? 0 : round % 4 == 3 ? 2 : 1);
        Collections.shuffle(fates, random);
        Collections.swap(fates, 0, fates.indexOf(1));
        for (int round = 1; round <= ROUNDS; round++) {
            model.mutate();
            model.write(project.resolve(CSV));
            Instant started = Instant.now();
            Process child = startEbb("round-" + round);
            // Where the kill lands: anywhere in the first 3 s (starting, extracting, diffing, the schema read: a
            // busy machine may not reach a write by then), or just after one of the round's writes reached the
            // sandbox (while later batches are held, or between an answer and its commit).
            int choice = fates.get(round - 1);
            String fate;
            Instant killedAt = null;
            if (choice == 0) {
                assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("round %d finishes", round).isTrue();
                fate = "finished";
            } else {
                String when;
                if (choice == 1) {
                    int writes = 1 + random.nextInt(4);
                    long jitter = random.nextLong(150);
                    Instant deadline = started.plusSeconds(120);
                    while (child.isAlive() && upsertsSince(started) < writes && Instant.now().isBefore(deadline)) {
                        Thread.sleep(2);
                    }
                    child.waitFor(jitter, TimeUnit.MILLISECONDS);
                    when = jitter + " ms after write " + writes;
                } else {
                    long delay = random.nextLong(3_001);
                    child.waitFor(delay, TimeUnit.MILLISECONDS);
                    when = "after " + delay + " ms";
                }
                if (child.isAlive()) {
                    killedAt = Instant.now();
                    child.destroyForcibly();
                    child.waitFor();
                    fate = "killed " + when;
                } else {
                    fate = "finished before its kill (" + when + ")";
                }
            }
            if (killedAt == null) {
                assertThat(child.exitValue()).as("round %d: %s", round, output("round-" + round)).isZero();
            }
            rounds.add(new Round(round, started, Instant.now(), killedAt, upsertsSince(started) > 0));
            System.out.println("round " + round + ": " + model.size() + " rows, " + fate + "; " + calls(started));
        }

        Process last = startEbb("final");
        assertThat(last.waitFor(120, TimeUnit.SECONDS)).as("the final run finishes").isTrue();
        assertThat(last.exitValue()).as(output("final")).isZero();

        // The destination equals the model: every row with its values, one contact per email, and nothing but
        // customers the model held at some point (on_removed: ignore leaves those that left).
        Map<String, HubSpotRecord> contacts = ChurnCsv.assertSandboxHolds(sandbox, model.rows());
        assertThat(model.everSeen()).as("no contact Ebb was never asked for").containsAll(contacts.keySet());

        // The run log as the same jar reads it: each round's run is found by when it started.
        Process runs = startEbb("runs", "runs", "-p", project.toString(), SYNC, "--json", "--limit", "100");
        assertThat(runs.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(runs.exitValue()).as(output("runs")).isZero();
        List<JsonNode> log = new ArrayList<>();
        JSON.readTree(scratch.resolve("runs.out").toFile()).get("runs").forEach(log::add);
        assertThat(log.getFirst().get("status").asText()).as("the final run").isEqualTo("succeeded");
        int abandoned = 0;
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
                // Killed mid-run, it is abandoned; killed after its run was recorded as done, it stays done.
                String status = run.get("status").asText();
                if (status.equals("abandoned")) {
                    abandoned++;
                } else {
                    assertThat(status).as(what).isEqualTo("succeeded");
                    assertThat(Instant.parse(run.get("finished_at").asText())).as(what).isBefore(round.killedAt);
                }
            }
        }
        System.out.println("run log: " + log.size() + " runs, " + abandoned + " abandoned");
        assertThat(log).as("every run is one round's, or the final one").hasSize((int) rounds.stream()
                .filter(r -> log.stream().anyMatch(run -> r.holds(Instant.parse(run.get("started_at").asText()))))
                .count() + 1);
        assertThat(abandoned).as("at least one kill landed mid-run").isPositive();
    }

    /** One round: when its process ran, when it was killed (null if it finished), and whether it wrote. */
    record Round(int number, Instant started, Instant ended, Instant killedAt, boolean wrote) {
        boolean holds(Instant at) {
            return !at.isBefore(started) && !at.isAfter(ended);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    /** Upserts that arrived at the sandbox since {@code started} (those of a killed process may land later). */
    long upsertsSince(Instant started) {
        return sandbox.requests().stream().filter(r -> r.path().equals(UPSERT) && r.time().isAfter(started)).count();
    }

    /** The round's calls: when the first one and the first upsert came after the process started, and 429s. */
    String calls(Instant started) {
        List<LoggedRequest> round = sandbox.requests().stream()
                .filter(r -> r.time().isAfter(started)).toList();
        String first = round.isEmpty() ? "none" : Duration.between(started, round.getFirst().time()).toMillis() + " ms";
        String firstUpsert = round.stream().filter(r -> r.path().equals(UPSERT)).findFirst()
                .map(r -> Duration.between(started, r.time()).toMillis() + " ms").orElse("none");
        long throttled = round.stream().filter(r -> r.status() == 429).count();
        return "first call " + first + ", first upsert " + firstUpsert + ", " + throttled + " 429s";
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
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar",
                ebbJar().toString()));
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
            this.random = random;
            for (next = 1; next <= INITIAL_ROWS; next++) add(newRow(next));
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
