package dev.ebb.spi;

import java.util.Objects;

/**
 * One setting a connector accepts in its {@code sources:} or {@code destinations:} entry of {@code ebb.yaml}.
 * Declared as data so that {@code ebb validate} can reject an unknown or missing setting before any network call.
 *
 * @param name        the key in YAML, lower snake case
 * @param required    whether the entry must set it
 * @param secret      whether the value is a credential: it is never printed, logged or stored
 * @param description one line for error messages and the JSON Schema
 */
public record ConnectorOption(String name, boolean required, boolean secret, String description) {
    public ConnectorOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }

    public static ConnectorOption required(String name, String description) {
        return new ConnectorOption(name, true, false, description);
    }

    public static ConnectorOption optional(String name, String description) {
        return new ConnectorOption(name, false, false, description);
    }

    public static ConnectorOption secret(String name, String description) {
        return new ConnectorOption(name, true, true, description);
    }
}
