package dev.ebb.core.config;

import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code state:} of {@code ebb.yaml}: where snapshots and the run log live. Immutable.
 *
 * @param store    which store
 * @param path     the embedded store's DuckDB file, relative to the project root (default {@code .ebb/state.duckdb});
 *                 {@code null} for a PostgreSQL store
 * @param postgres a PostgreSQL store's connection, as written (secret references unresolved); {@code null} for the
 *                 embedded store
 */
public record StateConfig(Store store, Path path, PostgresState postgres) {

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
        this(Store.valueOf(store.toUpperCase(Locale.ROOT)), path, null);
    }

    public static StateConfig embeddedDefault() {
        return new StateConfig(Store.EMBEDDED, Path.of(".ebb", "state.duckdb"), null);
    }

    public static StateConfig postgres(PostgresState postgres) {
        return new StateConfig(Store.POSTGRES, null, postgres);
    }
}
