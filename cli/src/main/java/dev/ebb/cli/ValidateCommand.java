package dev.ebb.cli;

import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.state.Access;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "validate", description = "Check the whole project; then, unless --offline, check each sync "
        + "against its source (columns) and destination (object, fields).")
final class ValidateCommand extends BaseCommand {
    @Option(names = "--offline", description = "Check the files only; connect to nothing.")
    boolean offline;

    @Override
    int execute() throws Session.Failure, InterruptedException {
        if (offline) {
            ProjectConfig project = Session.load(options.project);
            report(project.syncs().size(), Map.of(), true);
            return ExitCode.OK;
        }
        try (Session session = Session.open(options.project, Access.READ_ONLY, env)) {
            Map<String, Object> syncs = new LinkedHashMap<>();
            int worst = ExitCode.OK;
            for (String sync : session.project.syncs().keySet()) {
                try {
                    List<String> warnings = session.engine.check(sync);
                    warnings.forEach(output::warn);
                    syncs.put(sync, Map.of("ok", true, "warnings", warnings));
                } catch (SyncException e) {
                    Session.Failure failure = Failures.of(e);
                    output.error(e.getMessage());
                    syncs.put(sync, Map.of("ok", false, "error", e.getMessage()));
                    worst = Math.max(worst, failure.exitCode);
                }
            }
            report(session.project.syncs().size(), syncs, worst == ExitCode.OK);
            return worst;
        }
    }

    private void report(int syncCount, Map<String, Object> syncs, boolean valid) {
        if (output.json) {
            output.json(Map.of("valid", valid, "syncs", syncs.isEmpty() ? new ArrayList<>() : syncs));
        } else if (!valid) {
            output.line("The project's files are valid, but some syncs do not fit their source or destination "
                    + "(see the errors above).");
        } else {
            output.line("The project is valid (" + syncCount + " sync" + (syncCount == 1 ? "" : "s") + ")"
                    + (offline ? "; connections were not checked (--offline)." : "."));
        }
    }
}
