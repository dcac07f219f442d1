package dev.ebb.spi;

import java.util.List;
import java.util.Objects;

/**
 * The answer to one write call.
 *
 * @param results one per record of the batch, in any order. A record without a result is treated by the runtime
 *                as failed (it is retried by a later run), never as delivered.
 * @param usage   the account's budget as the response reported it; {@link RateUsage#UNKNOWN} when it did not
 */
public record WriteResult(List<RecordResult> results, RateUsage usage) {
    public WriteResult {
        results = List.copyOf(results);
        Objects.requireNonNull(usage, "usage");
    }
}
