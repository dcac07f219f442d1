package dev.ebb.cli;

import dev.ebb.core.plan.SyncException;

/** Maps engine failures to exit codes. */
final class Failures {
    private Failures() {
    }

    static Session.Failure of(SyncException e) {
        return new Session.Failure(switch (e.kind()) {
            case INVALID -> ExitCode.INVALID;
            case UNAVAILABLE -> ExitCode.UNAVAILABLE;
        }, e.getMessage(), e);
    }
}
