package dev.ebb.cli;

import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ebb} command line. */
@Command(name = "ebb", mixinStandardHelpOptions = true, version = "ebb 0.1.0",
        description = "Keeps operational tools in sync with warehouse models: diffs each run against what was "
                + "delivered before and sends only the change, within each API's limits.",
        subcommands = {InitCommand.class, ValidateCommand.class, PlanCommand.class, RunCommand.class,
                RunsCommand.class, ApproveCommand.class, RejectCommand.class, ExplainCommand.class, ConflictsCommand.class, ResetCommand.class, SandboxCommand.class,
                ServeCommand.class, SchemaCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the run finished with rejected, invalid or failed rows",
                "2:invalid configuration or usage", "3:could not run (source, destination or state unreachable)",
                "4:internal error, a bug in Ebb (--debug prints the stack trace)"})
public final class Ebb implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        NativeLibraryLeftovers.clean(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")),
                java.time.Instant.now());
        System.exit(execute(args, System.out, System.err, System.getenv()));
    }

    /** Runs the command line as {@code main} would, without exiting; for tests and the demo. */
    public static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        CommandLine cli = new CommandLine(new Ebb(), new Factory(out, err, env));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        // Usage errors (unknown option, missing argument) are exit code 2, like invalid configuration.
        cli.setParameterExceptionHandler((e, a) -> {
            String message = e.getMessage().replaceFirst("^Error: ", "");
            err.println("error: " + message);
            e.getCommandLine().usage(err);
            // --json promises one document on stdout in every outcome, a usage error included.
            if (java.util.Arrays.asList(a).contains("--json")) {
                out.println(Output.render(java.util.Map.of("error", message, "exit_code", ExitCode.INVALID)));
            }
            return ExitCode.INVALID;
        });
        return cli.execute(args);
    }

    /** Hands each command the streams and environment of this invocation. */
    private record Factory(PrintStream out, PrintStream err, Map<String, String> env) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            K instance = CommandLine.defaultFactory().create(type);
            if (instance instanceof BaseCommand command) command.bind(out, err, env);
            return instance;
        }
    }
}
