package dev.ebb.core.run;

import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators for {@link EngineFixture}'s model. Domains are small on purpose, so that keys collide (updates,
 * duplicates), values repeat (unchanged rows, changes back to an old value) and equal numbers come in several
 * spellings.
 */
final class ModelArbitraries {
    static final int KEYS = 5;

    private ModelArbitraries() {
    }

    /** A model row as the test writes it: key index (null for a null key), score text, plan. */
    record Row(Integer key, String score, String plan) {
        Object[] values() {
            return new Object[]{ModelArbitraries.key(key), ModelArbitraries.score(score), plan};
        }
    }

    static String key(Integer index) {
        return index == null ? null : "k" + index + "@x.io";
    }

    /** A score as the model holds it: a decimal, or (for "n/a") text the number field refuses. */
    static Object score(String text) {
        if (text == null) return null;
        return text.equals("n/a") ? text : new BigDecimal(text);
    }

    static Arbitrary<Integer> keyIndex() {
        return Arbitraries.integers().between(0, KEYS - 1);
    }

    static Arbitrary<String> scores() {
        return Arbitraries.of("1", "1.0", "1.00", "2.5", "2.50", "-0.5", "0", "0.000", "1E+1", "10", "n/a")
                .injectNull(0.15);
    }

    static Arbitrary<String> plans() {
        // Zoë twice: precomposed and decomposed are different strings, and so different values.
        return Arbitraries.of("free", "pro", "Pro", "", "Zo\u00eb", "Zoe\u0308").injectNull(0.15);
    }

    static Arbitrary<Row> rows() {
        return Combinators.combine(keyIndex().injectNull(0.08), scores(), plans()).as(Row::new);
    }
}
