package dev.ebb.core.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A whole project, validated: every reference between its parts resolves.
 *
 * @param root         the project folder (absolute)
 * @param name         {@code name:} of {@code ebb.yaml}
 * @param state        where state lives
 * @param sources      by name, in file order
 * @param destinations by name, in file order
 * @param models       by name, sorted
 * @param syncs        by name, sorted
 * @param dbt          {@code dbt:} of {@code ebb.yaml}, or {@code null}
 * @param syncLogs     {@code sync_logs:} of the sources that write them, by source name
 * @param alerts       where {@code ebb serve} sends alerts; {@link AlertsConfig#NONE} without {@code alerts:}
 */
public record ProjectConfig(Path root, String name, StateConfig state, Map<String, ConnectionConfig> sources,
                            Map<String, ConnectionConfig> destinations, Map<String, ModelConfig> models,
                            Map<String, SyncConfig> syncs, DbtConfig dbt, Map<String, SyncLogConfig> syncLogs,
                            AlertsConfig alerts) {
    public ProjectConfig {
        syncLogs = Map.copyOf(syncLogs);
    }

    /** A project without dbt, sync logs and {@code alerts:}. */
    public ProjectConfig(Path root, String name, StateConfig state, Map<String, ConnectionConfig> sources,
                         Map<String, ConnectionConfig> destinations, Map<String, ModelConfig> models,
                         Map<String, SyncConfig> syncs) {
        this(root, name, state, sources, destinations, models, syncs, null, Map.of(), AlertsConfig.NONE);
    }

    /** The sync logs the sync's model writes, through its source; empty when that source keeps none. */
    public Optional<SyncLogConfig> syncLogs(SyncConfig sync) {
        ModelConfig model = models.get(sync.model());
        return model == null || model.source() == null ? Optional.empty()
                : Optional.ofNullable(syncLogs.get(model.source()));
    }

    public Optional<SyncConfig> sync(String name) {
        return Optional.ofNullable(syncs.get(name));
    }
}
