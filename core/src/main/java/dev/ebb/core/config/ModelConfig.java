package dev.ebb.core.config;

import java.util.List;

/**
 * A model: {@code models/NAME.sql}, plus an optional {@code models/NAME.yaml} that may name its source and key; or a
 * dbt model ({@code model: { ref: NAME }}), read from the relation its dbt project builds.
 *
 * @param name     the file name without {@code .sql}, or the dbt model's name
 * @param sql      the query, as written (without a trailing semicolon); for a dbt model, a query of its relation
 * @param source   the source it runs on (the project's only or {@code default_source} when the model says none)
 * @param key      the primary key columns declared by {@code models/NAME.yaml} (or a dbt model's unique test); empty
 *                 when the syncs declare it
 * @param location the {@code .sql} file, or where the dbt model is referred to
 * @param keyLocation where {@code models/NAME.yaml} declares the key, or {@code null}
 * @param dbt      what the dbt manifest says of the model, or {@code null} for a model of {@code models/}
 */
public record ModelConfig(String name, String sql, String source, List<String> key, Location location,
                          Location keyLocation, DbtModel dbt) {
    public ModelConfig {
        key = List.copyOf(key);
    }

    public ModelConfig(String name, String sql, String source, List<String> key, Location location,
                       Location keyLocation) {
        this(name, sql, source, key, location, keyLocation, null);
    }

    public ModelConfig(String name, String sql, String source, List<String> key, Location location) {
        this(name, sql, source, key, location, null, null);
    }
}
