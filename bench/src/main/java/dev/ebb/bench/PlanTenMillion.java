package dev.ebb.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code plan-10m}: the plan of 0.1% changed rows at 1,000,000 and 10,000,000 rows (8 mapped columns), per scenario,
 * each as a ratio to that engine's own plain full-outer-join diff of the same data in the same run, with the heap and
 * resident peaks (run it under {@code -Xmx512m}: {@code BENCH_JAVA_OPTS=-Xmx512m bench/run plan-10m}). Each scenario
 * at each size is one {@link PlanScenario} on a fresh project and freshly generated data:
 *
 * <ul>
 *   <li>(a) a DuckDB source and the embedded store;</li>
 *   <li>(b) a DuckDB source that keeps its snapshot itself ({@code state: { store: warehouse }});</li>
 *   <li>(c) a PostgreSQL source and the embedded store;</li>
 *   <li>(d) a PostgreSQL source that keeps its snapshot itself.</li>
 * </ul>
 *
 * <p>(c) and (d) share one PostgreSQL server ({@link PostgresLake}), started for the run.
 *
 * <p>Options: {@code --scenarios a,b,c,d}, {@code --sizes 1000000,10000000} (rows per size; 0.1% of each is changed),
 * {@code --repeat R} (1), {@code --work DIR} (keep the projects and databases there instead of a temporary folder
 * that is deleted).
 */
final class PlanTenMillion implements Benchmark {
    /** The scenarios by letter: the figures' key, and what they run. */
    private enum Scenario {
        A("a_duckdb_source_embedded_store", false, false, 3.0),
        B("b_warehouse_native_duckdb", false, true, 1.5),
        C("c_postgres_source_embedded_store", true, false, 3.0),
        D("d_warehouse_native_postgres", true, true, 1.5);

        final String key;
        final boolean postgres;
        final boolean warehouseState;
        /** The target for the ratio. */
        final double target;

        Scenario(String key, boolean postgres, boolean warehouseState, double target) {
            this.key = key;
            this.postgres = postgres;
            this.warehouseState = warehouseState;
            this.target = target;
        }

        String letter() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Resident memory each scenario's plan must stay under, in MiB. */
    private static final long RESIDENT_TARGET_MB = 2048;

    @Override
    public String name() {
        return "plan-10m";
    }

    @Override
    public String description() {
        return "plan of 0.1% changed rows at 1M and 10M rows per scenario, each vs its engine's full outer join";
    }

    @Override
    public Result run(String[] args, Consumer<String> progress) throws Exception {
        Options options = Options.parse(args);
        Path work = options.work != null ? Files.createDirectories(options.work)
                : Files.createTempDirectory("ebb-bench-plan-10m");
        try {
            return measure(options, work, progress);
        } finally {
            if (options.work == null) Benchmark.deleteTree(work);
        }
    }

    private Result measure(Options options, Path work, Consumer<String> progress) throws Exception {
        boolean ok = true;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("sizes", options.sizes);
        figures.put("repeat", options.repeat);
        figures.put("java", Runtime.version().toString());
        figures.put("cores", Runtime.getRuntime().availableProcessors());
        figures.put("heap_max_mb", MemoryWatch.heapMaxMib());
        Map<String, Object> targets = new LinkedHashMap<>();
        PostgresLake postgres = null;
        try {
            for (Scenario scenario : options.scenarios) {
                if (scenario.postgres && postgres == null) {
                    progress.accept("starting PostgreSQL");
                    Benchmark.deleteTree(work.resolve("postgres"));
                    postgres = PostgresLake.start(work.resolve("postgres"));
                    figures.put("postgres", postgres.describe());
                }
                List<Map<String, Object>> sizes = new ArrayList<>();
                for (long rows : options.sizes) {
                    long changed = Math.max(1, rows / 1000);
                    progress.accept(String.format(Locale.ROOT, "(%s) %s: %,d rows", scenario.letter(),
                            scenario.key, rows));
                    Path root = work.resolve(scenario.letter() + "-" + rows);
                    Benchmark.deleteTree(root);
                    PostgresLake server = postgres;
                    PlanScenario measurement = scenario.postgres
                            ? new PlanScenario(server, scenario.warehouseState, root, server::watch,
                                    options.seedBatch)
                            : new PlanScenario(new DuckDbLake(root, null), scenario.warehouseState, root, null,
                                    options.seedBatch);
                    PlanScenario.Measured measured = measurement.measure(rows, changed, options.repeat,
                            line -> progress.accept("  " + line));
                    ok &= measured.ok();
                    sizes.add(measured.figures());
                    targets.put(scenario.letter() + "_" + rows, target(scenario, measured));
                    if (options.work == null) Benchmark.deleteTree(root);
                }
                figures.put(scenario.key, sizes);
            }
        } finally {
            if (postgres != null) postgres.close();
        }
        figures.put("targets", targets);
        return new Result(ok, figures);
    }

    /** Whether the targets held for one measurement: the ratio, and the plan's resident peak. */
    private static Map<String, Object> target(Scenario scenario, PlanScenario.Measured measured) {
        Map<String, Object> held = new LinkedHashMap<>();
        double ratio = ((Number) measured.figures().get("ratio")).doubleValue();
        held.put("ratio_at_most", scenario.target);
        held.put("ratio_held", ratio <= scenario.target);
        Object resident = measured.figures().get("rss_peak_mb_plan");
        held.put("rss_under_2gb", resident == null ? null : ((Number) resident).longValue() < RESIDENT_TARGET_MB);
        return held;
    }

    /** {@code --scenarios a,b,c,d --sizes N,M --repeat R --seed-batch B --work DIR}. */
    private record Options(List<Scenario> scenarios, List<Long> sizes, int repeat, int seedBatch, Path work) {
        static Options parse(String[] args) {
            List<Scenario> scenarios = List.of(Scenario.values());
            List<Long> sizes = List.of(1_000_000L, 10_000_000L);
            int repeat = 1;
            int seedBatch = SnapshotSeed.BATCH;
            Path work = null;
            for (Map.Entry<String, String> given : Benchmark.options(args)) {
                String option = given.getKey();
                String value = given.getValue();
                switch (option) {
                    case "--scenarios" -> scenarios = Arrays.stream(value.split(",")).map(Options::scenario)
                            .distinct().toList();
                    case "--sizes" -> sizes = Arrays.stream(value.split(",")).map(s -> number(option, s)).toList();
                    case "--repeat" -> repeat = Math.toIntExact(number(option, value));
                    case "--seed-batch" -> seedBatch = Math.toIntExact(number(option, value));
                    case "--work" -> work = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + option
                            + "; options: --scenarios a,b,c,d --sizes N,M --repeat R --seed-batch B --work DIR");
                }
            }
            if (repeat < 1 || seedBatch < 1 || sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 1)) {
                throw new IllegalArgumentException("need --repeat >= 1, --seed-batch >= 1 and every size >= 1");
            }
            return new Options(scenarios, sizes, repeat, seedBatch, work);
        }

        private static Scenario scenario(String letter) {
            for (Scenario s : Scenario.values()) {
                if (s.letter().equals(letter.strip().toLowerCase(Locale.ROOT))) return s;
            }
            throw new IllegalArgumentException("--scenarios takes letters among a, b, c, d (e.g. a,c), not '"
                    + letter.strip() + "'");
        }

        private static long number(String option, String value) {
            try {
                return Long.parseLong(value.strip().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes whole numbers, not '" + value.strip() + "'");
            }
        }
    }
}
