package dev.ebb.cli;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.StateException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "runs", description = "The run history, newest first, with counts and durations; a run still going "
        + "shows what its commits delivered so far, even while it holds the state store.")
final class RunsCommand extends BaseCommand {
    @Parameters(paramLabel = "SYNC", arity = "0..1", description = "Only this sync's runs.")
    String sync;

    @Option(names = "--limit", defaultValue = "20", description = "How many runs (default 20).")
    int limit;

    @Override
    int execute() throws Session.Failure {
        try (Session session = Session.open(options.project, Access.READ_ONLY, env, true)) {
            if (sync != null && session.project.sync(sync).isEmpty()) {
                throw new Session.Failure(ExitCode.INVALID, "there is no sync named '" + sync + "'", null);
            }
            List<RunRecord> runs = session.state.runs(sync, limit);
            if (output.json) {
                output.json(Map.of("runs", runs.stream().map(RunsCommand::document).toList()));
                return ExitCode.OK;
            }
            if (runs.isEmpty()) {
                output.line("No runs yet.");
                return ExitCode.OK;
            }
            output.line(String.format("%-6s %-24s %-22s %-21s %9s %8s %8s %8s %8s %8s %7s %9s", "RUN", "SYNC",
                    "STARTED", "STATUS", "ADDED", "CHANGED", "REMOVED", "DELIVER", "REJECT", "INVALID", "FAILED",
                    "DURATION"));
            for (RunRecord r : runs) {
                output.line(String.format("%-6d %-24s %-22s %-21s %,9d %,8d %,8d %,8d %,8d %,8d %,7d %9s", r.runId(),
                        r.sync(), r.startedAt().toString().replaceFirst("\\.\\d+Z$", "Z"), r.status(), r.added(),
                        r.changed(), r.removed(), r.delivered(), r.rejected(), r.invalid(), r.failed(),
                        duration(r)));
            }
            return ExitCode.OK;
        } catch (StateException e) {
            throw new Session.Failure(ExitCode.UNAVAILABLE, "cannot read the run log: " + e.getMessage(), e);
        }
    }

    /** A live run's duration so far, marked with a '+'. */
    private static String duration(RunRecord r) {
        return String.format("%.1fs%s", duration(r, Instant.now()).toMillis() / 1000.0,
                r.finishedAt() == null ? "+" : "");
    }

    private static Duration duration(RunRecord r, Instant now) {
        return Duration.between(r.startedAt(), r.finishedAt() == null ? now : r.finishedAt());
    }

    static Map<String, Object> document(RunRecord r) {
        return dev.ebb.core.run.RunDocuments.run(r, Instant.now());
    }
}
