package dev.ebb.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the runtime hands a connector when it opens one.
 *
 * @param name        the entry's name in {@code ebb.yaml} (e.g. {@code lakehouse}, {@code hubspot})
 * @param settings    the entry's settings with secret references already resolved; keys are the declared
 *                    {@link ConnectorOption} names. Unmodifiable.
 * @param projectRoot the project folder; relative paths in settings are resolved against it
 * @param clock       the only source of time a connector may use
 */
public record ConnectorContext(String name, Map<String, String> settings, Path projectRoot, Clock clock) {
    /**
     * The setting the runtime adds to a source's settings when the source keeps Ebb's warehouse-native state
     * ({@code state: { store: warehouse }} in {@code ebb.yaml}): the schema that holds it. A source given it opens so
     * that connections from {@link SqlEngine#connect()} may create that schema, write its tables and create
     * temporary tables, each connection independent of the others; models still run read-only. Never declared as
     * an option: users cannot set it.
     */
    public static final String STATE_SCHEMA = "ebb.state_schema";

    public ConnectorContext {
        Objects.requireNonNull(name, "name");
        settings = Map.copyOf(settings);
        Objects.requireNonNull(projectRoot, "projectRoot");
        Objects.requireNonNull(clock, "clock");
    }

    /** The schema of Ebb's warehouse-native state in this source, when it keeps one (see {@link #STATE_SCHEMA}). */
    public java.util.Optional<String> stateSchema() {
        return java.util.Optional.ofNullable(settings.get(STATE_SCHEMA));
    }

    /** The setting, or {@code fallback} when the entry does not set it. */
    public String setting(String key, String fallback) {
        return settings.getOrDefault(key, fallback);
    }

    /** A setting that {@link ConnectorOption#required()} guarantees is present. */
    public String requiredSetting(String key) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + ": setting '" + key + "' is required");
        }
        return value;
    }
}
