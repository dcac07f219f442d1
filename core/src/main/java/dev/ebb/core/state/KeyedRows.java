package dev.ebb.core.state;

import java.util.List;
import java.util.Optional;

/**
 * Where the model's rows go, in two passes, when the source's engine encodes their values and hashes them itself
 * ({@code ExtractionSql}, run on the source): first every row's key, match value, reason and quick hash, which the
 * store diffs with the snapshot's; then, of the keys whose quick hash is not the snapshot's only, the encoded rows, as
 * {@link EncodedRows} takes them. A row whose quick hash is its entry's sends no text at all. Opened by
 * {@link PlanSession#keyed}; the session's {@link PlanSession#diff} ends it. One thread at a time.
 */
public interface KeyedRows {
    /** Adds one row of the first pass. */
    void key(String key, String match, String invalid, long quick) throws StateException;

    /**
     * After the first pass: the keys whose encoded rows the plan needs (the rows without a key too, which are
     * invalid); empty when it needs every row's, because too many differ to name them.
     */
    Optional<List<String>> wanted() throws StateException;

    /**
     * Adds one row of the second pass.
     *
     * @param fingerprint the fingerprint of its values; {@code null} when invalid
     * @param values      the mapped fields' texts ({@code v_0 … v_n-1}), each {@code null} for a null value
     */
    void add(String key, String fingerprint, String match, String invalid, long quick, String[] values)
            throws StateException;
}
