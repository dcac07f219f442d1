package dev.ebb.core.config;

import java.util.List;

/**
 * A model: {@code models/NAME.sql}, plus an optional {@code models/NAME.yaml} that may name its source and key.
 *
 * @param name     the file name without {@code .sql}
 * @param sql      the query, as written (without a trailing semicolon)
 * @param source   the source it runs on (the project's only or {@code default_source} when the model says none)
 * @param key      the primary key columns declared by {@code models/NAME.yaml}; empty when the syncs declare it
 * @param location the {@code .sql} file
 * @param keyLocation where {@code models/NAME.yaml} declares the key, or {@code null}
 */
public record ModelConfig(String name, String sql, String source, List<String> key, Location location,
                          Location keyLocation) {
    public ModelConfig {
        key = List.copyOf(key);
    }

    public ModelConfig(String name, String sql, String source, List<String> key, Location location) {
        this(name, sql, source, key, location, null);
    }
}
