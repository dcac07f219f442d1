package dev.ebb.spi;

/**
 * The most one write call may carry.
 *
 * @param maxRecords records per call, at least 1
 * @param maxBytes   request body size per call, estimated by the runtime from the records' values; at least 1
 */
public record BatchLimits(int maxRecords, long maxBytes) {
    public BatchLimits {
        if (maxRecords < 1) throw new IllegalArgumentException("maxRecords must be at least 1: " + maxRecords);
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be at least 1: " + maxBytes);
    }
}
