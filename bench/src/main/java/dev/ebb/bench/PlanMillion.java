package dev.ebb.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code plan-1m}: how long Ebb takes to find 0.1% of changed rows in a million, against a plain DuckDB diff of the
 * same data in the same process: a {@link PlanScenario} on a {@link DuckDbLake} with the embedded store.
 *
 * <p>The ratio is Ebb's time over the baseline's. The baseline is the floor a SQL-only diff with both versions in one
 * database can reach; Ebb additionally reads the model through its source connector, converts and fingerprints every
 * row and joins it with its own snapshot, which is what lets it diff any source against a snapshot that holds no
 * values.
 */
final class PlanMillion implements Benchmark {
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
        figures.put("repeat", options.repeat);
        try {
            Benchmark.deleteTree(work.resolve("project"));
            Path root = work.resolve("project");
            PlanScenario.Measured measured = new PlanScenario(new DuckDbLake(root, options.threads), false, root,
                    null, options.seedBatch).measure(options.rows, options.changed, options.repeat, progress);
            figures.putAll(measured.figures());
            figures.put("java", Runtime.version().toString());
            figures.put("cores", Runtime.getRuntime().availableProcessors());
            figures.put("duckdb_threads", options.threads == null ? "default" : options.threads);
            return new Result(measured.ok(), figures);
        } finally {
            if (options.work == null) Benchmark.deleteTree(work);
        }
    }

    /** {@code --rows N --changed K --repeat R --threads T --seed-batch B --work DIR}. */
    private record Options(long rows, long changed, int repeat, Integer threads, int seedBatch, Path work) {
        static Options parse(String[] args) {
            long rows = 1_000_000;
            long changed = 1_000;
            int repeat = 3;
            Integer threads = null;
            int seedBatch = SnapshotSeed.BATCH;
            Path work = null;
            for (Map.Entry<String, String> given : Benchmark.options(args)) {
                String option = given.getKey();
                String value = given.getValue();
                try {
                    switch (option) {
                        case "--rows" -> rows = Long.parseLong(value.replace("_", ""));
                        case "--changed" -> changed = Long.parseLong(value.replace("_", ""));
                        case "--repeat" -> repeat = Integer.parseInt(value);
                        case "--threads" -> threads = Integer.parseInt(value);
                        case "--seed-batch" -> seedBatch = Integer.parseInt(value.replace("_", ""));
                        case "--work" -> work = Path.of(value);
                        default -> throw new IllegalArgumentException("unknown option " + option
                                + "; options: --rows N, --changed K, --repeat R, --threads T, --seed-batch B, --work DIR");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(option + " takes a whole number, not '" + value + "'");
                }
            }
            if (rows < 1 || changed < 1 || changed > rows || repeat < 1 || seedBatch < 1) {
                throw new IllegalArgumentException("need rows >= changed >= 1, repeat >= 1 and seed-batch >= 1");
            }
            return new Options(rows, changed, repeat, threads, seedBatch, work);
        }
    }
}
