package dev.ebb.core.state;

/** The state store cannot be used: locked by another process, damaged, not a state store, written by a newer Ebb. */
public final class StateException extends Exception {

    /** Why the store cannot be used, so that a command can say what to do about it. */
    public enum Kind {
        /** Anything else: the message says what failed. */
        FAILED,
        /** Another Ebb process has the store open for writing: wait for it to finish. */
        IN_USE,
        /** The file is a state store whose bytes are truncated or corrupted: restore it, or move it aside. */
        DAMAGED,
        /** The file is not an Ebb state store (another program's file): Ebb never writes or moves it. */
        FOREIGN,
        /** The file was written by a newer Ebb: upgrade. */
        NEWER,
        /** The disk (or the file-size limit) is full: free space, then run again. */
        DISK_FULL,
        /** The store's server cannot be reached (network, a stopped server, no such host): check the address. */
        UNREACHABLE,
        /** The store's server refused the sign-in, or a right Ebb needs (a missing schema it may not create). */
        DENIED
    }

    private final Kind kind;

    public StateException(String message, Throwable cause) {
        this(Kind.FAILED, message, cause);
    }

    public StateException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
