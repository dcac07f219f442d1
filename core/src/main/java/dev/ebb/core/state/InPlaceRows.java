package dev.ebb.core.state;

import dev.ebb.spi.DuckDbAttachment;
import java.util.Optional;

/**
 * A model's rows as a query the store runs itself: what a {@link PlanSession} loads instead of being sent the rows one
 * by one ({@link PlanSession#load}). The embedded store attaches the source to run it; a warehouse-native store runs
 * it on the source itself, where the model is.
 *
 * @param source  how the store's DuckDB attaches the source and reads its files, when the source is DuckDB
 * @param query   one row per model row with the columns {@code key, match, fp, invalid, v_0 … v_n-1}, duplicates
 *                already marked (see {@code ExtractionSql}), in the source's own dialect
 * @param payload the payload of a row of {@code query} whose columns the alias {@code c} names
 */
public record InPlaceRows(Optional<DuckDbAttachment> source, String query, String payload) {
    /** Rows of a DuckDB source. */
    public InPlaceRows(DuckDbAttachment source, String query, String payload) {
        this(Optional.of(source), query, payload);
    }
}
