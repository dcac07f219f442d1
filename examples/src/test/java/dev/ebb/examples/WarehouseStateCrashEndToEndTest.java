package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.hubspot.HubSpotRecord;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * Kills real {@code ebb run} processes with SIGKILL while batches are in flight, with the sync's snapshot kept in
 * the lakehouse ({@code state: { store: warehouse }} on a DuckDB file), then lets one run finish: the destination
 * must equal the model (nothing lost, no duplicate contact, no stale one), and each run must plan no more than what
 * the destination lacks plus the batches that were in flight when the run before it was killed (nothing sent twice
 * beyond them).
 *
 * <p>Each round changes the model ({@link CrashRecoveryEndToEndTest.Model}: flips, moves, joins, leaves, returns),
 * starts {@code java -jar cli/target/ebb.jar run}, and kills it a random 0 to 450 ms after one of its first three
 * writes was answered; the sandbox holds every write 300 ms. Seeded: {@code -Debb.crash.seed=N} replays a seed.
 */
class WarehouseStateCrashEndToEndTest {
    static final String TOKEN = "crash-token";
    static final String SYNC = "churn_to_hubspot";
    static final String WRITES = "/crm/v3/objects/contacts/batch/";
    static final Duration HOLD = Duration.ofMillis(300);
    static final int ROUNDS = 3;
    static final int ROWS = 1_000;
    /** HubSpot's batch endpoints take 100 inputs (the sandbox's MAX_BATCH_INPUTS), and a run has 4 batches out. */
    static final int BATCH = HubSpotSandbox.MAX_BATCH_INPUTS;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path scratch;
    HubSpotSandbox sandbox;
    Path project;

    @BeforeEach
    void start() throws Exception {
        sandbox = ChurnCsv.sandbox(TOKEN, 400);
        sandbox.start();
        sandbox.inject(Fault.latency(HOLD, Integer.MAX_VALUE).onPath(WRITES));
        project = WarehouseStateEndToEndTest.warehouseProject(scratch);
        Path sync = project.resolve("syncs/" + SYNC + ".yaml");
        // mirror: customers who leave have their contacts deleted, so removals are deliveries too.
        Files.writeString(sync, Files.readString(sync).replace("mode: upsert", "mode: mirror")
                .replace("on_removed: ignore\n", "guard: {}\n"));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    /** One round: when its process ran, what the destination lacked when it started, and whether it was killed. */
    record Round(int number, Instant started, Instant ended, long needed, boolean killed) {
        boolean holds(Instant at) {
            return !at.isBefore(started) && !at.isAfter(ended);
        }
    }

    @Test
    void killedRunsLoseNothingAndResendOnlyTheBatchesInFlight() throws Exception {
        long seed = Long.getLong("ebb.crash.seed", System.nanoTime());
        System.out.println("WarehouseStateCrashEndToEndTest seed " + seed + " (replay with -Debb.crash.seed=" + seed
                + ")");
        Random random = new Random(seed);
        CrashRecoveryEndToEndTest.Model model = new CrashRecoveryEndToEndTest.Model(random, ROWS);
        List<Round> rounds = new ArrayList<>();
        int killed = 0;
        for (int round = 1; round <= ROUNDS + 1; round++) {
            boolean last = round > ROUNDS;
            if (!last) model.mutate();
            model.write(project.resolve("data/customers.csv"));
            long needed = needed(model.rows());
            Instant started = Instant.now();
            Process child = startEbb("round-" + round);
            long inFlight = 0;
            boolean wasKilled = false;
            if (!last) {
                int writes = 1 + random.nextInt(3);
                Instant deadline = started.plusSeconds(120);
                while (child.isAlive() && writesSince(started) < writes && Instant.now().isBefore(deadline)) {
                    Thread.sleep(2);
                }
                child.waitFor(random.nextLong(450), TimeUnit.MILLISECONDS);
            }
            if (!last && child.isAlive()) {
                Instant kill = Instant.now();
                child.destroyForcibly();
                child.waitFor();
                killed++;
                wasKilled = true;
                // The writes in flight land (answered to nobody) before the next round looks at the destination.
                Thread.sleep(HOLD.toMillis() + 100);
                inFlight = sandbox.requests().stream().filter(r -> r.path().startsWith(WRITES)
                        && !r.time().isAfter(kill) && r.time().isAfter(kill.minus(HOLD).minusMillis(100))).count();
            } else {
                assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("round %d finishes", round).isTrue();
                assertThat(child.exitValue()).as(output("round-" + round)).isZero();
            }
            rounds.add(new Round(round, started, Instant.now(), needed, wasKilled));
            System.out.println("round " + round + ": " + model.size() + " rows, destination lacked " + needed
                    + (wasKilled ? ", killed with " + inFlight + " writes in flight" : ", finished"));
        }

        // Converged: every row with its values, one contact per email, none of a customer who left.
        Map<String, HubSpotRecord> contacts = ChurnCsv.assertSandboxHolds(sandbox, model.rows());
        Set<String> expected = new HashSet<>();
        model.rows().forEach(r -> expected.add(r.email().toLowerCase(Locale.ROOT)));
        assertThat(contacts.keySet()).as("contacts of customers who left").isSubsetOf(expected);
        assertThat(WarehouseStateEndToEndTest.warehouseSnapshot(project)).isEqualTo(model.size());

        List<JsonNode> log = runLog();
        long resent = 0;
        long previousUncommitted = 0;
        for (Round round : rounds) {
            JsonNode run = log.stream().filter(r -> round.holds(Instant.parse(r.get("started_at").asText())))
                    .findFirst().orElse(null);
            long writtenRows = BATCH * sandbox.requests().stream().filter(r -> r.path().startsWith(WRITES)
                    && round.holds(r.time())).count();
            if (run == null) {
                // Killed before its plan was recorded: whatever it wrote is uncommitted too.
                previousUncommitted += writtenRows;
                continue;
            }
            long planned = run.get("added").asLong() + run.get("changed").asLong() + run.get("removed").asLong();
            long beyond = planned - round.needed();
            // What the last killed run sent and never committed (its batches in flight), and one batch more: marked
            // in flight but not sent yet when it died, its rows are planned again even where the model went back.
            long allowed = previousUncommitted == 0 ? 0 : previousUncommitted + BATCH;
            assertThat(beyond).as("round %d planned %d, the destination lacked %d: only what the killed run before"
                    + " sent and never committed (%d rows) may be sent again; %s", round.number(), planned,
                    round.needed(), previousUncommitted, run).isLessThanOrEqualTo(allowed);
            assertThat(planned).as("round %d plans everything the destination lacks", round.number())
                    .isGreaterThanOrEqualTo(round.needed());
            resent += Math.max(0, beyond);
            System.out.println("round " + round.number() + ": " + run.get("status").asText() + ", planned " + planned
                    + " (destination lacked " + round.needed() + "), committed " + run.get("delivered").asLong()
                    + " of about " + writtenRows + " written");
            if (round.killed()) {
                assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("abandoned");
                previousUncommitted = Math.max(0, writtenRows - run.get("delivered").asLong());
            } else {
                assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("succeeded");
                previousUncommitted = 0;
            }
        }
        assertThat(log.getFirst().get("status").asText()).isEqualTo("succeeded");
        assertThat(killed).as("kills landed mid-run").isGreaterThanOrEqualTo(2);
        System.out.println("warehouse crash test: " + ROUNDS + " rounds, " + killed + " killed; lost 0, duplicates"
                + " 0, stale 0; " + resent + " rows sent again, all from batches a killed run sent and never committed");
    }

    /** What the destination lacks for the model: rows missing or with other values, and contacts of leavers. */
    long needed(List<ChurnCsv.Row> rows) {
        Map<String, HubSpotRecord> contacts = new HashMap<>();
        for (HubSpotRecord record : sandbox.records("contacts")) {
            contacts.put(record.property("email").orElseThrow().toLowerCase(Locale.ROOT), record);
        }
        long needed = 0;
        Set<String> inModel = new HashSet<>();
        for (ChurnCsv.Row row : rows) {
            String email = row.email().toLowerCase(Locale.ROOT);
            inModel.add(email);
            HubSpotRecord record = contacts.get(email);
            if (record == null || !record.property("firstname").orElse("").equals(row.firstName())
                    || !record.property("lastname").orElse("").equals(row.lastName())
                    || !sameNumber(record, "churn_risk_score", row.score())
                    || !sameNumber(record, "lifetime_value", row.lifetimeValue())
                    || !record.property("plan").orElse("").equals(row.plan())) {
                needed++;
            }
        }
        for (String email : contacts.keySet()) if (!inModel.contains(email)) needed++;
        return needed;
    }

    private static boolean sameNumber(HubSpotRecord record, String property, String value) {
        return record.property(property).map(v -> new BigDecimal(v).compareTo(new BigDecimal(value)) == 0)
                .orElse(false);
    }

    long writesSince(Instant started) {
        return sandbox.requests().stream().filter(r -> r.path().startsWith(WRITES) && r.time().isAfter(started))
                .count();
    }

    List<JsonNode> runLog() throws Exception {
        Process runs = startEbb("runs", "runs", "-p", project.toString(), SYNC, "--json", "--limit", "100");
        assertThat(runs.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(runs.exitValue()).as(output("runs")).isZero();
        List<JsonNode> log = new ArrayList<>();
        JSON.readTree(scratch.resolve("runs.out").toFile()).get("runs").forEach(log::add);
        return log;
    }

    Process startEbb(String name) throws IOException {
        return startEbb(name, "run", "-p", project.toString(), SYNC);
    }

    /** {@code java -jar ebb.jar <args>} with this JVM's java, its output to files named after {@code name}. */
    Process startEbb(String name, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar",
                CrashRecoveryEndToEndTest.ebbJar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(scratch.resolve(name + ".out").toFile())
                .redirectError(scratch.resolve(name + ".err").toFile());
        builder.environment().putAll(Map.of("HUBSPOT_TOKEN", TOKEN, "HUBSPOT_BASE_URL", sandbox.baseUrl()));
        return builder.start();
    }

    String output(String name) throws IOException {
        return "--- out\n" + Files.readString(scratch.resolve(name + ".out")) + "--- err\n"
                + Files.readString(scratch.resolve(name + ".err"));
    }
}
