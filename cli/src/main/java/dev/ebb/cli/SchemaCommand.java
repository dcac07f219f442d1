package dev.ebb.cli;

import dev.ebb.core.config.ProjectSchema;
import picocli.CommandLine.Command;

@Command(name = "schema", description = "Print the JSON Schema of the project format (for editors).")
final class SchemaCommand extends BaseCommand {
    @Override
    int execute() {
        out.println(ProjectSchema.json());
        return ExitCode.OK;
    }
}
