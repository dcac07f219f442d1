package dev.ebb.core.config;

import java.util.Map;

/**
 * An entry of {@code sources:} or {@code destinations:} in {@code ebb.yaml}.
 *
 * @param name     the entry's key
 * @param type     the connector type ({@code duckdb}, {@code hubspot})
 * @param settings the other keys, as written: secret references like {@code ${env:TOKEN}} are not resolved yet
 * @param location where the entry starts
 * @param limits   {@code limits:} of a destination, lowering its declared limits; {@code null} when not set
 * @param state    {@code state:} of a source that keeps its syncs' snapshots itself; {@code null} when not set
 */
public record ConnectionConfig(String name, String type, Map<String, String> settings, Location location,
                               DestinationLimits limits, SourceStateConfig state) {
    public ConnectionConfig {
        settings = Map.copyOf(settings);
    }

    /** An entry without {@code state:}. */
    public ConnectionConfig(String name, String type, Map<String, String> settings, Location location,
                            DestinationLimits limits) {
        this(name, type, settings, location, limits, null);
    }

    /** An entry without {@code limits:}. */
    public ConnectionConfig(String name, String type, Map<String, String> settings, Location location) {
        this(name, type, settings, location, null, null);
    }
}
