package dev.ebb.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What every command shares: the project options, the streams, and turning failures into exit codes. */
abstract class BaseCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions options;

    // Declared here so that every command, present and future, answers --help with its usage and exit code 0.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    PrintStream out = System.out;
    PrintStream err = System.err;
    Map<String, String> env = System.getenv();
    Output output;

    void bind(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    @Override
    public final Integer call() {
        output = new Output(options.json, out, err);
        try {
            return execute();
        } catch (Session.Failure e) {
            output.error(e.getMessage());
            return e.exitCode;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            output.error("interrupted");
            return ExitCode.UNAVAILABLE;
        }
    }

    abstract int execute() throws Session.Failure, InterruptedException;

    boolean terminal() {
        return System.console() != null && out == System.out;
    }
}
