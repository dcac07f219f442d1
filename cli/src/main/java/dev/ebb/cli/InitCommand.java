package dev.ebb.cli;

import dev.ebb.core.config.ProjectScaffold;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "init", description = "Create a new project (ebb.yaml, a model and a sync) in the project folder.")
final class InitCommand extends BaseCommand {
    @Override
    int execute() throws Session.Failure {
        Path root = options.project.toAbsolutePath().normalize();
        try {
            ProjectScaffold.write(root);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new Session.Failure(ExitCode.INVALID, root + " already holds a project (it has an ebb.yaml); "
                    + "nothing was changed: choose an empty folder", e);
        } catch (IOException e) {
            throw new Session.Failure(ExitCode.UNAVAILABLE, "cannot write the project: " + e.getMessage(), e);
        }
        if (output.json) output.json(Map.of("created", root.toString()));
        output.line("Created an Ebb project in " + root + ". Next: edit ebb.yaml, then 'ebb validate'.");
        return ExitCode.OK;
    }
}
