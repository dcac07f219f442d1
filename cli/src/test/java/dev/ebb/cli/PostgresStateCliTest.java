package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.config.ProjectScaffold;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.postgres.PostgresStateStore;
import dev.ebb.sandbox.SandboxServer;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The commands over a project whose state lives in PostgreSQL. */
class PostgresStateCliTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();
    private static final String PASSWORD = "s3cret-of-the-state";

    @TempDir
    Path root;

    private Map<String, String> env() {
        return Map.of("EBB_STATE_PASSWORD", PASSWORD);
    }

    private void usePostgres(String user, String password) throws Exception {
        Path config = root.resolve("ebb.yaml");
        Files.writeString(config, Files.readString(config).replaceAll("(?m)^state: .*$", Matcher.quoteReplacement(
                "state: { store: postgres, url: \"" + POSTGRES.jdbcUrl(EmbeddedPostgresExtension.DEFAULT_DATABASE)
                        + "\", user: " + user + ", password: \"" + password + "\", schema: team }")));
    }

    @Test
    void runsPlansExplainsAndResetsWithTheStateInPostgresWhileARunHoldsTheSync() throws Exception {
        POSTGRES.createRole("ebb_cli", PASSWORD);
        POSTGRES.execute(EmbeddedPostgresExtension.DEFAULT_DATABASE, "GRANT CREATE ON DATABASE postgres TO ebb_cli");
        assertThat(Cli.ebb("init", "-p", root.toString()).exitCode()).isEqualTo(ExitCode.OK);
        usePostgres("ebb_cli", "${env:EBB_STATE_PASSWORD}");
        String project = root.toString();
        try (SandboxServer sandbox = Cli.sandbox(ProjectScaffold.SANDBOX_COMMAND)) {
            Cli.pointAt(root, sandbox.baseUrl());

            Cli.Result run = Cli.ebb(env(), "run", "churn_to_hubspot", "-p", project);
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
            assertThat(run.out()).contains("3 delivered");
            assertThat(root.resolve(".ebb")).as("nothing of the state in the project").doesNotExist();

            // Another process holds the sync (a worker mid-run): plan, runs and explain still answer; a run waits.
            try (PostgresStateStore worker = PostgresStateStore.open(
                    POSTGRES.jdbcUrl(EmbeddedPostgresExtension.DEFAULT_DATABASE), "ebb_cli", PASSWORD, "team",
                    Access.READ_WRITE)) {
                worker.lock("churn_to_hubspot");
                Cli.Result plan = Cli.ebb(env(), "plan", "churn_to_hubspot", "-p", project);
                assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCode.OK);
                assertThat(plan.out()).contains("3 unchanged");
                Cli.Result explain = Cli.ebb(env(), "explain", "churn_to_hubspot", "ada@example.com", "-p", project);
                assertThat(explain.exitCode()).as(explain.toString()).isEqualTo(ExitCode.OK);
                Cli.Result runs = Cli.ebb(env(), "runs", "-p", project);
                assertThat(runs.exitCode()).as(runs.toString()).isEqualTo(ExitCode.OK);
                assertThat(runs.out()).contains("succeeded");
                Cli.Result second = Cli.ebb(env(), "run", "churn_to_hubspot", "-p", project);
                assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCode.UNAVAILABLE);
                assertThat(second.all()).contains("is running in another Ebb process");
            }

            Cli.Result reset = Cli.ebb(env(), "reset", "churn_to_hubspot", "-p", project);
            assertThat(reset.exitCode()).as(reset.toString()).isEqualTo(ExitCode.OK);
            assertThat(reset.out()).contains("Forgot 3 snapshot entries");
        }
    }

    @Test
    void aRefusedSignInEndsWithExitThreeAndNeverShowsThePassword() throws Exception {
        POSTGRES.createRole("ebb_other", "the-right-one");
        assertThat(Cli.ebb("init", "-p", root.toString()).exitCode()).isEqualTo(ExitCode.OK);
        usePostgres("ebb_other", "${env:EBB_STATE_PASSWORD}");

        Cli.Result plan = Cli.ebb(env(), "plan", "churn_to_hubspot", "-p", root.toString());
        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(plan.all()).contains("refused the sign-in of user 'ebb_other'").doesNotContain(PASSWORD);

        Cli.Result unset = Cli.ebb(Map.of(), "runs", "-p", root.toString());
        assertThat(unset.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(unset.all()).contains("environment variable EBB_STATE_PASSWORD is not set");
    }
}
