package dev.ebb.cli;

import dev.ebb.core.config.ConfigProblem;
import dev.ebb.core.config.LoadedProject;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.state.Access;
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

    private List<String> fileWarnings = List.of();

    @Override
    int execute() throws Session.Failure, InterruptedException {
        // The files are loaded once more than a session needs, for their warnings: a session keeps none.
        LoadedProject loaded = Session.loadWithWarnings(options.project);
        fileWarnings = loaded.warnings().stream().map(ConfigProblem::toString).toList();
        fileWarnings.forEach(output::warn);
        if (offline) {
            ProjectConfig project = loaded.project();
            Map<String, Object> syncs = new LinkedHashMap<>();
            for (String sync : project.syncs().keySet()) syncs.put(sync, entry(true, false, List.of(), null));
            report(project.syncs().size(), syncs, true);
            return ExitCode.OK;
        }
        try (Session session = Session.open(options.project, Access.READ_ONLY, env)) {
            Map<String, Object> syncs = new LinkedHashMap<>();
            int worst = ExitCode.OK;
            for (String sync : session.project.syncs().keySet()) {
                try {
                    List<String> warnings = session.engine.check(sync);
                    warnings.forEach(output::warn);
                    syncs.put(sync, entry(true, true, warnings, null));
                } catch (SyncException e) {
                    Session.Failure failure = Failures.of(e);
                    output.error(sync + ": " + e.getMessage());
                    syncs.put(sync, entry(false, true, List.of(), e.getMessage()));
                    worst = Math.max(worst, failure.exitCode);
                }
            }
            report(session.project.syncs().size(), syncs, worst == ExitCode.OK);
            return worst;
        }
    }

    /** One sync's entry of the --json document: the same keys online and --offline (docs/json/validate). */
    private static Map<String, Object> entry(boolean ok, boolean checked, List<String> warnings, String error) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("ok", ok);
        entry.put("checked", checked);
        entry.put("warnings", warnings);
        entry.put("error", error);
        return entry;
    }

    @Override
    Map<String, Object> errorDocument(String message, int exitCode) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("valid", false);
        doc.putAll(super.errorDocument(message, exitCode));
        return doc;
    }

    private void report(int syncCount, Map<String, Object> syncs, boolean valid) {
        if (output.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("valid", valid);
            doc.put("checked", !offline);
            doc.put("syncs", syncs);
            doc.put("warnings", fileWarnings);
            output.json(doc);
        } else if (!valid) {
            output.line("The project's files are valid, but some syncs do not fit their source or destination "
                    + "(see the errors above).");
        } else {
            output.line("The project is valid (" + syncCount + " sync" + (syncCount == 1 ? "" : "s") + ")"
                    + (offline ? "; connections were not checked (--offline)." : "."));
        }
    }
}
