package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.sandbox.LoggedRequest;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code ebb serve} processes (workers) on one real PostgreSQL state store and one HubSpot sandbox: the
 * schedule is shared (each tick fires on one worker), and a worker killed with SIGKILL in the middle of a run loses
 * its lease (its sync's advisory lock goes with its connection), so the other worker finishes the run, sending no
 * batch twice beyond the one in flight.
 */
class WorkersEndToEndTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    static final String TOKEN = "workers-token";
    static final String SYNC = "churn_to_hubspot";
    static final String UPSERTS = "/crm/v3/objects/contacts/batch/upsert";
    static final String WORKER = "ebb-worker-";
    static final Pattern SERVING = Pattern.compile("Ebb serves project \\S+ on (http://localhost:\\d+)");
    static final HttpClient HTTP = HttpClient.newHttpClient();

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
        // One logging provider (logback), the libraries at WARN: no DEBUG lines from Jetty, Quartz or the pool.
        assertThat(output("a") + output("b")).doesNotContain(" DEBUG ").doesNotContain("SLF4J");
    }

    @Test
    void aWorkerKilledMidRunLosesItsLeaseAndTheOtherFinishesTheRun() throws Exception {
        // 10 calls per 10 s at the sandbox, 9 of them Ebb's: 20 batches of 100 take about 20 s; both workers start
        // together, so the run is still going when the second one is ready.
        start(10, "5%");
        int rows = 2_000;
        List<ChurnCsv.Row> model = writeModel(rows);
        schedule("{ every: 2s }");
        Process a = startWorker("a");
        Process b = startWorker("b");
        awaitServing(a, "a");
        awaitServing(b, "b");
        // The second batch is sent only once the first is committed (one call at a time).
        await(Duration.ofSeconds(90), () -> upserts(Instant.MIN) >= 2, "a worker's run to commit a batch");
        String owner = runOwner();
        assertThat(owner).as("the worker holding the run; a: %s; b: %s", output("a"), output("b")).isNotNull();
        Process holder = owner.equals("a") ? a : b;
        String other = owner.equals("a") ? "b" : "a";
        Instant killed = Instant.now();
        holder.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to PostgreSQL
        holder.waitFor();
        long before = upserts(Instant.MIN);
        assertThat(before).as("the kill landed mid-run: %s", output(owner)).isLessThan(20);

        await(Duration.ofSeconds(120), () -> statuses().contains("succeeded"), "worker " + other
                + " to finish the run");

        ChurnCsv.assertSandboxHolds(sandbox, model);
        List<String> statuses = statuses();
        assertThat(statuses.getLast()).as("the killed run, closed by the worker that took it over: %s",
                output(other)).isEqualTo("abandoned");
        // Every batch once, plus at most the one in flight when the worker died (one call at a time).
        long upserts = upserts(Instant.MIN);
        assertThat(upserts).as("upsert calls: %d before the kill at %s; all at %s; runs %s; %s: %s", before, killed,
                upsertTimes(), statuses(), other, output(other)).isBetween(20L, 21L);
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

    /**
     * {@code ebb serve} in a JVM of its own, on a port it picks, sweeping for abandoned runs every second. Each worker
     * has its own copy of the project, the same but for the name its PostgreSQL connections give themselves, so the
     * test can tell which worker holds a run.
     */
    Process startWorker(String name) throws IOException {
        Path own = copy(project, scratch.resolve("worker-" + name).resolve(project.getFileName().toString()));
        Path ebbYaml = own.resolve("ebb.yaml");
        Files.writeString(ebbYaml, Files.readString(ebbYaml)
                .replace("/postgres\"", "/postgres?ApplicationName=" + WORKER + name + "\""));
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + scratch.resolve("tmp"), "-jar", CrashRecoveryEndToEndTest.ebbJar().toString(),
                "serve", "-p", own.toString(), "--port", "0", "--recovery-sweep", "1s");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(scratch.resolve(name + ".out").toFile())
                .redirectError(scratch.resolve(name + ".err").toFile());
        builder.environment().put("HUBSPOT_TOKEN", TOKEN);
        builder.environment().put("HUBSPOT_BASE_URL", sandbox.baseUrl());
        Process worker = builder.start();
        workers.add(worker);
        return worker;
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) Files.createDirectories(target);
                else Files.copy(file, target);
            }
        }
        return to;
    }

    /** Waits until the worker prints where it serves and its {@code /ready} answers 200. */
    void awaitServing(Process worker, String name) throws Exception {
        await(Duration.ofSeconds(120), () -> {
            assertThat(worker.isAlive()).as("worker %s: %s", name, output(name)).isTrue();
            Matcher url = SERVING.matcher(output(name));
            return url.find() && ready(url.group(1));
        }, "worker " + name + " to be ready");
    }

    static boolean ready(String url) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/ready"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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

    /** The worker ({@code a} or {@code b}) whose connection holds the running run, or null while none does. */
    String runOwner() {
        List<String> owners = query("SELECT a.application_name FROM " + schema + ".runs r JOIN pg_stat_activity a"
                + " ON a.pid = r.owner_pid WHERE r.status = 'running'", rs -> rs.getString(1));
        return owners.stream().filter(n -> n.startsWith(WORKER)).map(n -> n.substring(WORKER.length()))
                .findFirst().orElse(null);
    }

    /** The runs' statuses as recorded, newest first. */
    List<String> statuses() {
        return query("SELECT status FROM " + schema + ".runs ORDER BY run_id DESC", rs -> rs.getString(1));
    }

    long upserts(Instant since) {
        return sandbox.requests().stream().filter(r -> r.path().equals(UPSERTS) && r.status() == 200
                && r.time().isAfter(since)).count();
    }

    List<Instant> upsertTimes() {
        return sandbox.requests().stream().filter(r -> r.path().equals(UPSERTS) && r.status() == 200)
                .map(LoggedRequest::time).toList();
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
