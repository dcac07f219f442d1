package dev.ebb.cli;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.StateException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "reset", description = "Forget a sync's snapshot: its next run is a full sync.")
final class ResetCommand extends BaseCommand {
    @Parameters(paramLabel = "SYNC")
    String sync;

    @Override
    int execute() throws Session.Failure {
        try (Session session = Session.open(options.project, Access.READ_WRITE, env)) {
            if (session.project.sync(sync).isEmpty()) {
                throw new Session.Failure(ExitCode.INVALID, "there is no sync named '" + sync + "'", null);
            }
            long forgotten = session.state.reset(sync);
            if (output.json) output.json(Map.of("sync", sync, "forgotten", forgotten));
            output.line("Forgot " + forgotten + " snapshot entries of " + sync + "; its next run sends every row.");
            return ExitCode.OK;
        } catch (StateException e) {
            throw new Session.Failure(ExitCode.UNAVAILABLE, "cannot reset: " + e.getMessage(), e);
        }
    }
}
