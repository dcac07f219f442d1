package dev.ebb.spi;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a DuckDB that is not the source's own needs to run the source's models: attach its database file read-only
 * (when it has one), recreate its file views, resolve relative paths as the source does, and read only what the
 * source lets models read.
 *
 * @param database           the source's database file, to {@code ATTACH … (READ_ONLY)}; empty for a source of files
 *                           in memory
 * @param views              view name → data file (Parquet, CSV, JSON) the source shows as a view, in order
 * @param fileSearchPath     DuckDB's {@code file_search_path} for the models (the project root)
 * @param allowedDirectories DuckDB's {@code allowed_directories} as the source sets them
 * @param allowedPaths       DuckDB's {@code allowed_paths} as the source sets them
 */
public record DuckDbAttachment(Optional<Path> database, Map<String, Path> views, String fileSearchPath,
                               List<String> allowedDirectories, List<String> allowedPaths) {
    public DuckDbAttachment {
        Objects.requireNonNull(database, "database");
        views = Collections.unmodifiableMap(new LinkedHashMap<>(views));
        Objects.requireNonNull(fileSearchPath, "fileSearchPath");
        allowedDirectories = List.copyOf(allowedDirectories);
        allowedPaths = List.copyOf(allowedPaths);
    }
}
