package dev.ebb.core.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code state:} of {@code ebb.yaml}: where snapshots and the run log live. Immutable.
 *
 * @param store    which store
 * @param path     the embedded store's DuckDB file, relative to the project root (default {@code .ebb/state.duckdb});
 *                 {@code null} for a PostgreSQL store
 * @param postgres a PostgreSQL store's connection, as written (secret references unresolved); {@code null} for the
 *                 embedded store
 * @param memoryLimit   embedded: how much memory the store's DuckDB may use before it spills, as DuckDB writes it
 *                      ({@code 2GB}); {@code null} for the store's default (1 GB)
 * @param tempDirectory embedded: the folder the store's DuckDB spills to, relative to the project root; {@code null}
 *                      for the store's default (beside its file)
 */
public record StateConfig(Store store, Path path, PostgresState postgres, String memoryLimit, Path tempDirectory) {
    /**
     * An amount of memory as DuckDB's {@code memory_limit} takes it: a positive number and a unit of 1000s or 1024s
     * (DuckDB also takes bare letters and KB, which leave a store no room to run, so Ebb asks for MB and up).
     */
    private static final Pattern MEMORY = Pattern.compile("(?i)(?=.*[1-9])[0-9]+(\\.[0-9]+)? ?(MB|GB|TB|MiB|GiB|TiB)");
    /** How {@link #memoryProblem} says what to write. */
    static final String MEMORY_FORM = "a number and a unit, e.g. 2GB or 512MB (units MB, GB, TB, or MiB, GiB, TiB)";

    /** The stores this version ships; written in YAML as their {@link #label()}. */
    public enum Store {
        /** A DuckDB file in the project ({@code .ebb/state.duckdb}): one writing process at a time. */
        EMBEDDED,
        /** A schema of a PostgreSQL database: several processes (a team server, workers) at once. */
        POSTGRES;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return label();
        }
    }

    /** The embedded store in a file of its own: {@code state: { store: embedded, path: … }}. */
    public StateConfig(String store, Path path) {
        this(Store.valueOf(store.toUpperCase(Locale.ROOT)), path, null, null, null);
    }

    public static StateConfig embeddedDefault() {
        return new StateConfig(Store.EMBEDDED, Path.of(".ebb", "state.duckdb"), null, null, null);
    }

    public static StateConfig postgres(PostgresState postgres) {
        return new StateConfig(Store.POSTGRES, null, postgres, null, null);
    }

    /** The embedded store in {@code path}, its DuckDB bounded by {@code memoryLimit} and spilling to the folder given. */
    public static StateConfig embedded(Path path, String memoryLimit, Path tempDirectory) {
        return new StateConfig(Store.EMBEDDED, path, null, memoryLimit, tempDirectory);
    }

    /** What is wrong with {@code memory_limit: value}, if anything: the message goes after the key. */
    static Optional<String> memoryProblem(String value) {
        if (MEMORY.matcher(value.strip()).matches()) return Optional.empty();
        return Optional.of("'" + value + "' is not an amount of memory DuckDB takes: write " + MEMORY_FORM);
    }
}
