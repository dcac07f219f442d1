package dev.ebb.connector.jdbc.internal;

/**
 * Why a source could not be used, in the user's terms, each with what to check. Every one of them makes the run
 * stop as "could not run" (exit 3): the model may be right, the connection or the grants are not.
 */
public enum SqlProblem {
    /** The server could not be reached: refused, timed out, unknown host, TLS failed. */
    NETWORK("network", "check the host and port (or url) and that this machine can reach the server"),
    /** The server refused who we are. */
    AUTHENTICATION("authentication", "check the source's user and password (or key, or token)"),
    /** Signed in, but the role may not read what the model reads. */
    PERMISSION("permission", "grant the source's user USAGE on the schema and SELECT on the model's tables"),
    /** The database (or catalog, project) of the settings does not exist or cannot be seen. */
    MISSING_DATABASE("missing database", "check the database name in the source's settings"),
    /** The schema (dataset) of the settings or of the model does not exist or cannot be seen. */
    MISSING_SCHEMA("missing schema", "check schema: in the source's settings, or the schema the model names"),
    /** A table or view the model reads does not exist or cannot be seen. */
    MISSING_TABLE("missing table", "check the table names in the model (and schema: in the source's settings)");

    private final String label;
    private final String fix;

    SqlProblem(String label, String fix) {
        this.label = label;
        this.fix = fix;
    }

    /** A few words for the message: {@code authentication}. */
    public String label() {
        return label;
    }

    /** What the user should check or change. */
    public String fix() {
        return fix;
    }
}
