package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.sandbox.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project the demo leaves behind says its sandbox is gone, and how to start one it runs against again. */
class DemoProjectTest {
    @TempDir
    Path root;

    @Test
    void theLeftProjectRunsAgainAgainstTheSandboxTheDemoNames() throws Exception {
        Cli.Result demo = Cli.ebb("demo", "--rows", "200", "--changes", "5", "--dir", root.toString());
        assertThat(demo.exitCode()).as(demo.toString()).isEqualTo(ExitCode.OK);
        assertThat(demo.out()).contains("Its sandbox stops with the demo");
        Matcher command = Pattern.compile("\\./ebb (sandbox hubspot --port \\d+ .*)").matcher(demo.out());
        assertThat(command.find()).as(demo.out()).isTrue();
        assertThat(Files.readString(root.resolve("ebb.yaml"))).contains("gone once the demo ended")
                .contains(command.group(1).substring("sandbox ".length()));

        try (SandboxServer sandbox = Cli.sandbox(command.group(1))) {
            Cli.pointAt(root, sandbox.baseUrl());
            Cli.Result again = Cli.ebb("run", "-p", root.toString(), "churn_to_hubspot");

            assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCode.OK);
        }
    }
}
