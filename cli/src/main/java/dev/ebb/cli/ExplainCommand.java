package dev.ebb.cli;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.LoggedOutcome;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.SnapshotEntry;
import dev.ebb.core.state.StateException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "explain", description = "Why a row was or was not sent: its fingerprint history, last outcome "
        + "and snapshot entry.")
final class ExplainCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "SYNC")
    String sync;

    @Parameters(index = "1", paramLabel = "KEY", description = "The row's key (composite keys: values joined by "
            + "commas).")
    String key;

    @Override
    int execute() throws Session.Failure {
        try (Session session = Session.open(options.project, Access.READ_ONLY, env)) {
            if (session.project.sync(sync).isEmpty()) {
                throw new Session.Failure(ExitCode.INVALID, "there is no sync named '" + sync + "'", null);
            }
            String stored = key.contains(",") && session.project.syncs().get(sync).key().size() > 1
                    ? key.replace(',', '\u001F') : key;
            Optional<SnapshotEntry> entry = session.state.snapshotEntry(sync, stored);
            List<LoggedOutcome> history = session.state.outcomes(sync, stored, 20);
            List<RunRecord> runs = session.state.runs(sync, 1);
            String why = dev.ebb.core.run.RunDocuments.why(entry, history, runs);
            List<dev.ebb.core.state.Conflict> conflicts = session.state.conflicts(sync, stored);
            if (output.json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("sync", sync);
                doc.put("key", key);
                doc.put("snapshot", entry.orElse(null));
                doc.put("history", history.stream().map(dev.ebb.core.run.RunDocuments::outcome).toList());
                doc.put("explanation", why);
                doc.put("conflicts", conflicts.stream().map(ConflictsCommand::document).toList());
                output.json(doc);
                return ExitCode.OK;
            }
            output.line("Row " + key + " of sync " + sync);
            output.line(entry.map(e -> "  snapshot: fingerprint " + e.fingerprint() + ", destination id "
                    + e.destinationId() + ", delivered by run " + e.runId())
                    .orElse("  snapshot: no entry (never delivered, removed, or reset)"));
            if (history.isEmpty()) output.line("  history: never planned (unchanged in every run since delivery)");
            for (LoggedOutcome o : history) {
                output.line("  run " + o.runId() + ": " + o.change() + " -> " + (o.operation() == null ? "no call"
                        : o.operation()) + ", " + o.outcome() + (o.reason() == null ? "" : " (" + o.reason() + ")")
                        + (o.fingerprint() == null ? "" : ", fingerprint " + o.fingerprint()));
            }
            output.line("  why: " + why);
            for (dev.ebb.core.state.Conflict c : conflicts) {
                output.line("  conflict on " + c.field() + " (" + c.status() + (c.resolution() == null ? ""
                        : ", took the " + c.resolution() + " value") + "): a person set '" + c.destinationValue()
                        + "', the warehouse says '" + c.warehouseValue() + "'");
            }
            return ExitCode.OK;
        } catch (StateException e) {
            throw new Session.Failure(ExitCode.UNAVAILABLE, "cannot read the run log: " + e.getMessage(), e);
        }
    }
}
