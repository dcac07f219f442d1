package dev.ebb.cli;

/** The exit codes scripts can rely on. */
final class ExitCode {
    /** Everything went through. */
    static final int OK = 0;
    /** The run finished, but some rows were rejected, invalid or failed. */
    static final int ROWS_FAILED = 1;
    /** Invalid configuration or usage: fix the project or the command line. */
    static final int INVALID = 2;
    /** Could not run: a source, destination or the state store could not be used. */
    static final int UNAVAILABLE = 3;

    private ExitCode() {
    }
}
