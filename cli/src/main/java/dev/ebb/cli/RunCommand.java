package dev.ebb.cli;

import dev.ebb.core.plan.SyncException;
import dev.ebb.core.run.Progress;
import dev.ebb.core.run.RunKind;
import dev.ebb.core.run.RunReport;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "Run a sync (or every sync with --all): plan, deliver, commit.")
final class RunCommand extends BaseCommand {
    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Parameters(paramLabel = "SYNC", description = "The sync to run.")
        String sync;

        @picocli.CommandLine.Option(names = "--all", description = "Run every sync of the project, one after another.")
        boolean all;
    }

    @picocli.CommandLine.Option(names = "--replace", description = "Replace the audience's membership with every "
            + "row of the model, in one replace (mode add_remove, on objects that can be replaced as a whole).")
    boolean replace;

    @Override
    int execute() throws Session.Failure, InterruptedException {
        if (replace && target.all) {
            output.error("--replace replaces one audience: name its sync instead of --all");
            return ExitCode.INVALID;
        }
        RunKind kind = replace ? RunKind.REPLACE : RunKind.CHANGES;
        try (Session session = Session.open(options.project, Access.READ_WRITE, env)) {
            List<String> syncs = target.all ? List.copyOf(session.project.syncs().keySet()) : List.of(target.sync);
            int worst = ExitCode.OK;
            List<Object> documents = new ArrayList<>();
            for (String sync : syncs) {
                ProgressLine progress = session.report(new ProgressLine(err, terminal(), sync));
                try {
                    RunReport report = session.engine.run(sync, kind, options.json ? Progress.NONE : progress);
                    progress.done();
                    report.warnings().forEach(output::warn);
                    worst = Math.max(worst, exitCode(report));
                    documents.add(document(report));
                    print(report, output);
                } catch (SyncException e) {
                    // One sync's failure never blocks another: report it and go on with the rest.
                    progress.done();
                    Session.Failure failure = Failures.of(e);
                    output.error(sync + ": " + e.getMessage());
                    documents.add(Map.of("sync", sync, "error", e.getMessage(), "exit_code", failure.exitCode));
                    worst = Math.max(worst, failure.exitCode);
                }
            }
            if (output.json) output.json(target.all ? Map.of("runs", documents) : documents.getFirst());
            return worst;
        }
    }

    /** Prints one run's report (unless --json) and says which exit code it deserves. */
    static int report(RunReport report, Output output) {
        report.warnings().forEach(output::warn);
        if (output.json) output.json(document(report));
        else print(report, output);
        return exitCode(report);
    }

    static int exitCode(RunReport report) {
        return report.unreachable() ? ExitCode.UNAVAILABLE : report.clean() ? ExitCode.OK : ExitCode.ROWS_FAILED;
    }

    private static void print(RunReport report, Output output) {
        RunRecord r = report.record();
        Duration took = Duration.between(r.startedAt(), r.finishedAt());
        output.line(String.format("Run %d of %s: %s in %.1f s", r.runId(), r.sync(), r.status(),
                took.toMillis() / 1000.0));
        output.line(String.format("  planned: %,d added, %,d changed, %,d removed, %,d unchanged, %,d invalid",
                r.added(), r.changed(), r.removed(), r.unchanged(), r.invalid()));
        output.line(String.format("  outcome: %,d delivered, %,d rejected, %,d failed, %,d skipped",
                r.delivered(), r.rejected(), r.failed(), r.skipped()));
        output.line(String.format("  API calls: %,d (throttled %,d, retried %,d%s)", r.apiCalls(), r.throttles(),
                r.retries(), r.readCalls() > 0 ? String.format(", %,d to read current values back", r.readCalls())
                        : ""));
        if (r.conflicts() > 0) {
            output.line(String.format("  conflicts: %,d fields a person changed were kept (see 'ebb conflicts %s')",
                    r.conflicts(), r.sync()));
        }
        for (String problem : report.problems()) output.line("  " + problem);
        if (r.message() != null && r.status() != RunStatus.SUCCEEDED) output.line("  " + r.message());
    }

    static Map<String, Object> document(RunReport report) {
        RunRecord r = report.record();
        Map<String, Object> doc = RunsCommand.document(r);
        doc.put("warnings", report.warnings());
        doc.put("problems", report.problems());
        return doc;
    }
}
