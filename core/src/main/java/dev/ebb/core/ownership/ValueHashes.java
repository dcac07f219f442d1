package dev.ebb.core.ownership;

import dev.ebb.core.plan.Fingerprint;
import dev.ebb.core.plan.Values;
import dev.ebb.spi.FieldSpec;
import java.util.Collections;
import java.util.List;

/**
 * How owned fields' values are compared: converted alike, and hashed (Ebb keeps hashes of what it wrote, not
 * values).
 */
public final class ValueHashes {
    private ValueHashes() {
    }

    /** The hash Ebb keeps of a value it wrote: the fingerprint of that value alone. */
    public static String valueHash(Object converted) {
        return Fingerprint.of(List.of(""), Collections.singletonList(converted));
    }

    /** A value read back, converted like the warehouse's value so that the two compare; as text if it does not fit. */
    public static Object lenient(Object raw, FieldSpec field) {
        if (raw == null) return null;
        try {
            return Values.convert(raw, field);
        } catch (Values.Unfit unfit) {
            return Values.text(raw);
        }
    }

    /** Whether a field holds nothing (for {@code if_empty}). */
    static boolean empty(Object value) {
        return value == null || (value instanceof String text && text.isEmpty());
    }
}
