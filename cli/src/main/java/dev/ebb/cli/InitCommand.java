package dev.ebb.cli;

import dev.ebb.core.config.ProjectScaffold;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "init", description = "Create a new project (ebb.yaml, a model on a CSV file and a sync) in the "
        + "project folder; it runs as it is against a local HubSpot sandbox.")
final class InitCommand extends BaseCommand {
    @Override
    int execute() throws Session.Failure {
        Path root = options.project.toAbsolutePath().normalize();
        List<Path> written;
        try {
            written = ProjectScaffold.write(root);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new Session.Failure(ExitCode.INVALID, root + " already holds a project (it has an ebb.yaml); "
                    + "nothing was changed: choose an empty folder", e);
        } catch (IOException e) {
            throw new Session.Failure(ExitCode.UNAVAILABLE, "cannot write the project: " + e.getMessage(), e);
        }
        List<String> next = List.of(ProjectScaffold.SANDBOX_COMMAND + "   (leave it running)",
                "ebb run -p " + options.project + " churn_to_hubspot");
        if (output.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("created", root.toString());
            doc.put("files", written.stream().map(Path::toString).toList());
            doc.put("next", next);
            output.json(doc);
        }
        output.line("Created an Ebb project in " + root + ". It runs as it is against a local HubSpot sandbox:");
        next.forEach(command -> output.line("  " + command));
        output.line("Its README.md says how to point it at your HubSpot portal instead.");
        return ExitCode.OK;
    }
}
