package dev.ebb.core.state;

/** Rows read one at a time from the state store, so that a large plan never sits in the heap. */
public interface RowCursor<T> extends AutoCloseable {
    /** The next row, or {@code null} after the last. */
    T next() throws StateException;

    @Override
    void close() throws StateException;
}
