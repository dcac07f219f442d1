package dev.ebb.spi;

import java.sql.Connection;
import java.util.Optional;

/**
 * A source whose engine can run Ebb's own SQL: the fingerprint, the diff against a snapshot, the snapshot tables of
 * a warehouse-native state. The runtime uses it to run the plan where the data is, instead of reading every row of
 * the model into the JVM; without it ({@link Source#engine()} empty) the rows travel through {@link Source#query}.
 *
 * <p>Lifecycle: it belongs to its {@link Source} and is valid until the source is closed. Not thread-safe; the
 * runtime calls it from the thread that uses the source.
 */
public interface SqlEngine {
    /** The dialect names the runtime knows; a connector may name another, which the runtime then does not push to. */
    String DUCKDB = "duckdb";
    String POSTGRES = "postgres";
    String SNOWFLAKE = "snowflake";
    String BIGQUERY = "bigquery";
    String REDSHIFT = "redshift";
    String DATABRICKS = "databricks";
    String TRINO = "trino";
    String CLICKHOUSE = "clickhouse";
    String MYSQL = "mysql";

    /** The SQL dialect the engine speaks, one of the constants above (lower case). */
    String dialect();

    /**
     * The model's SQL as one read-only query that can be nested as a subquery ({@code SELECT … FROM (model) m}):
     * checked as {@link Source#query} checks it, without trailing semicolons.
     *
     * @throws SourceException when the SQL is not exactly one query, as {@link Source#query} would
     */
    String modelQuery(String sql) throws SourceException;

    /**
     * A connection to the source for Ebb's own SQL; the caller closes it, the source stays open. It sees what models
     * see (the same database, search path, views). Whether it may write depends on the source: a source opened
     * read-only yields a read-only connection.
     *
     * @throws SourceException when the source cannot be reached ({@link SourceException#unreachable()})
     */
    Connection connect() throws SourceException;

    /**
     * How many rows a result of Ebb's own SQL on {@link #connect()} is fetched at a time (the source's
     * {@code fetch_size}, where it has one), so a streamed result never sits whole in memory.
     */
    default int fetchSize() {
        return 10_000;
    }

    /**
     * For a DuckDB source: how another DuckDB (the embedded state store's) attaches it read-only and reads its files
     * under the same lockdown, so that the diff runs in one query there. Empty for every other engine.
     */
    default Optional<DuckDbAttachment> duckDbAttachment() {
        return Optional.empty();
    }
}
