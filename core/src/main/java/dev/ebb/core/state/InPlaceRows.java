package dev.ebb.core.state;

import dev.ebb.spi.DuckDbAttachment;
import java.util.Optional;

/**
 * A model's rows as a query the store runs itself: what a {@link PlanSession} plans from instead of being sent the rows
 * one by one ({@link PlanSession#load}). The embedded store attaches the source to run it; a warehouse-native store
 * runs it on the source itself, where the model is. The query is run where the plan needs it (the rows' marks, the
 * diff), never materialised whole; a row's fingerprint and payload are written only for the rows the plan needs them
 * of (see {@code state.sql.InPlacePlanSql}).
 *
 * @param source      how the store's DuckDB attaches the source and reads its files, when the source is DuckDB
 * @param select      the columns of a row, over the model's columns (alias {@code m}), in the source's own dialect
 *                    (see {@code ExtractionSql}): {@code key, match, invalid} (why the row cannot be sent: a null key or
 *                    match value, a value that does not convert), the mapped model columns ({@code r_<column index>}),
 *                    from which the fingerprint and payload are written, and {@code quick} (the quick hash of the row's
 *                    mapped values, or null where the engine has none); rows that share a key or match value are not
 *                    marked
 * @param plainSelect {@code select} with a null {@code quick}, for an engine whose version cannot compute the hash;
 *                    empty when {@code select} has none
 * @param model       the model as a query
 * @param key         the key's expression over the model's columns
 * @param fence       what ends the query so that the engine computes its columns once per row ({@code Dialect#fence})
 * @param detail      where {@link #rowsOf} reads instead, when the rows' values are kept apart from their keys: a
 *                    query of some rows with {@code select}'s columns and those {@code fingerprint} and
 *                    {@code payload} read
 * @param fingerprint the fingerprint of a row of {@link #rows} whose columns the alias {@code c} names, in the same
 *                    dialect: the SHA-256 of {@code Fingerprint}'s encoding
 * @param payload     the payload of such a row, in the same dialect
 * @param matchIsKey  whether the match value is the key's own text (one key column, also the match column)
 */
public record InPlaceRows(Optional<DuckDbAttachment> source, String select, Optional<String> plainSelect, String model,
                          String key, String fence, Optional<String> detail, String fingerprint, String payload,
                          boolean matchIsKey) {
    /** One row per model row, as a query. */
    public String rows() {
        return select + " FROM (" + model + ") AS m" + fence;
    }

    /**
     * The rows whose key the query {@code keys} (one column) returns, and those without a key: the key is
     * computed for every row of the model, the other columns only for those rows.
     */
    public String rowsOf(String keys) {
        if (detail.isPresent()) {
            return "SELECT * FROM (" + detail.get() + ") AS d WHERE d.key IN (" + keys + ") OR d.key IS NULL";
        }
        return select + " FROM (" + model + ") AS m WHERE " + key + " IN (" + keys + ") OR " + key + " IS NULL"
                + fence;
    }

    /** The same rows, read from another source's attachment. */
    public InPlaceRows from(DuckDbAttachment other) {
        return new InPlaceRows(Optional.of(other), select, plainSelect, model, key, fence, detail, fingerprint,
                payload, matchIsKey);
    }

    /** The same rows without their quick hashes: every fingerprint is computed. */
    public InPlaceRows unhashed() {
        return new InPlaceRows(source, plainSelect.orElse(select), Optional.empty(), model, key, fence, detail,
                fingerprint, payload, matchIsKey);
    }
}
