package dev.ebb.sandbox.marketo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one lead of the sandbox. Immutable.
 *
 * @param id     Marketo's lead id
 * @param values field name to value in text form (numbers plain, dates {@code YYYY-MM-DD}, datetimes
 *               {@code YYYY-MM-DDThh:mm:ssZ}); an empty field is absent. Includes {@code createdAt} and
 *               {@code updatedAt}.
 */
public record MarketoLead(long id, Map<String, String> values) {
    public MarketoLead {
        Objects.requireNonNull(values, "values");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The field's value, or empty when the field is empty. */
    public Optional<String> value(String field) {
        return Optional.ofNullable(values.get(field));
    }

    /** The lead's email address, if it has one. */
    public Optional<String> email() {
        return value("email");
    }
}
