package dev.ebb.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code plan-10m}: the plan of 0.1% changed rows at 1,000,000 and 10,000,000 rows (8 mapped columns), per scenario,
 * each as a ratio to that engine's own plain full-outer-join diff of the same data in the same run, with the heap and
 * resident peaks (run it under {@code -Xmx512m}: {@code BENCH_JAVA_OPTS=-Xmx512m bench/run plan-10m}).
 *
 * <ul>
 *   <li>(a) a DuckDB source and the embedded store: {@link PlanMillion}'s measurement, at each size;</li>
 *   <li>(b) warehouse-native on DuckDB, (c) a PostgreSQL source with the embedded store, (d) warehouse-native on
 *       PostgreSQL: hooks, reported as not measured until their setup is written here.</li>
 * </ul>
 *
 * <p>Options: {@code --sizes 1000000,10000000} (rows per size; 0.1% of each is changed), {@code --repeat R}.
 */
final class PlanTenMillion implements Benchmark {
    /** The scenarios beyond (a), and what they still need. */
    private static final Map<String, String> HOOKS = Map.of(
            "b_warehouse_native_duckdb", "not measured: the warehouse-native state's setup is not part of this"
                    + " benchmark yet",
            "c_postgres_source_embedded_store", "not measured: needs a PostgreSQL server for the model",
            "d_warehouse_native_postgres", "not measured: needs a PostgreSQL server for the model and its state");

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
        List<Long> sizes = List.of(1_000_000L, 10_000_000L);
        String repeat = "1";
        for (int i = 0; i < args.length; i++) {
            if (i + 1 >= args.length) throw new IllegalArgumentException(args[i] + " needs a value");
            switch (args[i]) {
                case "--sizes" -> sizes = java.util.Arrays.stream(args[++i].split(","))
                        .map(s -> Long.parseLong(s.strip().replace("_", ""))).toList();
                case "--repeat" -> repeat = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --sizes N,M --repeat R");
            }
        }
        boolean ok = true;
        Map<String, Object> figures = new LinkedHashMap<>();
        List<Map<String, Object>> scenarioA = new ArrayList<>();
        for (long rows : sizes) {
            long changed = Math.max(1, rows / 1000);
            progress.accept(String.format(java.util.Locale.ROOT, "(a) DuckDB source, embedded store: %,d rows", rows));
            Result result = new PlanMillion().run(new String[]{"--rows", Long.toString(rows), "--changed",
                    Long.toString(changed), "--repeat", repeat}, line -> progress.accept("  " + line));
            ok &= result.ok();
            Map<String, Object> size = new LinkedHashMap<>();
            size.put("rows", rows);
            for (String figure : List.of("ratio", "ebb_plan_ms", "baseline_ms", "heap_peak_mb_plan", "heap_max_mb",
                    "rss_peak_mb_plan", "rss_peak_mb_baseline", "plan")) {
                size.put(figure, result.figures().get(figure));
            }
            scenarioA.add(size);
        }
        figures.put("a_duckdb_source_embedded_store", scenarioA);
        figures.putAll(new java.util.TreeMap<>(HOOKS));
        return new Result(ok, figures);
    }
}
