package dev.ebb.sandbox.salesforce;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A copy of one sandbox record, for tests and the {@code /_sandbox/} API.
 *
 * @param object the object's API name
 * @param id     the 18-character record id
 * @param fields field API name to value: {@link String}, {@link BigDecimal}, {@link Boolean},
 *               {@link java.time.LocalDate}, {@link Instant}, or {@code null}; system fields included
 */
public record SalesforceRecord(String object, String id, Map<String, Object> fields) {
    public SalesforceRecord {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(id, "id");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The field's value (by API name, any case), or empty when it is null or absent. */
    public Optional<Object> value(String field) {
        Object exact = fields.get(field);
        if (exact != null) return Optional.of(exact);
        return fields.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(field) && e.getValue() != null)
                .map(Map.Entry::getValue).findFirst();
    }

    /**
     * The field's value as text: numbers plain, dates {@code YYYY-MM-DD}, instants ISO-8601 in UTC
     * ({@code 2024-01-15T09:30:00.123Z}); empty when the field is empty.
     */
    public Optional<String> text(String field) {
        return value(field).map(FieldValues::text).filter(s -> !s.isEmpty());
    }

    /** Every field as text, for inspectors that compare text. */
    public Map<String, String> texts() {
        Map<String, String> texts = new LinkedHashMap<>();
        fields.forEach((name, value) -> texts.put(name, FieldValues.text(value)));
        return texts;
    }
}
