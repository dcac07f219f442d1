package dev.ebb.core.state;

/** The state store cannot be used: locked by another process, written by a newer Ebb, unreadable. */
public final class StateException extends Exception {
    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
