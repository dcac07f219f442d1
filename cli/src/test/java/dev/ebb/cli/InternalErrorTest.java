package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A failure Ebb did not foresee has its own exit code and one line that says where to look, not a stack trace. */
class InternalErrorTest {

    @Command(name = "broken")
    static final class Broken extends BaseCommand {
        @Override
        int execute() {
            throw new IllegalStateException("unchecked message that might hold anything");
        }
    }

    private static Cli.Result broken(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Broken command = new Broken();
        command.bind(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), Map.of());
        int code = new CommandLine(command).execute(args);
        return new Cli.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnexpectedExceptionExitsWithTheInternalCodeAndOneLine() {
        Cli.Result result = broken();

        assertThat(result.exitCode()).isEqualTo(ExitCode.INTERNAL).isNotEqualTo(ExitCode.ROWS_FAILED);
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("error: internal error: IllegalStateException at dev.ebb.cli.InternalErrorTest$Broken")
                .contains("--debug").doesNotContain("unchecked message");
    }

    @Test
    void debugPrintsTheStackTraceAndJsonStillGetsOneDocument() throws Exception {
        Cli.Result debug = broken("--debug");
        Cli.Result json = broken("--json");

        assertThat(debug.exitCode()).isEqualTo(ExitCode.INTERNAL);
        assertThat(debug.err()).contains("java.lang.IllegalStateException").contains("\tat ");
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.path("exit_code").asInt()).isEqualTo(ExitCode.INTERNAL);
        assertThat(doc.path("error").asText()).startsWith("internal error: IllegalStateException");
    }
}
