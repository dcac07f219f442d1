package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} on any command prints that command's usage and exits 0, without running it. */
class HelpOptionTest {

    private record Result(int exitCode, String out, String err) {
    }

    private static Result ebb(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Ebb.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sandboxHelpPrintsItsUsageInsteadOfUnknownOption() {
        Result result = ebb("sandbox", "hubspot", "--help");

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
            Result result = ebb(args.toArray(String[]::new));

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
