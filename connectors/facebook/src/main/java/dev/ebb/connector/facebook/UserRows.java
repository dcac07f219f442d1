package dev.ebb.connector.facebook;

import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RecordResult;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Records turned into the rows of a {@code payload}: one schema for the call (the multi-key fields any record
 * carries, in {@link AudienceKey} order) and per record its values as sent, or its rejection when a value cannot be
 * normalised (such a record is never sent). Pure: the same records always give the same rows.
 *
 * <p>A record's match value stands for the match field when its fields do not carry it. A removal whose fields are
 * empty (a sync that does not carry the last delivered values) is sent by the match field alone: the destination id
 * Ebb learnt (the value as sent, a digest) or else the match value.
 */
final class UserRows {
    /** One record as sent: its values in schema order. */
    record Row(OutboundRecord record, List<String> values) {
        /** The value sent for the call's match field: the member's id as far as Ebb can tell. */
        String sent(List<AudienceKey> schema, AudienceKey match) {
            int at = schema.indexOf(match);
            return at < 0 ? null : values.get(at);
        }
    }

    /** The rows of one call, and the records refused before it. */
    record Encoded(List<AudienceKey> schema, List<Row> rows, List<RecordResult> rejected) {
    }

    private final String phoneRegion;
    private final int thisYear;

    UserRows(String phoneRegion, int thisYear) {
        this.phoneRegion = phoneRegion;
        this.thisYear = thisYear;
    }

    /** Why a record cannot be sent, naming the field; empty when every value can be normalised. */
    Optional<String> problem(Map<String, Object> fields) {
        return sent(fields).problem();
    }

    /** A record's values as sent, by key, or why it cannot be sent: one encoding of each value. */
    private record Checked(Optional<String> problem, Map<AudienceKey, String> values) {
    }

    private Checked sent(Map<String, Object> fields) {
        Map<AudienceKey, String> sent = new java.util.EnumMap<>(AudienceKey.class);
        boolean any = false;
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            AudienceKey key = AudienceKey.BY_NAME.get(field.getKey());
            if (key == null) {
                return new Checked(Optional.of(field.getKey() + " is not a field of Meta's multi-key schema; use one of "
                        + AudienceKey.BY_NAME.keySet().stream().sorted().toList()), Map.of());
            }
            switch (key.encode(field.getValue(), phoneRegion, thisYear)) {
                case AudienceKey.Problem problem -> {
                    return new Checked(Optional.of(problem.reason()), Map.of());
                }
                case AudienceKey.Sent value -> {
                    sent.put(key, value.value());
                    any |= !value.value().isEmpty();
                }
            }
        }
        if (!any) {
            return new Checked(Optional.of("no identifier to match: every mapped field ("
                    + String.join(", ", fields.keySet()) + ") is empty"), Map.of());
        }
        return new Checked(Optional.empty(), sent);
    }

    /** The rows for {@code records} of an {@code operation} whose match field is {@code matchField}. */
    Encoded encode(List<OutboundRecord> records, Operation operation, String matchField) {
        List<Map<AudienceKey, String>> sentSets = new ArrayList<>();
        Set<AudienceKey> keys = EnumSet.noneOf(AudienceKey.class);
        List<RecordResult> rejected = new ArrayList<>();
        List<OutboundRecord> kept = new ArrayList<>();
        for (OutboundRecord record : records) {
            Checked checked = sent(values(record, operation, matchField));
            if (checked.problem().isPresent()) {
                rejected.add(RecordResult.rejected(record.key(), "not sent: " + checked.problem().get()));
                continue;
            }
            keys.addAll(checked.values().keySet());
            sentSets.add(checked.values());
            kept.add(record);
        }
        List<AudienceKey> schema = List.copyOf(keys);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            List<String> sent = new ArrayList<>(schema.size());
            for (AudienceKey key : schema) sent.add(sentSets.get(i).getOrDefault(key, ""));
            rows.add(new Row(kept.get(i), List.copyOf(sent)));
        }
        return new Encoded(schema, rows, rejected);
    }

    private static Map<String, Object> values(OutboundRecord record, Operation operation, String matchField) {
        Map<String, Object> values = new LinkedHashMap<>(record.fields());
        if (operation == Operation.DELETE && values.isEmpty()) {
            values.put(matchField, record.destinationId() != null ? record.destinationId() : record.matchValue());
        } else {
            values.putIfAbsent(matchField, record.matchValue());
        }
        return values;
    }
}
