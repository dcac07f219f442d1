package dev.ebb.bench;

import dev.ebb.connector.duckdb.DuckDbConnector;
import dev.ebb.core.config.FieldMapping;
import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.config.Guard;
import dev.ebb.core.config.Location;
import dev.ebb.core.config.Match;
import dev.ebb.core.config.ModelConfig;
import dev.ebb.core.config.NullPolicy;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.Schedule;
import dev.ebb.core.config.StateConfig;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.delivery.RateBudgets;
import dev.ebb.core.delivery.RetryPolicy;
import dev.ebb.core.delivery.Waiter;
import dev.ebb.core.plan.Connectors;
import dev.ebb.core.plan.PlanReport;
import dev.ebb.core.run.Progress;
import dev.ebb.core.run.RunReport;
import dev.ebb.core.run.SyncEngine;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.StateStore;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.Destination;
import dev.ebb.spi.Mode;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * {@code plan-1m}: how long Ebb takes to find 0.1% of changed rows in a million, against a plain DuckDB diff of the
 * same data in the same process.
 *
 * <ol>
 *   <li>Generate a customer-health model (1,000,000 rows: e-mail, churn score, lifetime value, plan, …) in a DuckDB
 *       file.</li>
 *   <li>Run a full sync into a destination that accepts everything, so the snapshot holds every row.</li>
 *   <li>Keep a copy of the table, then change 1,000 rows' churn scores.</li>
 *   <li>Time {@link SyncEngine#plan} of the changed model (open, extract through the DuckDB source connector,
 *       fingerprint, diff against the snapshot): best of several runs.</li>
 *   <li>Time the baseline: a full outer join of the copy and the changed table in DuckDB, comparing every mapped
 *       column, materialising the differing rows: best of several runs.</li>
 * </ol>
 *
 * <p>The ratio is Ebb's time over the baseline's. The baseline is the floor a SQL-only diff with both versions in one
 * database can reach; Ebb additionally streams every row out of the source into the JVM, converts and fingerprints
 * it, and appends it to its own state store before joining, which is what lets it diff any source against a
 * snapshot that holds no values.
 */
final class PlanMillion implements Benchmark {
    private static final String SYNC = "customer_health_to_contacts";
    private static final List<String> MAPPED = List.of("churn_risk_score", "lifetime_value", "plan", "active",
            "renewal_date", "last_seen_at", "country", "seats");
    private static final String MODEL_SQL = "SELECT customer_email, " + String.join(", ", MAPPED) + " FROM customers";

    @Override
    public String name() {
        return "plan-1m";
    }

    @Override
    public String description() {
        return "plan of 1,000 changed rows in 1,000,000 (extract + fingerprint + diff) vs a DuckDB full outer join";
    }

    @Override
    public Result run(String[] args, Consumer<String> progress) throws Exception {
        Options options = Options.parse(args);
        Path work = options.work != null ? Files.createDirectories(options.work)
                : Files.createTempDirectory("ebb-bench-plan-1m");
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rows", options.rows);
        figures.put("changed_rows", options.changed);
        figures.put("repeat", options.repeat);
        try {
            return measure(options, work, progress, figures);
        } finally {
            if (options.work == null) deleteTree(work);
        }
    }

    private Result measure(Options options, Path work, Consumer<String> progress, Map<String, Object> figures)
            throws Exception {
        Path lake = work.resolve("lake.duckdb");
        Files.deleteIfExists(lake);
        Files.deleteIfExists(work.resolve("lake.duckdb.wal"));
        Path stateFile = work.resolve("state").resolve("state.duckdb");
        deleteTree(stateFile.getParent());

        progress.accept(String.format(Locale.ROOT, "generating %,d rows in %s", options.rows, lake.getFileName()));
        long t0 = System.nanoTime();
        generate(lake, options.rows);
        figures.put("generate_ms", millis(t0));

        AcceptingDestination destination = new AcceptingDestination();
        try (StateStore state = dev.ebb.core.state.duckdb.DuckDbStateStore.open(stateFile, dev.ebb.core.state.Access.READ_WRITE)) {
            SyncEngine engine = engine(work, options, state, destination);

            progress.accept("full sync into an accepting in-process destination");
            t0 = System.nanoTime();
            RunReport full = engine.run(SYNC, new Progress() {
                long shown;

                @Override
                public void delivered(long rows, long total, long calls, long throttles) {
                    if (rows - shown >= 250_000 || rows == total) {
                        shown = rows;
                        progress.accept(String.format(Locale.ROOT, "  delivered %,d of %,d rows in %,d calls",
                                rows, total, calls));
                    }
                }
            });
            figures.put("full_sync_ms", millis(t0));
            figures.put("full_sync_delivered", full.record().delivered());
            figures.put("full_sync_api_calls", full.record().apiCalls());

            progress.accept(String.format(Locale.ROOT, "changing %,d rows (%.2f%%)", options.changed,
                    100.0 * options.changed / options.rows));
            long changed = change(lake, options.rows, options.changed);
            if (changed != options.changed) {
                throw new IllegalStateException("changed " + changed + " rows, meant " + options.changed);
            }

            boolean residentReset = MemoryWatch.reset();
            List<Long> ebbRuns = new ArrayList<>();
            PlanCounts counts = null;
            for (int i = 0; i < options.repeat; i++) {
                t0 = System.nanoTime();
                PlanReport plan = engine.plan(SYNC, 3, Progress.NONE);
                ebbRuns.add(millis(t0));
                counts = plan.counts();
                if (i == 0) plan.warnings().forEach(w -> progress.accept("  warning: " + w));
                progress.accept(String.format(Locale.ROOT, "  ebb plan %d/%d: %,d ms (added %d, changed %d, "
                                + "removed %d, unchanged %,d)", i + 1, options.repeat, ebbRuns.getLast(),
                        counts.added(), counts.changed(), counts.removed(), counts.unchanged()));
            }
            long ebbHeap = MemoryWatch.heapPeakMib();
            Long ebbResident = MemoryWatch.residentPeakMib().stream().boxed().findFirst().orElse(null);

            MemoryWatch.reset();
            List<Long> baselineRuns = new ArrayList<>();
            Map<String, Long> baselineCounts = null;
            for (int i = 0; i < options.repeat; i++) {
                t0 = System.nanoTime();
                baselineCounts = baseline(lake, options.threads);
                baselineRuns.add(millis(t0));
                progress.accept(String.format(Locale.ROOT, "  duckdb full outer join %d/%d: %,d ms %s", i + 1,
                        options.repeat, baselineRuns.getLast(), baselineCounts));
            }
            Long baselineResident = MemoryWatch.residentPeakMib().stream().boxed().findFirst().orElse(null);

            long ebbBest = Collections.min(ebbRuns);
            long baselineBest = Collections.min(baselineRuns);
            double ratio = (double) ebbBest / Math.max(1, baselineBest);
            progress.accept(String.format(Locale.ROOT, "ebb plan %,d ms, baseline %,d ms: ratio %.1f", ebbBest,
                    baselineBest, ratio));

            figures.put("ratio", Math.round(ratio * 100) / 100.0);
            figures.put("ebb_plan_ms", ebbBest);
            figures.put("baseline_ms", baselineBest);
            figures.put("ebb_plan_runs_ms", ebbRuns);
            figures.put("baseline_runs_ms", baselineRuns);
            Map<String, Object> planned = new LinkedHashMap<>();
            planned.put("rows", counts.rows());
            planned.put("added", counts.added());
            planned.put("changed", counts.changed());
            planned.put("removed", counts.removed());
            planned.put("unchanged", counts.unchanged());
            planned.put("invalid", counts.invalid());
            figures.put("plan", planned);
            figures.put("baseline_counts", baselineCounts);
            figures.put("heap_peak_mb_plan", ebbHeap);
            figures.put("heap_max_mb", MemoryWatch.heapMaxMib());
            figures.put("rss_peak_mb_plan", ebbResident);
            figures.put("rss_peak_mb_baseline", baselineResident);
            figures.put("rss_peak_reset_per_phase", residentReset);
            figures.put("java", Runtime.version().toString());
            figures.put("cores", Runtime.getRuntime().availableProcessors());
            figures.put("duckdb_threads", options.threads == null ? "default" : options.threads);

            boolean ok = counts.changed() == options.changed && counts.added() == 0 && counts.removed() == 0
                    && counts.invalid() == 0 && baselineCounts.get("changed") == options.changed;
            if (!ok) progress.accept("CHECK FAILED: the plan must find exactly the changed rows, and nothing else");
            return new Result(ok, figures);
        }
    }

    /** The customer-health model: deterministic pseudo-random values from the row number. */
    private static void generate(Path lake, long rows) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake.toAbsolutePath());
             Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE customers AS
                    SELECT i AS id,
                           'customer' || lpad(i::VARCHAR, 8, '0') || '@example.com' AS customer_email,
                           ((hash(i) % 10000) / 10000.0)::DECIMAL(5,4) AS churn_risk_score,
                           ((hash(i * 7) % 50000000) / 100.0)::DECIMAL(12,2) AS lifetime_value,
                           (['free', 'starter', 'pro', 'enterprise'])[1 + (hash(i * 3) % 4)::INTEGER] AS plan,
                           hash(i * 5) % 10 <> 0 AS active,
                           DATE '2026-01-01' + (hash(i * 11) % 365)::INTEGER AS renewal_date,
                           TIMESTAMP '2025-01-01 00:00:00' + to_seconds((hash(i * 13) % 31536000)::BIGINT)
                               AS last_seen_at,
                           (['US', 'DE', 'FR', 'GB', 'BR', 'IN', 'JP'])[1 + (hash(i * 17) % 7)::INTEGER] AS country,
                           (1 + hash(i * 19) % 500)::INTEGER AS seats
                    FROM range(""" + rows + ") t(i)");
            st.execute("CHECKPOINT");
        }
    }

    /**
     * Keeps the table as it was ({@code customers_old}, the baseline's old side), then moves the churn score of
     * every (rows / changed)-th customer by a quarter. Returns the rows changed.
     */
    private static long change(Path lake, long rows, long changed) throws SQLException {
        long step = rows / changed;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake.toAbsolutePath());
             Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TABLE customers_old AS SELECT * FROM customers");
            int n = st.executeUpdate("""
                    UPDATE customers SET churn_risk_score = CASE WHEN churn_risk_score >= 0.5
                        THEN churn_risk_score - 0.25 ELSE churn_risk_score + 0.25 END
                    WHERE id % """ + step + " = " + (step / 2) + " AND id < " + step * changed);
            st.execute("CHECKPOINT");
            return n;
        }
    }

    /**
     * The baseline: both versions in one DuckDB database, a full outer join on the key comparing every mapped
     * column, the differing rows materialised (as Ebb's plan materialises its own), then counted.
     */
    private static Map<String, Long> baseline(Path lake, Integer threads) throws SQLException {
        StringBuilder differs = new StringBuilder();
        for (String column : MAPPED) {
            if (!differs.isEmpty()) differs.append(" OR ");
            differs.append("o.").append(column).append(" IS DISTINCT FROM n.").append(column);
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake.toAbsolutePath());
             Statement st = c.createStatement()) {
            if (threads != null) st.execute("SET threads = " + threads);
            st.execute("CREATE OR REPLACE TEMP TABLE diff AS "
                    + "SELECT coalesce(n.customer_email, o.customer_email) AS key, "
                    + "CASE WHEN o.customer_email IS NULL THEN 'added' WHEN n.customer_email IS NULL THEN 'removed' "
                    + "ELSE 'changed' END AS change, n.* "
                    + "FROM customers_old o FULL OUTER JOIN customers n ON o.customer_email = n.customer_email "
                    + "WHERE o.customer_email IS NULL OR n.customer_email IS NULL OR " + differs);
            Map<String, Long> counts = new TreeMap<>(Map.of("added", 0L, "changed", 0L, "removed", 0L));
            try (ResultSet rs = st.executeQuery("SELECT change, count(*) FROM diff GROUP BY change")) {
                while (rs.next()) counts.put(rs.getString(1), rs.getLong(2));
            }
            return counts;
        }
    }

    private static SyncEngine engine(Path work, Options options, StateStore state, Destination destination) {
        Location here = new Location(Path.of("bench", "plan-1m"), 0);
        List<FieldMapping> fields = new ArrayList<>();
        for (String column : MAPPED) {
            fields.add(new FieldMapping(column, null, column, FieldPolicy.OVERWRITE, NullPolicy.CLEAR, here));
        }
        SyncConfig sync = new SyncConfig(SYNC, "customer_health", List.of("customer_email"), "accepting",
                AcceptingDestination.OBJECT, Mode.UPSERT, RemovalBehaviour.IGNORE,
                new Match("customer_email", "email", here), fields, Schedule.MANUAL, here,
                // A full sync of a million rows is what the blast-radius guard exists to hold; here it is the setup.
                Guard.none(here));
        ModelConfig model = new ModelConfig("customer_health", MODEL_SQL, "lake", List.of(), here);
        ProjectConfig project = new ProjectConfig(work, "bench", StateConfig.embeddedDefault(), Map.of(), Map.of(),
                Map.of(model.name(), model), new TreeMap<>(Map.of(SYNC, sync)));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("path", "lake.duckdb");
        if (options.threads != null) settings.put("threads", options.threads.toString());
        Clock clock = Clock.systemUTC();
        Connectors connectors = new Connectors() {
            @Override
            public Source openSource(String name) throws SourceException {
                return new DuckDbConnector().open(new ConnectorContext(name, settings, work, clock));
            }

            @Override
            public Destination openDestination(String name) {
                return destination;
            }
        };
        return new SyncEngine(project, state, connectors, new RateBudgets(clock), RetryPolicy.DEFAULT, Waiter.SYSTEM,
                clock, RandomGenerator.of("L64X128MixRandom"));
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** {@code --rows N --changed K --repeat R --threads T --work DIR}. */
    private record Options(long rows, long changed, int repeat, Integer threads, Path work) {
        static Options parse(String[] args) {
            long rows = 1_000_000;
            long changed = 1_000;
            int repeat = 3;
            Integer threads = null;
            Path work = null;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (i + 1 >= args.length) throw new IllegalArgumentException(option + " needs a value");
                String value = args[++i];
                try {
                    switch (option) {
                        case "--rows" -> rows = Long.parseLong(value.replace("_", ""));
                        case "--changed" -> changed = Long.parseLong(value.replace("_", ""));
                        case "--repeat" -> repeat = Integer.parseInt(value);
                        case "--threads" -> threads = Integer.parseInt(value);
                        case "--work" -> work = Path.of(value);
                        default -> throw new IllegalArgumentException("unknown option " + option
                                + "; options: --rows N, --changed K, --repeat R, --threads T, --work DIR");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(option + " takes a whole number, not '" + value + "'");
                }
            }
            if (rows < 1 || changed < 1 || changed > rows || repeat < 1) {
                throw new IllegalArgumentException("need rows >= changed >= 1 and repeat >= 1");
            }
            return new Options(rows, changed, repeat, threads, work);
        }
    }
}
