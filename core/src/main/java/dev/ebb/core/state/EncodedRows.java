package dev.ebb.core.state;

/**
 * Where the model's rows go when the source's engine encoded them itself ({@code ExtractionSql}'s query, run on the
 * source): per row its key, match value, fingerprint, reason it is invalid (duplicates already marked) and the
 * canonical texts of its mapped fields, from which the store writes payloads for the planned rows only. Opened by
 * {@link PlanSession#encoded}; the session's {@link PlanSession#diff} ends it. One thread at a time.
 */
public interface EncodedRows {
    /**
     * Adds one row.
     *
     * @param values the mapped fields' texts ({@code v_0 … v_n-1}), each {@code null} for a null value
     */
    void add(String key, String match, String fingerprint, String invalid, String[] values) throws StateException;
}
