package dev.ebb.cli;

import dev.ebb.core.plan.SyncException;
import dev.ebb.core.run.Progress;
import dev.ebb.core.run.RunReport;
import dev.ebb.core.state.Access;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "approve", description = "Deliver the plan a run held for approval (the blast-radius guard). The "
        + "model is planned again and must give the same plan.")
final class ApproveCommand extends BaseCommand {
    @Parameters(paramLabel = "RUN", description = "The held run's number (see 'ebb runs').")
    long run;

    @Override
    int execute() throws Session.Failure, InterruptedException {
        try (Session session = Session.open(options.project, Access.READ_WRITE, env)) {
            ProgressLine progress = session.report(new ProgressLine(err, terminal(), "run " + run));
            RunReport report = session.engine.approve(run, options.json ? Progress.NONE : progress);
            progress.done();
            return RunCommand.report(report, output);
        } catch (SyncException e) {
            throw Failures.of(e);
        }
    }
}
