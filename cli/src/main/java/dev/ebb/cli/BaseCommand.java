package dev.ebb.cli;

import dev.ebb.core.config.ConfigException;
import dev.ebb.core.config.ConnectorCatalog;
import dev.ebb.core.config.ProjectLoader;
import dev.ebb.core.config.Redaction;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        output = new Output(options.json, out, err, this::redaction);
        try {
            return execute();
        } catch (Session.Failure e) {
            return fail(e.getMessage(), e.exitCode);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted", ExitCode.UNAVAILABLE);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            // Also a native library that would not load, or a recursion gone wrong: Ebb's fault, not the project's.
            return internalError(e);
        }
    }

    abstract int execute() throws Session.Failure, InterruptedException;

    /** The error on stderr and, with --json, as the command's one document on stdout (unless it printed one). */
    private int fail(String message, int exitCode) {
        output.error(message);
        if (output.json && !output.documentPrinted()) output.json(errorDocument(message, exitCode));
        return exitCode;
    }

    /**
     * A failure Ebb did not foresee: a bug, not the project's fault. One line that says where to look; its own
     * message is left out (it was never checked for what it may show), the trace only with --debug.
     */
    private int internalError(Throwable e) {
        StackTraceElement where = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
        String message = "internal error: " + e.getClass().getSimpleName()
                + (where == null ? "" : " at " + where.getClassName() + "." + where.getMethodName() + "("
                + where.getFileName() + ":" + where.getLineNumber() + ")")
                + ". This is a bug in Ebb, not in your project: " + (options.debug
                ? "the stack trace follows; please report it."
                : "run the command again with --debug for the stack trace, and report it.");
        int code = fail(message, ExitCode.INTERNAL);
        if (options.debug) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(output.redact(trace.toString()));
        }
        return code;
    }

    /** The {@code --json} document of a failed command: {@code error} and {@code exit_code} (docs/json/). */
    Map<String, Object> errorDocument(String message, int exitCode) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("error", message);
        doc.put("exit_code", exitCode);
        return doc;
    }

    /** What to take out of everything printed: the resolved settings of the project, when there is one. */
    private Redaction redaction() {
        Path dir = options.project.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("ebb.yaml"))) return Redaction.NONE;
        try {
            ConnectorCatalog catalog = ConnectorCatalog.fromServiceLoader();
            return Redaction.of(ProjectLoader.load(dir, catalog), catalog, env);
        } catch (ConfigException | RuntimeException e) {
            return Redaction.NONE; // an invalid project was never resolved, so nothing of it was resolved to print
        }
    }

    boolean terminal() {
        return System.console() != null && out == System.out;
    }
}
