package dev.ebb.core.config;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A limit of the blast-radius guard: a share of the records a sync has delivered ({@code 5%}) or a count
 * ({@code 500}).
 *
 * @param amount  the number written
 * @param percent whether it is a percentage of the snapshot's size
 */
public record Threshold(BigDecimal amount, boolean percent) {
    /** Whether {@code count} rows of a snapshot of {@code base} rows go over this threshold. */
    public boolean exceededBy(long count, long base) {
        if (percent) {
            return BigDecimal.valueOf(count).multiply(BigDecimal.valueOf(100))
                    .compareTo(amount.multiply(BigDecimal.valueOf(base))) > 0;
        }
        return BigDecimal.valueOf(count).compareTo(amount) > 0;
    }

    /** The share {@code count} is of {@code base}, as people read it ("12.5%"). */
    public static String share(long count, long base) {
        if (base == 0) return "100%";
        return BigDecimal.valueOf(count * 100L).divide(BigDecimal.valueOf(base), 1, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString() + "%";
    }

    @Override
    public String toString() {
        return amount.stripTrailingZeros().toPlainString() + (percent ? "%" : " rows");
    }
}
