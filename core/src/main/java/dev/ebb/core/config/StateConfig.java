package dev.ebb.core.config;

import java.nio.file.Path;

/**
 * {@code state:} of {@code ebb.yaml}: where snapshots and the run log live.
 *
 * @param store {@code embedded} (the only store of this version)
 * @param path  the embedded store's DuckDB file, relative to the project root (default {@code .ebb/state.duckdb})
 */
public record StateConfig(String store, Path path) {
    public static StateConfig embeddedDefault() {
        return new StateConfig("embedded", Path.of(".ebb", "state.duckdb"));
    }
}
