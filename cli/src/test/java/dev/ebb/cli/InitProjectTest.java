package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.config.ProjectScaffold;
import dev.ebb.sandbox.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ebb init} makes a project that runs as it is against the sandbox it names. */
class InitProjectTest {
    @TempDir
    Path root;

    @Test
    void theNewProjectRunsAgainstTheSandboxStartedAsItsReadmeSays() throws Exception {
        assertThat(Cli.ebb("init", "-p", root.toString()).exitCode()).isEqualTo(ExitCode.OK);
        String readme = Files.readString(root.resolve("README.md"));
        assertThat(readme).contains(ProjectScaffold.SANDBOX_COMMAND).contains("delete the `base_url` line");

        assertThat(ProjectScaffold.SANDBOX_COMMAND).startsWith("ebb sandbox hubspot --port 8089");
        try (SandboxServer sandbox = Cli.sandbox(ProjectScaffold.SANDBOX_COMMAND)) {
            Cli.pointAt(root, sandbox.baseUrl());

            Cli.Result validate = Cli.ebb("validate", "-p", root.toString());
            Cli.Result run = Cli.ebb("run", "churn_to_hubspot", "-p", root.toString());

            assertThat(validate.exitCode()).as(validate.toString()).isEqualTo(ExitCode.OK);
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
            assertThat(run.out()).contains("3 delivered");
        }
    }
}
