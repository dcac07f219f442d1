package dev.ebb.core.config;

/**
 * {@code state:} of a {@code sources:} entry: the snapshots of the syncs whose models live on that source are kept
 * in the source itself, and their diff runs there ({@code store: warehouse}, the warehouse-native state). The run
 * log, conflicts and quota counts stay in the project's {@code state:} store.
 *
 * @param store    {@code warehouse}, the only store a source can host
 * @param schema   the schema of the source that holds Ebb's tables (default {@value #DEFAULT_SCHEMA})
 * @param location where the setting is written
 */
public record SourceStateConfig(String store, String schema, Location location) {
    public static final String WAREHOUSE = "warehouse";
    public static final String DEFAULT_SCHEMA = "ebb_state";
}
