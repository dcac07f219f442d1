package dev.ebb.cli;

/** The exit codes scripts can rely on (README.md, "The CLI"). */
final class ExitCode {
    /** Everything went through. */
    static final int OK = 0;
    /** The run finished, but some rows were rejected, invalid or failed. */
    static final int ROWS_FAILED = 1;
    /** Invalid configuration or usage: fix the project or the command line. */
    static final int INVALID = 2;
    /** Could not run: a source, destination or the state store could not be used. */
    static final int UNAVAILABLE = 3;
    /** An internal error: a bug in Ebb, not in the project (--debug prints the stack trace). */
    static final int INTERNAL = 4;

    private ExitCode() {
    }
}
