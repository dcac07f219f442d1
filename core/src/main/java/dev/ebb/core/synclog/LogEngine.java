package dev.ebb.core.synclog;

/**
 * The engines sync logs are written to, and what differs between them. Both take the same column types
 * ({@code text}, {@code bigint}, {@code timestamptz}) and {@code IF NOT EXISTS} forms; they differ in indexes.
 */
enum LogEngine {
    /** DuckDB prunes scans by its per-block min/max statistics; an index would only slow the appends down. */
    DUCKDB(false),
    /** PostgreSQL needs indexes to find one run's rows and the rows past the retention without a full scan. */
    POSTGRES(true);

    final boolean indexes;

    LogEngine(boolean indexes) {
        this.indexes = indexes;
    }
}
