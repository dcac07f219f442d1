package dev.ebb.cli;

import dev.ebb.core.config.ConfigException;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.run.StateStores;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "reset", description = "Forget a sync's snapshot: its next run is a full sync. A damaged state store "
        + "is moved aside (kept beside it) and a new one started.")
final class ResetCommand extends BaseCommand {
    @Parameters(paramLabel = "SYNC")
    String sync;

    @Override
    int execute() throws Session.Failure {
        ProjectConfig project = Session.load(options.project);
        if (project.sync(sync).isEmpty()) {
            throw new Session.Failure(ExitCode.INVALID, "there is no sync named '" + sync + "'", null);
        }
        Path stateFile = Session.stateFile(project);
        Path movedAside = null;
        long forgotten;
        try {
            forgotten = reset(project);
        } catch (StateException e) {
            // Damage shows when the store opens (a header, a truncation) or when a block is read (the reset's fold);
            // only the embedded store's file is ever damaged.
            if (e.kind() != StateException.Kind.DAMAGED || stateFile == null) {
                throw new Session.Failure(ExitCode.UNAVAILABLE, "cannot reset: " + e.getMessage(), e);
            }
            try {
                movedAside = DuckDbStateStore.moveAside(stateFile, Instant.now());
                forgotten = reset(project);
            } catch (StateException again) {
                throw new Session.Failure(ExitCode.UNAVAILABLE, "cannot reset: " + again.getMessage(), again);
            }
        }
        if (output.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("sync", sync);
            doc.put("forgotten", forgotten);
            doc.put("damaged_store_moved_to", movedAside == null ? null : movedAside.toString());
            output.json(doc);
        }
        if (movedAside != null) {
            output.line("The state store was damaged: it is now " + movedAside + " (restore it from there, or "
                    + "delete it once you no longer need its history). A new state store was started, so every "
                    + "sync's next run sends every row; upserts match the records already there.");
        } else {
            output.line("Forgot " + forgotten + " snapshot entries of " + sync + "; its next run sends every "
                    + "row.");
        }
        return ExitCode.OK;
    }

    private long reset(ProjectConfig project) throws StateException, Session.Failure {
        try (StateStore state = StateStores.open(project, Access.READ_WRITE, env)) {
            return state.reset(sync);
        } catch (ConfigException e) {
            throw new Session.Failure(ExitCode.INVALID, "the state store's settings cannot be resolved:\n"
                    + e.getMessage(), e);
        }
    }
}
