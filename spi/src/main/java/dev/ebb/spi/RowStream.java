package dev.ebb.spi;

/**
 * A forward-only stream over a model's result. Rows are pulled one at a time; a source must not hold the whole
 * result in the heap.
 *
 * <p>Not thread-safe: one thread pulls and then closes it.
 */
public interface RowStream extends AutoCloseable {
    /** The result's columns, available before the first row. */
    java.util.List<Column> columns();

    /**
     * Advances to the next row.
     *
     * @return the row, valid until the next call, or {@code null} when the result is exhausted
     * @throws SourceException when the source fails mid-stream
     */
    SourceRow next() throws SourceException;

    @Override
    void close() throws SourceException;
}
