package dev.ebb.core.plan;

/**
 * A sync could not run. {@link Kind} decides the CLI's exit code: a problem the user must fix in the project (2),
 * or a source, destination or state store that could not be used (3).
 */
public final class SyncException extends Exception {
    public enum Kind {
        /** The project or the sync is wrong: fix the configuration or the model. */
        INVALID,
        /** Something the sync needs could not be reached or used. */
        UNAVAILABLE
    }

    private final Kind kind;

    public SyncException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public SyncException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
