package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.config.ProjectScaffold;
import dev.ebb.sandbox.SandboxProvider;
import dev.ebb.sandbox.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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

        // The sandbox with exactly the options the documented command gives; on a free port rather than 8089
        // (the one edit: another process may hold 8089).
        Map<String, String> options = new LinkedHashMap<>();
        for (String option : ProjectScaffold.SANDBOX_COMMAND.split(" -o ")) {
            if (option.contains("=") && !option.startsWith("ebb ")) {
                options.put(option.substring(0, option.indexOf('=')), option.substring(option.indexOf('=') + 1));
            }
        }
        assertThat(ProjectScaffold.SANDBOX_COMMAND).startsWith("ebb sandbox hubspot --port 8089");
        try (SandboxServer sandbox = SandboxProvider.find("hubspot").orElseThrow().start(0, options)) {
            Path config = root.resolve("ebb.yaml");
            Files.writeString(config, Files.readString(config).replace("http://127.0.0.1:8089", sandbox.baseUrl()));

            Cli.Result validate = Cli.ebb("validate", "-p", root.toString());
            Cli.Result run = Cli.ebb("run", "churn_to_hubspot", "-p", root.toString());

            assertThat(validate.exitCode()).as(validate.toString()).isEqualTo(ExitCode.OK);
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
            assertThat(run.out()).contains("3 delivered");
        }
    }
}
