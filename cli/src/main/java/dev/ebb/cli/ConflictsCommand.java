package dev.ebb.cli;

import dev.ebb.core.plan.SyncException;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.ConflictStatus;
import dev.ebb.core.state.Resolution;
import dev.ebb.core.state.StateException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "conflicts", description = "Fields a person changed in the destination that Ebb kept instead of "
        + "overwriting (policy respect_manual_edits).", subcommands = ConflictsCommand.Resolve.class)
final class ConflictsCommand extends BaseCommand {
    @Parameters(paramLabel = "SYNC", arity = "0..1", description = "Only this sync's conflicts.")
    String sync;

    @Option(names = "--all", description = "Resolved conflicts too.")
    boolean all;

    @Override
    int execute() throws Session.Failure {
        try (Session session = Session.open(options.project, Access.READ_ONLY, env)) {
            if (sync != null && session.project.sync(sync).isEmpty()) {
                throw new Session.Failure(ExitCode.INVALID, "there is no sync named '" + sync + "'; the project "
                        + "has: " + String.join(", ", session.project.syncs().keySet()), null);
            }
            List<Conflict> conflicts = all ? session.state.conflicts(sync, null) : session.state.openConflicts(sync, null);
            if (output.json) {
                output.json(Map.of("conflicts", conflicts.stream().map(ConflictsCommand::document).toList()));
                return ExitCode.OK;
            }
            if (conflicts.isEmpty()) {
                output.line(all ? "No conflicts." : "No open conflicts.");
                return ExitCode.OK;
            }
            for (Conflict c : conflicts) {
                output.line(c.sync() + " " + c.key() + " " + c.field() + (c.status() == ConflictStatus.OPEN ? ""
                        : " (resolved: took the " + c.resolution() + " value)"));
                output.line("  Ebb's last value: " + (c.baseHash() == null ? "none (Ebb never wrote this field)"
                        : "sha256 " + c.baseHash().substring(0, 12) + "… (Ebb keeps hashes, not values)"));
                output.line("  person's value:   " + c.destinationValue());
                output.line("  warehouse value:  " + c.warehouseValue());
            }
            output.line("Resolve one with: ebb conflicts resolve SYNC KEY FIELD --take warehouse|destination");
            return ExitCode.OK;
        } catch (StateException e) {
            throw new Session.Failure(ExitCode.UNAVAILABLE, "cannot read the conflicts: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> document(Conflict c) {
        return dev.ebb.core.run.RunDocuments.conflict(c);
    }

    @Command(name = "resolve", description = "Settle a conflict: take the warehouse value (written now) or keep the "
            + "destination's (the person's) value.")
    static final class Resolve extends BaseCommand {
        @Parameters(index = "0", paramLabel = "SYNC")
        String sync;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Parameters(index = "2", paramLabel = "FIELD")
        String field;

        @Option(names = "--take", required = true, paramLabel = "warehouse|destination",
                description = "Whose value wins.")
        String take;

        @Override
        int execute() throws Session.Failure, InterruptedException {
            if (!take.equals("warehouse") && !take.equals("destination")) {
                throw new Session.Failure(ExitCode.INVALID, "--take must be warehouse or destination, not '" + take
                        + "'", null);
            }
            try (Session session = Session.open(options.project, Access.READ_WRITE, env)) {
                Conflict resolved = session.engine.resolve(sync, key, field, Resolution.of(take));
                if (output.json) output.json(document(resolved));
                output.line("Resolved: " + key + " " + field + " keeps the " + take + " value ("
                        + (take.equals("warehouse") ? resolved.warehouseValue() + ", written now"
                        : resolved.destinationValue()) + ").");
                return ExitCode.OK;
            } catch (SyncException e) {
                throw Failures.of(e);
            }
        }
    }
}
