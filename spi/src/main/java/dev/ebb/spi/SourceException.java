package dev.ebb.spi;

/**
 * A source could not answer: unreachable, an SQL error in the model, a missing table. The message says what
 * failed in the user's terms (the model, the line when the engine gives one); the cause keeps the driver's error.
 */
public class SourceException extends Exception {
    private final boolean unreachable;

    public SourceException(String message, Throwable cause, boolean unreachable) {
        super(message, cause);
        this.unreachable = unreachable;
    }

    public SourceException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** True when the source itself could not be reached (as opposed to a query it rejected). */
    public boolean unreachable() {
        return unreachable;
    }
}
