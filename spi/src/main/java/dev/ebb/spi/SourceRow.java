package dev.ebb.spi;

/**
 * One row of a model's result, positionally aligned with {@link RowStream#columns()}.
 *
 * <p>A row is only valid until the stream advances: the runtime copies what it keeps. Values are of the Java
 * type that {@link ColumnType} names, or {@code null}.
 */
public interface SourceRow {
    /** The value at {@code index} (0-based), converted to the Java type of its column's {@link ColumnType}. */
    Object value(int index);
}
