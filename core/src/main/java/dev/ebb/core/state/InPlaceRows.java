package dev.ebb.core.state;

import dev.ebb.spi.DuckDbAttachment;
import java.util.Optional;

/**
 * A model's rows as a query the store runs itself: what a {@link PlanSession} loads instead of being sent the rows one
 * by one ({@link PlanSession#load}). The embedded store attaches the source to run it; a warehouse-native store runs
 * it on the source itself, where the model is.
 *
 * @param source     how the store's DuckDB attaches the source and reads its files, when the source is DuckDB
 * @param query      one row per model row with the columns {@code key, match, fp, invalid, v_0 … v_n-1}, in the
 *                   source's own dialect (see {@code ExtractionSql})
 * @param payload    the payload of a row of {@code query} whose columns the alias {@code c} names
 * @param marked     whether {@code query} already marks the rows that share a key or match value invalid; if not,
 *                   the store marks them (an aggregate per column is cheaper there than the query's window counts)
 * @param matchIsKey whether the match value is the key's own text (one key column, also the match column)
 */
public record InPlaceRows(Optional<DuckDbAttachment> source, String query, String payload, boolean marked,
                          boolean matchIsKey) {
    /** Rows of a query that marks its duplicates itself. */
    public InPlaceRows(Optional<DuckDbAttachment> source, String query, String payload) {
        this(source, query, payload, true, false);
    }

    /** Rows of a DuckDB source, from a query that marks its duplicates itself. */
    public InPlaceRows(DuckDbAttachment source, String query, String payload) {
        this(Optional.of(source), query, payload);
    }

    /** The same rows, read from another source's attachment. */
    public InPlaceRows from(DuckDbAttachment other) {
        return new InPlaceRows(Optional.of(other), query, payload, marked, matchIsKey);
    }
}
