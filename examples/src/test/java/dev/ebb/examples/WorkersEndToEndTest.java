package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.LoggedRequest;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code ebb serve} processes (workers) on one real PostgreSQL state store and one HubSpot sandbox: the
 * schedule is shared (each tick fires on one worker), and a worker killed with SIGKILL in the middle of a run loses
 * its lease (its sync's advisory lock goes with its connection), so the other worker finishes the run, sending no
 * batch twice beyond the one in flight.
 */
@Disabled("not green yet: on a loaded 2-core machine the second worker took longer to start than the first worker's"
        + " run lasted, and the once-per-tick check saw Quartz fire the sync's job 14 times without a run in the run"
        + " log; both need a look before this guards a merge (see the workers branch's report)")
class WorkersEndToEndTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    static final String TOKEN = "workers-token";
    static final String SYNC = "churn_to_hubspot";
    static final String UPSERTS = "/crm/v3/objects/contacts/batch/upsert";

    @TempDir
    Path scratch;

    HubSpotSandbox sandbox;
    Path project;
    String schema;
    final List<Process> workers = new ArrayList<>();

    /**
     * A sandbox allowing {@code perTenSeconds} calls per 10 s, and the churn example on a PostgreSQL state store of
     * its own (a fresh schema), its HubSpot destination told to use {@code share} of Professional's 190 calls.
     */
    void start(int perTenSeconds, String share) throws IOException {
        sandbox = ChurnCsv.sandbox(TOKEN, perTenSeconds);
        sandbox.start();
        project = ExamplesEndToEndTest.copyExample("hubspot-churn", scratch);
        schema = "workers_" + SCHEMAS.incrementAndGet();
        Path ebbYaml = project.resolve("ebb.yaml");
        Files.writeString(ebbYaml, Files.readString(ebbYaml)
                .replace("state: { store: embedded }", "state: { store: postgres, url: \"jdbc:postgresql://localhost:"
                        + POSTGRES.port() + "/postgres\", user: postgres, schema: " + schema + " }")
                .replace("    tier: professional\n", "    tier: professional\n"
                        + "    limits: { share: " + share + ", max_concurrency: 1 }\n"));
        Files.createDirectories(scratch.resolve("tmp"));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (Process worker : workers) {
            worker.destroyForcibly();
            worker.waitFor(10, TimeUnit.SECONDS);
        }
        if (sandbox != null) sandbox.close();
    }

    @Test
    void aScheduleFiresOncePerTickAcrossTwoWorkers() throws Exception {
        start(100, "50%");
        writeModel(20);
        schedule("{ every: 2s }");
        Process a = startWorker("a");
        Process b = startWorker("b");
        awaitServing(a, "a");
        awaitServing(b, "b");
        Instant from = Instant.now();
        Thread.sleep(11_000);
        Instant to = Instant.now();

        List<Instant> starts = runStarts().stream().filter(t -> t.isAfter(from) && t.isBefore(to)).toList();
        // 11 s of a 2 s schedule: 5 or 6 ticks; a tick fired on both workers would show as two runs at once.
        assertThat(starts).as("runs started in the window; a: %s; b: %s", output("a"), output("b"))
                .hasSizeBetween(4, 6);
        for (int i = 1; i < starts.size(); i++) {
            assertThat(Duration.between(starts.get(i - 1), starts.get(i))).as("runs %d and %d", i - 1, i)
                    .isGreaterThan(Duration.ofMillis(1_000));
        }
        assertThat(statuses()).as("every run's status").containsOnly("succeeded");
    }

    @Test
    void aWorkerKilledMidRunLosesItsLeaseAndTheOtherFinishesTheRun() throws Exception {
        // 10 calls per 10 s at the sandbox, 9 of them Ebb's: 30 batches of 100 take about 30 s, long enough for the
        // second worker to start on a busy machine while the first is still delivering.
        start(10, "5%");
        int rows = 3_000;
        List<ChurnCsv.Row> model = writeModel(rows);
        // Writes are held 300 ms each: the run is slow enough to be killed in the middle of it.
        sandbox.inject(Fault.latency(Duration.ofMillis(300), Integer.MAX_VALUE).onPath(UPSERTS));
        schedule("{ every: 2s }");
        Process a = startWorker("a");
        awaitServing(a, "a");
        await(Duration.ofSeconds(30), () -> upserts(Instant.MIN) >= 3, "worker a's run to write 3 batches");
        Process b = startWorker("b");
        awaitServing(b, "b");
        assertThat(a.isAlive()).isTrue();
        Instant killed = Instant.now();
        a.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to PostgreSQL
        a.waitFor();
        long before = upserts(Instant.MIN);
        assertThat(before).as("the kill landed mid-run: %s", output("a")).isLessThan(30);

        await(Duration.ofSeconds(60), () -> statuses().contains("succeeded"), "worker b to finish the run");

        ChurnCsv.assertSandboxHolds(sandbox, model);
        List<String> statuses = statuses();
        assertThat(statuses.getLast()).as("the killed run, closed by the worker that took it over")
                .isEqualTo("abandoned");
        // Every batch once, plus at most the one in flight when the worker died (one call at a time).
        long upserts = upserts(Instant.MIN);
        assertThat(upserts).as("upsert calls: %d before the kill at %s", before, killed).isBetween(30L, 31L);
        assertThat(maxCallsIn10s()).as("both workers together within the sandbox's 10 per 10 s")
                .isLessThanOrEqualTo(10);
        assertThat(sandbox.requests().stream().filter(r -> r.status() == 429).count()).isZero();
    }

    // ---- the project and the workers ---------------------------------------------------------------------------

    List<ChurnCsv.Row> writeModel(int rows) throws IOException {
        List<ChurnCsv.Row> model = new ArrayList<>();
        for (int i = 1; i <= rows; i++) {
            model.add(new ChurnCsv.Row("worker" + i + "@example.com", "First" + i, "Last" + i,
                    String.format(Locale.ROOT, "0.%04d", i % 10_000), i + ".50", "starter"));
        }
        ChurnCsv.write(project.resolve("data/customers.csv"), model);
        return model;
    }

    void schedule(String schedule) throws IOException {
        Path sync = project.resolve("syncs/" + SYNC + ".yaml");
        Files.writeString(sync, Files.readString(sync).replace("schedule: { every: 1h }", "schedule: " + schedule));
    }

    /** {@code ebb serve} in a JVM of its own, on a port it picks, sweeping for abandoned runs every second. */
    Process startWorker(String name) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + scratch.resolve("tmp"), "-jar", CrashRecoveryEndToEndTest.ebbJar().toString(),
                "serve", "-p", project.toString(), "--port", "0", "--recovery-sweep", "1s");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(scratch.resolve(name + ".out").toFile())
                .redirectError(scratch.resolve(name + ".err").toFile());
        builder.environment().put("HUBSPOT_TOKEN", TOKEN);
        builder.environment().put("HUBSPOT_BASE_URL", sandbox.baseUrl());
        Process worker = builder.start();
        workers.add(worker);
        return worker;
    }

    void awaitServing(Process worker, String name) throws Exception {
        await(Duration.ofSeconds(90), () -> {
            assertThat(worker.isAlive()).as("worker %s: %s", name, output(name)).isTrue();
            return output(name).contains("Ebb serves project");
        }, "worker " + name + " to serve");
    }

    static void await(Duration limit, BooleanSupplier done, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for " + what).isBefore(deadline);
            Thread.sleep(50);
        }
    }

    String output(String name) {
        try {
            return "--- out\n" + Files.readString(scratch.resolve(name + ".out")) + "--- err\n"
                    + Files.readString(scratch.resolve(name + ".err"));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    // ---- what the state store and the sandbox say --------------------------------------------------------------

    List<Instant> runStarts() {
        return query("SELECT started_at FROM " + schema + ".runs ORDER BY started_at", rs -> rs.getObject(1,
                java.time.OffsetDateTime.class).toInstant());
    }

    /** The runs' statuses as recorded, newest first. */
    List<String> statuses() {
        return query("SELECT status FROM " + schema + ".runs ORDER BY run_id DESC", rs -> rs.getString(1));
    }

    long upserts(Instant since) {
        return sandbox.requests().stream().filter(r -> r.path().equals(UPSERTS) && r.status() == 200
                && r.time().isAfter(since)).count();
    }

    long maxCallsIn10s() {
        List<Instant> times = sandbox.requests().stream().map(LoggedRequest::time).sorted().toList();
        long max = 0;
        int from = 0;
        for (int to = 0; to < times.size(); to++) {
            while (!times.get(from).isAfter(times.get(to).minusSeconds(10))) from++;
            max = Math.max(max, to - from + 1);
        }
        return max;
    }

    @FunctionalInterface
    interface Column<T> {
        T read(ResultSet rs) throws java.sql.SQLException;
    }

    <T> List<T> query(String sql, Column<T> column) {
        try (Connection c = POSTGRES.admin(EmbeddedPostgresExtension.DEFAULT_DATABASE);
             Statement st = c.createStatement()) {
            List<T> values = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) values.add(column.read(rs));
            }
            return values;
        } catch (java.sql.SQLException e) {
            // The schema appears when the first worker has migrated it.
            return List.of();
        }
    }
}
