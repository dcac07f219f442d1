package dev.ebb.connector.facebook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.spi.RecordResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-record outcomes from Meta's answer to a {@code users} or {@code usersreplace} call, as far as the answer
 * allows: Meta reports counts ({@code num_received}, {@code num_invalid_entries}) and only samples of the invalid
 * entries ({@code invalid_entry_samples}, the value as sent and the reason), never which rows matched a person.
 *
 * <ul>
 *   <li>No invalid entry: every row is accepted.</li>
 *   <li>A row holding a sampled value is rejected with Meta's reason.</li>
 *   <li>When Meta counted more invalid entries than its samples name, the unnamed rows cannot be told apart from the
 *       valid ones: they are left failed with that reason, so a later run sends them again. Adding or removing a
 *       member twice is harmless; calling one delivered that Meta refused would lose it.</li>
 *   <li>When Meta says it received fewer rows than were sent, nothing can be known of any row: all are failed.</li>
 * </ul>
 *
 * <p>Stateless.
 */
final class UsersAnswer {
    private UsersAnswer() {
    }

    /** The outcome of each row; {@code ids} gives a row's destination id (its match value as sent). */
    static List<RecordResult> results(JsonNode body, List<UserRows.Row> rows, java.util.function.Function<UserRows.Row, String> ids) {
        List<RecordResult> results = new ArrayList<>();
        long received = body.path("num_received").asLong(-1);
        long invalid = body.path("num_invalid_entries").asLong(0);
        if (received >= 0 && received < rows.size()) {
            String reason = "Meta received " + received + " of the " + rows.size() + " entries sent; which ones is not "
                    + "known, so every entry is sent again";
            rows.forEach(row -> results.add(RecordResult.failed(row.record().key(), reason)));
            return results;
        }
        Map<String, String> samples = samples(body.path("invalid_entry_samples"));
        Map<UserRows.Row, String> refused = new IdentityHashMap<>();
        if (invalid > 0 && !samples.isEmpty()) {
            Map<String, List<UserRows.Row>> byValue = new HashMap<>();
            for (UserRows.Row row : rows) {
                for (String value : row.values()) {
                    if (!value.isEmpty()) byValue.computeIfAbsent(value, v -> new ArrayList<>()).add(row);
                }
            }
            samples.forEach((value, reason) -> byValue.getOrDefault(value, List.of())
                    .forEach(row -> refused.putIfAbsent(row, reason)));
        }
        boolean unnamed = invalid > refused.size();
        for (UserRows.Row row : rows) {
            String reason = refused.get(row);
            if (reason != null) {
                results.add(RecordResult.rejected(row.record().key(), "Meta counted the entry invalid: " + reason));
            } else if (unnamed) {
                results.add(RecordResult.failed(row.record().key(), "Meta counted " + invalid + " of "
                        + rows.size() + " entries invalid and named " + refused.size()
                        + "; this one may be among the others, so it is sent again"));
            } else {
                results.add(RecordResult.accepted(row.record().key(), ids.apply(row)));
            }
        }
        return results;
    }

    /** Samples as an object of value to reason, or as a list of values (or of {@code {value, reason}}). */
    private static Map<String, String> samples(JsonNode node) {
        Map<String, String> samples = new HashMap<>();
        if (node.isObject()) {
            node.properties().forEach(e -> samples.put(e.getKey(), e.getValue().asText("invalid entry")));
        } else if (node.isArray()) {
            for (JsonNode sample : node) {
                if (sample.isTextual()) samples.put(sample.asText(), "invalid entry");
                else samples.put(sample.path("value").asText(""), sample.path("reason").asText("invalid entry"));
            }
        }
        return samples;
    }
}
