package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} on any command prints that command's usage and exits 0, without running it. */
class HelpOptionTest {

    @Test
    void sandboxHelpPrintsItsUsageInsteadOfUnknownOption() {
        Cli.Result result = Cli.ebb("sandbox", "hubspot", "--help");

        assertThat(result.err()).doesNotContain("Unknown option");
        assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(result.out()).contains("Usage: ebb sandbox").contains("--port");
    }

    @Test
    void everyCommandAndSubcommandTakesHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new Ebb()), new ArrayList<>(), paths);
        assertThat(paths).as("the commands found").hasSizeGreaterThan(10);

        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Cli.Result result = Cli.ebb(args.toArray(String[]::new));

            String command = String.join(" ", path);
            assertThat(result.exitCode()).as("ebb " + command + " --help exits 0; it said: " + result.err())
                    .isEqualTo(ExitCode.OK);
            assertThat(result.out()).as("ebb " + command + " --help").contains("Usage: ebb " + command);
        }
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandName().equals(name)) return; // an alias of a command already listed
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            paths.add(subPath);
            collect(sub, subPath, paths);
        });
    }
}
