package dev.ebb.bench;

import dev.ebb.core.config.ConnectionConfig;
import dev.ebb.core.config.ConnectorCatalog;
import dev.ebb.core.config.FieldMapping;
import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.config.Guard;
import dev.ebb.core.config.Location;
import dev.ebb.core.config.Match;
import dev.ebb.core.config.ModelConfig;
import dev.ebb.core.config.NullPolicy;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.Schedule;
import dev.ebb.core.config.SourceStateConfig;
import dev.ebb.core.config.StateConfig;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.delivery.RateBudgets;
import dev.ebb.core.delivery.RetryPolicy;
import dev.ebb.core.delivery.Waiter;
import dev.ebb.core.plan.CatalogConnectors;
import dev.ebb.core.plan.Connectors;
import dev.ebb.core.plan.PlanReport;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.run.Progress;
import dev.ebb.core.run.SyncEngine;
import dev.ebb.core.run.WarehouseRouting;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import dev.ebb.spi.Destination;
import dev.ebb.spi.Mode;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * One measurement of a plan benchmark: a project whose model lives in a {@link ModelLake}, its snapshot in the
 * project's embedded store or in the lake itself ({@code state: { store: warehouse }}), run as {@code ebb run} and
 * {@code ebb plan} would run it:
 *
 * <ol>
 *   <li>generate the model;</li>
 *   <li>seed the snapshot ({@link SnapshotSeed}): Ebb's own plan of the model against the empty snapshot, and each
 *       planned row's delivered outcome committed through {@link StateStore#commit} in large batches, as a full sync
 *       whose every batch the destination acknowledged commits them, but without a destination, its records and
 *       calls, or the in-flight marks that each commit settles; then check that the plan was every row added and
 *       that the snapshot holds every row;</li>
 *   <li>change 0.1% of the rows (keeping the old version for the baseline);</li>
 *   <li><b>measured:</b> {@link SyncEngine#plan} of the changed model, best of {@code repeat}, with the heap and
 *       resident peaks of this process (and the database server's, when it has its own processes);</li>
 *   <li><b>baseline:</b> the lake's own full outer join of the two versions, best of {@code repeat}.</li>
 * </ol>
 *
 * <p>Each step opens the project's state afresh and closes it, as separate commands do: a DuckDB file is opened
 * once per process in one mode, and the benchmark's own connections to the lake must not meet Ebb's. Not
 * thread-safe.
 */
final class PlanScenario {
    static final String SYNC = "customer_health_to_contacts";
    /** The warehouse-native state's schema in the lake. */
    static final String STATE_SCHEMA = "ebb_state";
    private static final String SOURCE = "lake";

    private final ModelLake lake;
    private final boolean warehouseState;
    private final Path root;
    private final Supplier<ServerWatch> server;
    private final int seedBatch;

    /**
     * @param root           the project's folder (emptied first): its embedded store, and a DuckDB lake's file
     * @param warehouseState whether the source keeps the sync's snapshot ({@code state: { store: warehouse }})
     * @param server         watches the lake's server during a phase; {@code null} for an in-process lake
     * @param seedBatch      rows per commit of the seed
     */
    PlanScenario(ModelLake lake, boolean warehouseState, Path root, Supplier<ServerWatch> server,
                 int seedBatch) {
        this.lake = lake;
        this.warehouseState = warehouseState;
        this.root = root;
        this.server = server;
        this.seedBatch = seedBatch;
    }

    /** The figures of one measurement, and whether its checks held. */
    record Measured(boolean ok, Map<String, Object> figures) {
    }

    Measured measure(long rows, long changed, int repeat, Consumer<String> progress) throws Exception {
        Files.createDirectories(root);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rows", rows);
        figures.put("changed_rows", changed);

        progress.accept(String.format(Locale.ROOT, "generating %,d rows in %s", rows, lake.engine()));
        long t0 = System.nanoTime();
        lake.generate(rows);
        figures.put("generate_ms", millis(t0));

        progress.accept(String.format(Locale.ROOT, "seeding the snapshot: Ebb's plan, committed as delivered in"
                + " batches of %,d", seedBatch));
        MemoryWatch.reset();
        t0 = System.nanoTime();
        SnapshotSeed.Seeded seed;
        long snapshot;
        try (Session session = open(new AcceptingDestination())) {
            seed = new SnapshotSeed(session.project, session.state, session.connectors, session.clock, seedBatch)
                    .seed(SYNC);
            snapshot = session.state.snapshotSize(SYNC);
        }
        figures.put("seed_ms", millis(t0));
        progress.accept(String.format(Locale.ROOT, "  seeded %,d rows in %,d ms (%,d commits)", snapshot,
                figures.get("seed_ms"), seed.commits()));
        figures.put("seed_batch_records", seedBatch);
        figures.put("seed_delivered", seed.committed());
        figures.put("seed_commits", seed.commits());
        figures.put("seed_api_calls", seed.apiCalls());
        figures.put("seed_heap_peak_mb", MemoryWatch.heapPeakMib());
        figures.put("seed_heap_live_peak_mb", boxed(MemoryWatch.liveHeapPeakMib()));
        figures.put("seed_snapshot_rows", snapshot);
        if (!seed.warnings().isEmpty()) figures.put("seed_warnings", seed.warnings());
        seed.warnings().forEach(w -> progress.accept("  seed warning: " + w));
        PlanCounts seedPlan = seed.counts();
        boolean seeded = seedPlan.added() == rows && seedPlan.invalid() == 0 && seed.committed() == rows
                && snapshot == rows;
        if (!seeded) {
            progress.accept("CHECK FAILED: the seed must plan every row as added and leave every row in the snapshot: "
                    + seedPlan + ", " + seed.committed() + " committed, " + snapshot + " in the snapshot");
        }

        progress.accept(String.format(Locale.ROOT, "changing %,d rows (%.2f%%)", changed, 100.0 * changed / rows));
        long actuallyChanged = lake.change(rows, changed);
        if (actuallyChanged != changed) {
            throw new IllegalStateException("changed " + actuallyChanged + " rows, meant " + changed);
        }

        List<Long> ebbRuns = new ArrayList<>();
        PlanCounts counts = null;
        List<String> warnings = List.of();
        boolean residentReset;
        long heapPeak;
        Long heapLive;
        Long resident;
        Map<String, Object> serverPlan;
        try (Session session = open(new AcceptingDestination())) {
            // Opens the warehouse-native state before the clock starts, as any command on the project has.
            session.state.snapshotSize(SYNC);
            residentReset = MemoryWatch.reset();
            ServerWatch watch = watch();
            for (int i = 0; i < repeat; i++) {
                t0 = System.nanoTime();
                PlanReport plan = session.engine.plan(SYNC, 3, Progress.NONE);
                ebbRuns.add(millis(t0));
                counts = plan.counts();
                if (i == 0) {
                    warnings = plan.warnings();
                    warnings.forEach(w -> progress.accept("  warning: " + w));
                }
                progress.accept(String.format(Locale.ROOT, "  ebb plan %d/%d: %,d ms (added %d, changed %d, "
                                + "removed %d, unchanged %,d, invalid %d)", i + 1, repeat, ebbRuns.getLast(),
                        counts.added(), counts.changed(), counts.removed(), counts.unchanged(), counts.invalid()));
            }
            heapPeak = MemoryWatch.heapPeakMib();
            heapLive = boxed(MemoryWatch.liveHeapPeakMib());
            resident = boxed(MemoryWatch.residentPeakMib());
            serverPlan = watch == null ? Map.of() : watch.stop();
        }

        MemoryWatch.reset();
        ServerWatch watch = watch();
        List<Long> baselineRuns = new ArrayList<>();
        Map<String, Long> baselineCounts = null;
        for (int i = 0; i < repeat; i++) {
            t0 = System.nanoTime();
            baselineCounts = lake.baseline();
            baselineRuns.add(millis(t0));
            progress.accept(String.format(Locale.ROOT, "  %s full outer join %d/%d: %,d ms %s", lake.engine(), i + 1,
                    repeat, baselineRuns.getLast(), baselineCounts));
        }
        Long baselineResident = boxed(MemoryWatch.residentPeakMib());
        Map<String, Object> serverBaseline = watch == null ? Map.of() : watch.stop();

        long ebbBest = Collections.min(ebbRuns);
        long baselineBest = Collections.min(baselineRuns);
        double ratio = (double) ebbBest / Math.max(1, baselineBest);
        progress.accept(String.format(Locale.ROOT, "ebb plan %,d ms, baseline %,d ms: ratio %.2f", ebbBest,
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
        figures.put("heap_peak_mb_plan", heapPeak);
        figures.put("heap_live_peak_mb_plan", heapLive);
        figures.put("heap_max_mb", MemoryWatch.heapMaxMib());
        figures.put("rss_peak_mb_plan", resident);
        figures.put("rss_peak_mb_baseline", baselineResident);
        figures.put("rss_peak_reset_per_phase", residentReset);
        serverPlan.forEach((name, value) -> figures.put("server_" + name + "_plan", value));
        serverBaseline.forEach((name, value) -> figures.put("server_" + name + "_baseline", value));
        figures.put("warnings", warnings);

        boolean ok = seeded && counts.changed() == changed && counts.added() == 0 && counts.removed() == 0
                && counts.invalid() == 0 && counts.unchanged() == rows - changed
                && baselineCounts.get("changed") == changed;
        if (!ok) progress.accept("CHECK FAILED: the plan must find exactly the changed rows, and nothing else");
        return new Measured(ok, figures);
    }

    private ServerWatch watch() throws Exception {
        return server == null ? null : server.get().start();
    }

    /** The project, its state (routed to the lake for the warehouse-native state) and an engine over them. */
    private Session open(Destination destination) throws Exception {
        Location here = new Location(Path.of("bench", "plan"), 0);
        List<FieldMapping> fields = new ArrayList<>();
        for (String column : ModelLake.MAPPED) {
            fields.add(new FieldMapping(column, null, column, FieldPolicy.OVERWRITE, NullPolicy.CLEAR, here));
        }
        SyncConfig sync = new SyncConfig(SYNC, "customer_health", List.of("customer_email"), "accepting",
                AcceptingDestination.OBJECT, Mode.UPSERT, RemovalBehaviour.IGNORE,
                new Match("customer_email", "email", here), fields, Schedule.MANUAL, here,
                // Seeding every row is what the blast-radius guard exists to hold; here it is the setup.
                Guard.none(here));
        ModelConfig model = new ModelConfig("customer_health", ModelLake.MODEL_SQL, SOURCE, List.of(), here);
        SourceStateConfig state = warehouseState
                ? new SourceStateConfig(SourceStateConfig.WAREHOUSE, STATE_SCHEMA, here) : null;
        ConnectionConfig source = new ConnectionConfig(SOURCE, lake.sourceType(), lake.sourceSettings(), here, null,
                state);
        ProjectConfig project = new ProjectConfig(root, "bench", StateConfig.embeddedDefault(),
                Map.of(SOURCE, source), Map.of(), Map.of(model.name(), model), new TreeMap<>(Map.of(SYNC, sync)));
        Clock clock = Clock.systemUTC();
        CatalogConnectors catalog = new CatalogConnectors(project, ConnectorCatalog.fromServiceLoader(), Map.of(),
                clock);
        Connectors connectors = new Connectors() {
            @Override
            public Source openSource(String name) throws SourceException, SyncException {
                return catalog.openSource(name);
            }

            @Override
            public Destination openDestination(String name) {
                return destination;
            }
        };
        StateStore store = DuckDbStateStore.open(root.resolve(project.state().path()), Access.READ_WRITE);
        WarehouseRouting.Wired wired = WarehouseRouting.wire(project, store, connectors);
        SyncEngine engine = new SyncEngine(project, wired.state(), wired.connectors(), new RateBudgets(clock),
                RetryPolicy.DEFAULT, Waiter.SYSTEM, clock, RandomGenerator.of("L64X128MixRandom"));
        return new Session(project, wired.state(), wired.connectors(), clock, engine);
    }

    private record Session(ProjectConfig project, StateStore state, Connectors connectors, Clock clock,
                           SyncEngine engine) implements AutoCloseable {
        @Override
        public void close() {
            state.close();
        }
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
