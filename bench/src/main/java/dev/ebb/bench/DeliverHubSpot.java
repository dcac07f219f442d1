package dev.ebb.bench;

import dev.ebb.core.config.ConnectorCatalog;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.ProjectLoader;
import dev.ebb.core.delivery.RateBudgets;
import dev.ebb.core.delivery.RetryPolicy;
import dev.ebb.core.delivery.Waiter;
import dev.ebb.core.plan.CatalogConnectors;
import dev.ebb.core.run.Progress;
import dev.ebb.core.run.RunReport;
import dev.ebb.core.run.SyncEngine;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.StateStore;
import dev.ebb.sandbox.LoggedRequest;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotRecord;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import dev.ebb.sandbox.hubspot.HubSpotTier;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * {@code deliver-hubspot}: how close Ebb gets to a HubSpot account's rate limit when it delivers a large plan, and
 * whether it stays inside it.
 *
 * <p>Every scenario is a fresh project (as a user writes it: {@code ebb.yaml}, a model, a sync; loaded and run through
 * the same classes as {@code ebb run}, with the real HubSpot connector over HTTP) and a fresh in-process HubSpot
 * sandbox with Professional limits: 190 requests per rolling 10 s, 100 inputs per batch; its daily limit is raised
 * so that it never interferes. A fresh snapshot means every row is added: {@code rows / 100} upsert calls.
 *
 * <ol>
 *   <li><b>own</b>: Ebb owns the budget. The ceiling is 190 calls × 100 records per 10 s = 1,900 records/s.</li>
 *   <li><b>neighbour</b>: another integration on the same token makes 57 calls per 10 s (30%), evenly spaced, from
 *       a window before Ebb starts until it ends. The ceiling is what remains: 133 calls per 10 s, 1,330
 *       records/s.</li>
 *   <li><b>shared</b>: two syncs to the same account, each of half the rows, run at once in one process (one
 *       engine, one budget per account, as {@code ebb serve} or two threads of one CLI process would). Their
 *       calls together must stay inside the one budget.</li>
 *   <li><b>workers</b>: the same two syncs run by two workers, each with its own engine and state store, sharing
 *       the account's budget only through a rate ledger in one PostgreSQL ({@link TwoWorkers}), as two
 *       {@code ebb serve} processes on one PostgreSQL state store do.</li>
 *   <li><b>neighbour-share</b> (only when asked for): the neighbour again, with Ebb's destination told to leave it
 *       room ({@code limits: { share: 70% }}), for comparison with learning it from the vendor's answers.</li>
 * </ol>
 *
 * <p>Per scenario it prints the delivery's time (from the first write to the end; the plan before it is timed apart),
 * the records per second it achieved and the ratio to the ceiling, the 429s Ebb received (from the sandbox's request
 * log), Ebb's calls, the most calls the sandbox received in any 10-second window, and the rows lost (model rows whose
 * contact is missing or holds other values). The ratio can slightly exceed 1 on short runs: a rolling window lets
 * the first 190 calls go at once.
 */
final class DeliverHubSpot implements Benchmark {
    static final HubSpotTier TIER = HubSpotTier.PROFESSIONAL;
    static final int BATCH = 100;
    static final Duration WINDOW = HubSpotTier.WINDOW;
    static final String TOKEN = "bench-token";
    static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    static final String DESCRIBE = "/crm/v3/properties/contacts";
    /** The neighbour's call: one property definition, cheap for the sandbox at any record count. */
    static final String NEIGHBOUR_PATH = "/crm/v3/properties/contacts/email";

    @Override
    public String name() {
        return "deliver-hubspot";
    }

    @Override
    public String description() {
        return "200,000 added rows into a HubSpot sandbox with Professional limits: records/s vs 1,900, 429s; "
                + "alone, beside a neighbour using 30%, as two syncs at once, and as two workers";
    }

    @Override
    public Result run(String[] args, Consumer<String> progress) throws Exception {
        Options options = Options.parse(args);
        Path work = options.work != null ? Files.createDirectories(options.work)
                : Files.createTempDirectory("ebb-bench-deliver-hubspot");
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rows", options.rows);
        figures.put("limit_per_10s", TIER.perTenSeconds());
        figures.put("batch", BATCH);
        figures.put("ceiling_records_per_s", ceiling(TIER.perTenSeconds()));
        boolean ok = true;
        Map<String, Boolean> targets = new LinkedHashMap<>();
        try {
            for (String scenario : options.scenarios) {
                Map<String, Object> f = switch (scenario) {
                    case "own" -> own(work.resolve("own"), options.rows, progress);
                    case "neighbour" -> neighbour(work.resolve("neighbour"), options.rows, null, progress);
                    case "neighbour-share" -> neighbour(work.resolve("neighbour-share"), options.rows, "70%",
                            progress);
                    case "shared" -> shared(work.resolve("shared"), options.rows, progress);
                    case "workers" -> TwoWorkers.run(work.resolve("workers"), options.rows, progress);
                    default -> throw new IllegalStateException(scenario);
                };
                figures.put(scenario, f);
                ok &= (long) f.get("rows_lost") == 0 && (long) f.get("failed") == 0;
                switch (scenario) {
                    case "own" -> targets.put("own: ratio >= 0.95 and no 429",
                            (double) f.get("ratio") >= 0.95 && (long) f.get("ebb_429s") == 0);
                    case "neighbour", "neighbour-share" -> targets.put(scenario
                                    + ": ratio to what remains >= 0.90, no row lost",
                            (double) f.get("ratio_to_remaining") >= 0.90 && (long) f.get("rows_lost") == 0);
                    case "shared" -> targets.put("shared: at most 190 calls in any 10 s",
                            (long) f.get("max_calls_in_10s") <= TIER.perTenSeconds());
                    case "workers" -> targets.put("workers: at most 190 calls in any 10 s across both",
                            (long) f.get("max_calls_in_10s") <= TIER.perTenSeconds());
                    default -> throw new IllegalStateException(scenario);
                }
            }
            figures.put("targets", targets);
            figures.put("java", Runtime.version().toString());
            figures.put("cores", Runtime.getRuntime().availableProcessors());
            if (!ok) progress.accept("CHECK FAILED: every row must be delivered, none lost");
            return new Result(ok, figures);
        } finally {
            if (options.work == null) Benchmark.deleteTree(work);
        }
    }

    // ---- scenarios ----------------------------------------------------------------------------------------------

    private Map<String, Object> own(Path dir, long rows, Consumer<String> progress) throws Exception {
        progress.accept(String.format(Locale.ROOT, "own: %,d rows, Ebb alone on the account", rows));
        try (HubSpotSandbox sandbox = sandbox();
             HubSpotProject project = HubSpotProject.write(dir, sandbox, Map.of("contacts", new long[]{0, rows}),
                     null)) {
            Instant start = Instant.now();
            RunRecord run = project.run("contacts", progress, start);
            Duration took = Duration.between(start, Instant.now());
            Map<String, Object> f = figures(run.delivered(), took, TIER.perTenSeconds(), sandbox, start);
            f.put("failed", run.failed());
            f.put("throttles_counted", run.throttles());
            f.put("rows_lost", lost(sandbox, project.models.values(), rows));
            report("own", f, progress);
            return f;
        }
    }

    /**
     * @param ebbShare the {@code limits: { share: … }} the destination entry gives Ebb, or {@code null} for none (Ebb
     *                 then learns of the neighbour only from the vendor's answers)
     */
    private Map<String, Object> neighbour(Path dir, long rows, String ebbShare, Consumer<String> progress)
            throws Exception {
        String scenario = ebbShare == null ? "neighbour" : "neighbour-share";
        int share = (int) Math.round(TIER.perTenSeconds() * 0.3);
        int remaining = TIER.perTenSeconds() - share;
        progress.accept(String.format(Locale.ROOT, "%s: %,d rows, beside %d calls per 10 s on the same token "
                + "(first a window of the neighbour alone)%s", scenario, rows, share,
                ebbShare == null ? "" : "; Ebb's destination has limits: { share: " + ebbShare + " }"));
        try (HubSpotSandbox sandbox = sandbox();
             HubSpotProject project = HubSpotProject.write(dir, sandbox, Map.of("contacts", new long[]{0, rows}),
                     ebbShare);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            AtomicLong calls = new AtomicLong();
            AtomicLong throttled = new AtomicLong();
            HttpRequest read = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + NEIGHBOUR_PATH))
                    .header("Authorization", "Bearer " + TOKEN).build();
            ScheduledExecutorService neighbour = Executors.newSingleThreadScheduledExecutor();
            long every = WINDOW.toNanos() / share;
            neighbour.scheduleAtFixedRate(() -> {
                try {
                    int status = http.send(read, HttpResponse.BodyHandlers.discarding()).statusCode();
                    calls.incrementAndGet();
                    if (status == 429) throttled.incrementAndGet();
                } catch (IOException e) {
                    calls.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, 0, every, TimeUnit.NANOSECONDS);
            try {
                Thread.sleep(WINDOW.toMillis());
                Instant start = Instant.now();
                RunRecord run = project.run("contacts", progress, start);
                Duration took = Duration.between(start, Instant.now());
                Map<String, Object> f = figures(run.delivered(), took, TIER.perTenSeconds(), sandbox, start);
                double rate = (double) f.get("records_per_s");
                f.put("neighbour_calls_per_10s", share);
                f.put("remaining_records_per_s", ceiling(remaining));
                f.put("ratio_to_remaining", round(rate / ceiling(remaining)));
                f.put("neighbour_calls", calls.get());
                f.put("neighbour_429s", throttled.get());
                f.put("failed", run.failed());
                f.put("throttles_counted", run.throttles());
                f.put("rows_lost", lost(sandbox, project.models.values(), rows));
                report(scenario, f, progress);
                progress.accept(String.format(Locale.ROOT, "  ratio to the %,d records/s that remain: %.3f; the "
                        + "neighbour made %,d calls, %,d of them throttled", ceiling(remaining),
                        (double) f.get("ratio_to_remaining"), calls.get(), throttled.get()));
                return f;
            } finally {
                neighbour.shutdownNow();
                neighbour.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    private Map<String, Object> shared(Path dir, long rows, Consumer<String> progress) throws Exception {
        long half = rows / 2;
        progress.accept(String.format(Locale.ROOT, "shared: two syncs of %,d and %,d rows to the same account at once",
                half, rows - half));
        try (HubSpotSandbox sandbox = sandbox();
             HubSpotProject project = HubSpotProject.write(dir, sandbox, Map.of("contacts_a", new long[]{0, half},
                     "contacts_b", new long[]{half, rows}), null)) {
            Map<String, Object> f = atOnce(sandbox, "per_sync_s", start -> project.run("contacts_a", progress, start),
                    start -> project.run("contacts_b", line -> { }, start));
            f.put("rows_lost", lost(sandbox, project.models.values(), rows));
            report("shared", f, progress);
            return f;
        }
    }

    /** One run of a sync that starts at the instant it is given. */
    @FunctionalInterface
    interface Run {
        RunRecord from(Instant start) throws Exception;
    }

    /**
     * Runs {@code a} and {@code b} at once, and returns the figures of both together, with each one's own run time
     * under {@code perRun}.
     */
    static Map<String, Object> atOnce(HubSpotSandbox sandbox, String perRun, Run a, Run b) throws Exception {
        Instant start = Instant.now();
        List<RunRecord> runs = new ArrayList<>();
        try (ExecutorService both = Executors.newFixedThreadPool(2)) {
            Future<RunRecord> first = both.submit(() -> a.from(start));
            Future<RunRecord> second = both.submit(() -> b.from(start));
            runs.add(first.get());
            runs.add(second.get());
        }
        Duration took = Duration.between(start, Instant.now());
        long delivered = runs.stream().mapToLong(RunRecord::delivered).sum();
        Map<String, Object> f = figures(delivered, took, TIER.perTenSeconds(), sandbox, start);
        f.put("failed", runs.stream().mapToLong(RunRecord::failed).sum());
        f.put("throttles_counted", runs.stream().mapToLong(RunRecord::throttles).sum());
        f.put(perRun, runs.stream().map(r -> round(Duration.between(r.startedAt(), r.finishedAt())
                .toMillis() / 1000.0)).toList());
        return f;
    }

    // ---- measuring ----------------------------------------------------------------------------------------------

    /**
     * Records per second and the ratio to the ceiling, over the delivery: from the first upsert the sandbox received
     * to the end of the run (the plan before it is {@code plan-1m}'s subject, and is shown apart as {@code plan_s});
     * and what the sandbox saw of Ebb since {@code start}.
     */
    static Map<String, Object> figures(long delivered, Duration took, int perWindow, HubSpotSandbox sandbox,
                                               Instant start) {
        Instant end = start.plus(took);
        List<LoggedRequest> log = sandbox.requests().stream().filter(r -> !r.time().isBefore(start)).toList();
        List<LoggedRequest> ebb = log.stream().filter(r -> !r.path().equals(NEIGHBOUR_PATH)).toList();
        Instant firstWrite = ebb.stream().filter(r -> r.path().equals(UPSERT)).map(LoggedRequest::time).min(
                Instant::compareTo).orElse(start);
        // Windows that straddle the start hold the neighbour's calls from before it.
        List<Instant> windowed = sandbox.requests().stream().map(LoggedRequest::time)
                .filter(t -> t.isAfter(start.minus(WINDOW))).toList();
        double seconds = took.toMillis() / 1000.0;
        double delivering = Duration.between(firstWrite, end).toMillis() / 1000.0;
        double rate = delivered / delivering;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("elapsed_s", round(seconds));
        f.put("plan_s", round(seconds - delivering));
        f.put("deliver_s", round(delivering));
        f.put("delivered", delivered);
        f.put("records_per_s", round(rate));
        f.put("ratio", round(rate / ceiling(perWindow)));
        f.put("end_to_end_records_per_s", round(delivered / seconds));
        f.put("ebb_429s", ebb.stream().filter(r -> r.status() == 429).count());
        // When they came, in seconds from the first write: at the start, steadily, or in bursts.
        f.put("ebb_429s_at_s", ebb.stream().filter(r -> r.status() == 429)
                .map(r -> round(Duration.between(firstWrite, r.time()).toMillis() / 1000.0)).toList());
        f.put("ebb_calls", (long) ebb.size());
        f.put("max_calls_in_10s", maxInWindow(windowed));
        f.put("max_ebb_calls_in_10s", maxInWindow(ebb.stream().map(LoggedRequest::time).toList()));
        f.put("statuses", statuses(log));
        return f;
    }

    static void report(String scenario, Map<String, Object> f, Consumer<String> progress) {
        progress.accept(String.format(Locale.ROOT, "  %s: %,d rows delivered in %.1f s (after a %.1f s plan) = %,.0f "
                        + "records/s, ratio %.3f to %,d; 429s %d; calls %,d; most calls in 10 s %d; rows lost %d",
                scenario, (long) f.get("delivered"), (double) f.get("deliver_s"), (double) f.get("plan_s"),
                (double) f.get("records_per_s"), (double) f.get("ratio"), ceiling(TIER.perTenSeconds()),
                (long) f.get("ebb_429s"), (long) f.get("ebb_calls"), (long) f.get("max_calls_in_10s"),
                (long) f.get("rows_lost")));
    }

    /** The most requests whose arrival falls in any window (t - 10 s, t], as the sandbox's limiter counts them. */
    static long maxInWindow(List<Instant> times) {
        List<Instant> sorted = times.stream().sorted().toList();
        long max = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (!sorted.get(from).isAfter(sorted.get(to).minus(WINDOW))) from++;
            max = Math.max(max, to - from + 1);
        }
        return max;
    }

    private static Map<String, Long> statuses(List<LoggedRequest> log) {
        Map<String, Long> byStatus = new java.util.TreeMap<>();
        for (LoggedRequest r : log) byStatus.merge(String.valueOf(r.status()), 1L, Long::sum);
        return byStatus;
    }

    /**
     * Model rows whose contact is missing or holds other values than the model's: the model is queried again in
     * DuckDB and compared field by field with the sandbox's records.
     */
    static long lost(HubSpotSandbox sandbox, java.util.Collection<String> models, long rows) throws Exception {
        Map<String, HubSpotRecord> contacts = new HashMap<>();
        for (HubSpotRecord r : sandbox.records("contacts")) contacts.put(r.property("email").orElse(""), r);
        long lost = 0;
        long seen = 0;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = c.createStatement()) {
            for (String sql : models) {
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        seen++;
                        HubSpotRecord r = contacts.get(rs.getString("email"));
                        BigDecimal score = rs.getBigDecimal("score");
                        boolean same = r != null
                                && r.property("firstname").orElse("").equals(rs.getString("first_name"))
                                && r.property("lastname").orElse("").equals(rs.getString("last_name"))
                                && r.property("churn_risk_score").map(BigDecimal::new)
                                        .map(v -> v.compareTo(score) == 0).orElse(false);
                        if (!same) lost++;
                    }
                }
            }
        }
        if (seen != rows) throw new IllegalStateException("the models hold " + seen + " rows, meant " + rows);
        if (contacts.size() != rows) lost += Math.abs(contacts.size() - rows);
        return lost;
    }

    static HubSpotSandbox sandbox() throws IOException {
        HubSpotSandbox sandbox = HubSpotSandbox.builder().tokens(TOKEN).tier(TIER)
                // The daily limit must not be what the benchmark measures.
                .daily(100_000_000L)
                .property("contacts", HubSpotProperty.of("churn_risk_score", "number"))
                .build();
        sandbox.start();
        return sandbox;
    }

    static long ceiling(int callsPerWindow) {
        return callsPerWindow * (long) BATCH * 1000 / WINDOW.toMillis();
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** {@code --rows N --scenarios own,neighbour,shared[,neighbour-share] --work DIR}. */
    private record Options(long rows, List<String> scenarios, Path work) {
        static Options parse(String[] args) {
            long rows = 200_000;
            List<String> scenarios = List.of("own", "neighbour", "shared", "workers");
            Path work = null;
            for (Map.Entry<String, String> given : Benchmark.options(args)) {
                String option = given.getKey();
                String value = given.getValue();
                switch (option) {
                    case "--rows" -> {
                        try {
                            rows = Long.parseLong(value.replace("_", "").replace(",", ""));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--rows takes a whole number, not '" + value + "'");
                        }
                    }
                    case "--scenarios" -> scenarios = List.of(value.split(","));
                    case "--work" -> work = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + option
                            + "; options: --rows N, --scenarios own,neighbour,shared,workers,neighbour-share, --work DIR");
                }
            }
            if (rows < 2 * BATCH) throw new IllegalArgumentException("--rows must be at least " + 2 * BATCH);
            for (String s : scenarios) {
                if (!List.of("own", "neighbour", "shared", "workers", "neighbour-share").contains(s)) {
                    throw new IllegalArgumentException("unknown scenario '" + s
                            + "'; use own, neighbour, shared, workers, neighbour-share");
                }
            }
            return new Options(rows, scenarios, work);
        }
    }
}
