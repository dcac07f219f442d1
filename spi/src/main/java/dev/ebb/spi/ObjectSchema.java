package dev.ebb.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The fields of one destination object, as the vendor describes them right now. */
public record ObjectSchema(String object, List<FieldSpec> fields) {
    public ObjectSchema {
        Objects.requireNonNull(object, "object");
        fields = List.copyOf(fields);
    }

    public Optional<FieldSpec> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
