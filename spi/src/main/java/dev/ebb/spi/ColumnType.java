package dev.ebb.spi;

/**
 * The logical type of a model column, and the Java type its values arrive as in a {@link SourceRow}.
 */
public enum ColumnType {
    /** {@link String}. */
    STRING,
    /** {@link Long}. */
    INTEGER,
    /** {@link java.math.BigDecimal}. */
    DECIMAL,
    /** {@link Double}. */
    DOUBLE,
    /** {@link Boolean}. */
    BOOLEAN,
    /** {@link java.time.LocalDate}. */
    DATE,
    /** {@link java.time.Instant}, in UTC. */
    TIMESTAMP,
    /** Anything else, as its {@link String} rendering. */
    OTHER
}
