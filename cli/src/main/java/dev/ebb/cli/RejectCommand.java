package dev.ebb.cli;

import dev.ebb.core.plan.SyncException;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "reject", description = "Drop the plan a run held for approval; nothing is delivered, and the "
        + "decision is recorded in the run log.")
final class RejectCommand extends BaseCommand {
    @Parameters(paramLabel = "RUN", description = "The held run's number (see 'ebb runs').")
    long run;

    @Override
    int execute() throws Session.Failure {
        try (Session session = Session.open(options.project, Access.READ_WRITE, env)) {
            RunRecord rejected = session.engine.reject(run);
            if (output.json) output.json(RunsCommand.document(rejected));
            output.line("Run " + rejected.runId() + " of " + rejected.sync() + " rejected: nothing was delivered. "
                    + "Its next run plans again (and is held again if the model still crosses the guard).");
            return ExitCode.OK;
        } catch (SyncException e) {
            throw Failures.of(e);
        }
    }
}
