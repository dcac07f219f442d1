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
    public ConnectorContext {
        Objects.requireNonNull(name, "name");
        settings = Map.copyOf(settings);
        Objects.requireNonNull(projectRoot, "projectRoot");
        Objects.requireNonNull(clock, "clock");
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
