package dev.ebb.core.run;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@link EngineFixture}'s model should become in the destination, worked out by the test itself, without the
 * engine's fingerprints or SQL: the independent side of the property tests.
 *
 * <p>Rows are {@code {email, score, plan}}; the sync keys and matches on {@code email} and maps {@code score} (a
 * number field) and {@code plan} (a string field), clearing a field when its value is null.
 */
final class ModelOracle {
    private ModelOracle() {
    }

    /** Whether a row can be delivered: a key of its own, and a score the number field takes. */
    static boolean valid(Object[] row, List<Object[]> model) {
        if (row[0] == null) return false;
        long sameKey = model.stream().filter(r -> row[0].equals(r[0])).count();
        return sameKey == 1 && (row[1] == null || row[1] instanceof BigDecimal);
    }

    /** The record every valid row should be in the destination, by key. */
    static Map<String, Map<String, Object>> projection(List<Object[]> model) {
        Map<String, Map<String, Object>> expected = new TreeMap<>();
        for (Object[] row : model) {
            if (valid(row, model)) expected.put((String) row[0], record(row));
        }
        return expected;
    }

    /** The destination record of one row, values in canonical form (see {@link #canonical(Map)}). */
    static Map<String, Object> record(Object[] row) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("email", row[0]);
        if (row[1] != null) record.put("score", canonical(row[1]));
        if (row[2] != null) record.put("plan", row[2]);
        return record;
    }

    /** A destination record with its numbers in canonical form, so that 2.50 and 2.5 compare equal. */
    static Map<String, Object> canonical(Map<String, Object> record) {
        Map<String, Object> out = new LinkedHashMap<>();
        record.forEach((k, v) -> out.put(k, canonical(v)));
        return out;
    }

    private static Object canonical(Object value) {
        return value instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : value;
    }

    /** Keys held by at least one row, valid or not (a snapshot entry of such a key is not "removed"). */
    static Set<String> keys(List<Object[]> model) {
        Set<String> keys = new TreeSet<>();
        for (Object[] row : model) if (row[0] != null) keys.add((String) row[0]);
        return keys;
    }

    /** Keys held only by invalid rows: never sent, never removed. */
    static Set<String> invalidKeys(List<Object[]> model) {
        Set<String> keys = keys(model);
        keys.removeAll(projection(model).keySet());
        return keys;
    }

    static long invalidRows(List<Object[]> model) {
        return model.stream().filter(r -> !valid(r, model)).count();
    }

    /** Whether two rows map to the same destination values. */
    static boolean sameValues(Map<String, Object> a, Map<String, Object> b) {
        return Objects.equals(new HashMap<>(a), new HashMap<>(b));
    }
}
