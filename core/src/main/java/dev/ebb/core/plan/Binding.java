package dev.ebb.core.plan;

import dev.ebb.core.config.FieldMapping;
import dev.ebb.spi.FieldSpec;

/**
 * One field mapping, resolved against the model and the destination.
 *
 * @param column the model column's index, or -1 for a constant {@code value:}
 * @param field  the destination field, as discovered
 */
public record Binding(FieldMapping mapping, int column, FieldSpec field) {
    /** The destination field's API name. */
    public String name() {
        return field.name();
    }
}
