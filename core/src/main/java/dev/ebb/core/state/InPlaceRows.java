package dev.ebb.core.state;

import dev.ebb.spi.DuckDbAttachment;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A model's rows as a query the store runs itself: what a {@link PlanSession} loads instead of being sent the rows one
 * by one ({@link PlanSession#load}). The embedded store attaches the source to run it; a warehouse-native store runs
 * it on the source itself, where the model is.
 *
 * @param source     how the store's DuckDB attaches the source and reads its files, when the source is DuckDB
 * @param query      one row per model row with the columns {@code key, match, fp, invalid} and what its payload is
 *                   written from (the texts {@code v_0 … v_n-1}, or the mapped model columns), in the source's own
 *                   dialect (see {@code ExtractionSql})
 * @param payload    the payload of a row of {@code query} whose columns the alias {@code c} names, in the same dialect:
 *                   written for the planned rows only
 * @param marked     whether {@code query} already marks the rows that share a key or match value invalid; if not,
 *                   the store marks them (an aggregate per column is cheaper there than the query's window counts)
 * @param matchIsKey whether the match value is the key's own text (one key column, also the match column)
 * @param remembering for a store that keeps the fingerprints it computes: given the relation of the sync's known
 *                   fingerprints ({@code key, quick, fp}), {@code query} taking a row's fingerprint from it where it
 *                   holds the row's quick hash, with the columns {@code quick} and {@code fresh} besides (see
 *                   {@code ExtractionSql#unmarked(String)}); empty when the engine has no quick hash
 */
public record InPlaceRows(Optional<DuckDbAttachment> source, String query, String payload, boolean marked,
                          boolean matchIsKey, Optional<UnaryOperator<String>> remembering) {
    /** Rows of a query that marks its duplicates itself. */
    public InPlaceRows(Optional<DuckDbAttachment> source, String query, String payload) {
        this(source, query, payload, true, false, Optional.empty());
    }

    /** Rows of a DuckDB source, from a query that marks its duplicates itself. */
    public InPlaceRows(DuckDbAttachment source, String query, String payload) {
        this(Optional.of(source), query, payload);
    }

    /** The same rows, read from another source's attachment. */
    public InPlaceRows from(DuckDbAttachment other) {
        return new InPlaceRows(Optional.of(other), query, payload, marked, matchIsKey, remembering);
    }
}
