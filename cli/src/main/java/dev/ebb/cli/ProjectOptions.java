package dev.ebb.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that works on a project shares. */
final class ProjectOptions {
    @Option(names = {"-p", "--project"}, paramLabel = "DIR", description = "The project folder (default: the "
            + "current folder).", defaultValue = ".")
    Path project;

    @Option(names = "--json", description = "Print one JSON document instead of text, for scripts.")
    boolean json;

    @Option(names = "--debug", description = "On an internal error, print its stack trace (secrets taken out).")
    boolean debug;
}
