package dev.ebb.core.state;

/** How a command opens the state store. */
public enum Access {
    /** Runs, resets and resolutions: the store is created if missing, and one process at a time may write. */
    READ_WRITE,
    /**
     * Commands that only look ({@code plan}, {@code runs}, {@code explain}): nothing is ever written, and a missing
     * store opens as an empty one.
     */
    READ_ONLY
}
