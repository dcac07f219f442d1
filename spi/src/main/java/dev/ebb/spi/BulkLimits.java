package dev.ebb.spi;

import java.util.Objects;

/**
 * A bulk path for large plans (e.g. Salesforce Bulk API 2.0): when an operation has at least {@code fromRecords}
 * records to write, the runtime builds batches up to {@code limits} instead of the object's usual ones, and the
 * connector sees a batch larger than its usual limit and takes its bulk path.
 *
 * @param fromRecords the switch point (Salesforce's guidance: about 2,000 records)
 * @param limits      the most one bulk write (one job) may carry
 */
public record BulkLimits(int fromRecords, BatchLimits limits) {
    public BulkLimits {
        if (fromRecords < 1) throw new IllegalArgumentException("fromRecords must be at least 1");
        Objects.requireNonNull(limits, "limits");
    }
}
