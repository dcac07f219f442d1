package dev.ebb.core.state;

import dev.ebb.spi.DuckDbAttachment;

/**
 * A model's rows as a query the store runs itself, with the source attached: what a {@link PlanSession} loads instead
 * of being sent the rows one by one ({@link PlanSession#load}).
 *
 * @param source  how the store's DuckDB attaches the source and reads its files
 * @param query   one row per model row with the columns {@code key, match, fp, invalid, v_0 … v_n-1}, duplicates
 *                already marked (see {@code ExtractionSql})
 * @param payload the payload of a row of {@code query} whose columns the alias {@code c} names
 */
public record InPlaceRows(DuckDbAttachment source, String query, String payload) {
}
