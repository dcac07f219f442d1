package dev.ebb.spi;

import java.util.List;
import java.util.Optional;

/**
 * An open connection to a warehouse or lakehouse. Models run read-only.
 *
 * <p>Lifecycle: the runtime (1) opens it through {@link SourceConnector#open}, (2) calls {@link #describe} and
 * {@link #query} any number of times, one at a time, from one thread, (3) calls {@link #close()} once.
 */
public interface Source extends AutoCloseable {
    /**
     * The columns the model's SQL would return, without reading its rows.
     *
     * @throws SourceException when the SQL does not compile or the source is unreachable
     */
    List<Column> describe(String sql) throws SourceException;

    /**
     * Runs the model's SQL read-only and streams its rows.
     *
     * @throws SourceException when the SQL fails or the source is unreachable
     */
    RowStream query(String sql) throws SourceException;

    /**
     * The source's engine, when it can run Ebb's own SQL (the fingerprint and the diff) where the data is; empty
     * (the default) when every row must be read through {@link #query}.
     */
    default Optional<SqlEngine> engine() {
        return Optional.empty();
    }

    @Override
    void close() throws SourceException;
}
