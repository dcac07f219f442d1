package dev.ebb.cli;

import dev.ebb.core.plan.PlanReport;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.state.Access;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", description = "Dry run: show what a run would send (counts and sample payloads). "
        + "Writes nothing anywhere.")
final class PlanCommand extends BaseCommand {
    @Parameters(paramLabel = "SYNC", description = "The sync to plan.")
    String sync;

    @Option(names = "--samples", defaultValue = "3", description = "Sample payloads per kind of change (default 3).")
    int samples;

    @Override
    int execute() throws Session.Failure, InterruptedException {
        try (Session session = Session.open(options.project, Access.READ_ONLY, env)) {
            ProgressLine progress = session.report(new ProgressLine(err, terminal(), sync));
            PlanReport plan = session.engine.plan(sync, samples, options.json ? dev.ebb.core.run.Progress.NONE
                    : progress);
            progress.done();
            plan.warnings().forEach(output::warn);
            if (output.json) {
                output.json(dev.ebb.core.run.RunDocuments.plan(plan));
            } else {
                var c = plan.counts();
                output.line("Plan for " + plan.sync() + ": " + c.rows() + " rows in the model");
                output.line(String.format("  %,d added, %,d changed, %,d removed, %,d unchanged, %,d invalid",
                        c.added(), c.changed(), c.removed(), c.unchanged(), c.invalid()));
                for (PlanReport.Sample s : plan.samples()) {
                    output.line("  " + s.change() + " " + s.key() + " -> " + s.operation() + " " + s.fields());
                }
                for (PlanReport.Invalid i : plan.invalid()) output.line("  invalid " + i.key() + ": " + i.reason());
                if (plan.guardBreach() != null) {
                    output.line("GUARD: " + plan.guardBreach() + ".");
                    output.line("  'ebb run " + plan.sync() + "' will hold this plan for approval instead of "
                            + "delivering it; then 'ebb approve RUN' delivers it or 'ebb reject RUN' drops it.");
                }
                output.line("Nothing was sent or written (" + plan.apiCalls() + " API call to read the schema).");
            }
            return ExitCode.OK;
        } catch (SyncException e) {
            throw Failures.of(e);
        }
    }
}
