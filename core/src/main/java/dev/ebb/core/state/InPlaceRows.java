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
 * @param source       how the store's DuckDB attaches the source and reads its files, when the source is DuckDB
 * @param rows         one row per model row, rows that share a key or match value not marked, in the source's own
 *                     dialect (see {@code ExtractionSql}), with the columns {@code key, match, invalid} (why the row
 *                     cannot be sent: a null key or match value, a value that does not convert), {@code quick} (the
 *                     quick hash of the row's mapped values, or null where the engine has none) and the mapped model
 *                     columns ({@code r_<column index>}), from which the fingerprint and payload are written
 * @param withoutQuick {@code rows} with a null {@code quick}, for an engine whose version cannot compute the hash;
 *                     empty when {@code rows} has none
 * @param fingerprint  the fingerprint of a row of {@code rows} whose columns the alias {@code c} names, in the same
 *                     dialect: the SHA-256 of {@code Fingerprint}'s encoding
 * @param payload      the payload of such a row, in the same dialect
 * @param matchIsKey   whether the match value is the key's own text (one key column, also the match column)
 */
public record InPlaceRows(Optional<DuckDbAttachment> source, String rows, Optional<String> withoutQuick,
                          String fingerprint, String payload, boolean matchIsKey) {
    /** The same rows, read from another source's attachment. */
    public InPlaceRows from(DuckDbAttachment other) {
        return new InPlaceRows(Optional.of(other), rows, withoutQuick, fingerprint, payload, matchIsKey);
    }

    /** The same rows without their quick hashes: every fingerprint is computed. */
    public InPlaceRows unhashed() {
        return new InPlaceRows(source, withoutQuick.orElse(rows), Optional.empty(), fingerprint, payload, matchIsKey);
    }
}
