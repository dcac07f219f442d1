package dev.ebb.core.state;

/**
 * Where the model's rows go when the source's engine encoded their values itself ({@code ExtractionSql}'s rows, run
 * on the source): per row its key, match value, fingerprint (taken from the texts), the reason it is invalid (a null
 * key or match value, a value that does not fit its field) and the canonical texts of its mapped fields. The store
 * marks duplicates, as for rows {@link PlanSession#add added} one by one, and writes payloads from the texts for the
 * planned rows only. Opened by {@link PlanSession#encoded}; the session's {@link PlanSession#diff} ends it. One thread
 * at a time.
 */
public interface EncodedRows {
    /**
     * Adds one row.
     *
     * @param fingerprint the fingerprint of its values; {@code null} when invalid
     * @param values      the mapped fields' texts ({@code v_0 … v_n-1}), each {@code null} for a null value
     */
    void add(String key, String fingerprint, String match, String invalid, String[] values) throws StateException;
}
