package dev.ebb.spi;

/** The type of a destination field, as far as the runtime needs to check a value before it is sent. */
public enum FieldType {
    STRING,
    NUMBER,
    BOOLEAN,
    /** A calendar date without time. */
    DATE,
    /** An instant. */
    DATETIME,
    /** One of {@link FieldSpec#options()}. */
    ENUMERATION
}
