package dev.ebb.spi;

import java.util.List;

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

    @Override
    void close() throws SourceException;
}
