package dev.ebb.spi;

import java.util.Objects;

/** A column of a model's result: its name as the source spells it, and its logical type. */
public record Column(String name, ColumnType type) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
