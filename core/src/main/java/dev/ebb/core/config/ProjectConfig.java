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
 * @param alerts       where {@code ebb serve} sends alerts; {@link AlertsConfig#NONE} without {@code alerts:}
 */
public record ProjectConfig(Path root, String name, StateConfig state, Map<String, ConnectionConfig> sources,
                            Map<String, ConnectionConfig> destinations, Map<String, ModelConfig> models,
                            Map<String, SyncConfig> syncs, AlertsConfig alerts) {

    /** A project without {@code alerts:}. */
    public ProjectConfig(Path root, String name, StateConfig state, Map<String, ConnectionConfig> sources,
                         Map<String, ConnectionConfig> destinations, Map<String, ModelConfig> models,
                         Map<String, SyncConfig> syncs) {
        this(root, name, state, sources, destinations, models, syncs, AlertsConfig.NONE);
    }

    public Optional<SyncConfig> sync(String name) {
        return Optional.ofNullable(syncs.get(name));
    }
}
