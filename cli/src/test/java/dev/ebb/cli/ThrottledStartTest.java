package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run throttled from its first call says it is waiting and why, and its duration includes the wait. */
class ThrottledStartTest {
    @TempDir
    Path root;

    @Test
    void theProgressSaysItWaitsAndTheSummaryCountsTheWait() throws Exception {
        try (HubSpotSandbox sandbox = HubSpotSandbox.builder()
                .property("contacts", HubSpotProperty.of("churn_risk_score", "number")).build()) {
            sandbox.start();
            Cli.hubspotProject(root, "token: sandbox-token", "base_url: " + sandbox.baseUrl());
            sandbox.inject(Fault.throttle(1)); // the schema read, the run's first call

            Cli.Result run = Cli.ebb("run", "churn", "-p", root.toString());

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
            Matcher waited = Pattern.compile("churn waiting (\\d+\\.\\d) s: throttled by the destination")
                    .matcher(run.err());
            assertThat(waited.find()).as(run.err()).isTrue();
            Matcher took = Pattern.compile("Run \\d+ of churn: succeeded in (\\d+\\.\\d) s").matcher(run.out());
            assertThat(took.find()).as(run.out()).isTrue();
            assertThat(Double.parseDouble(took.group(1))).isGreaterThanOrEqualTo(Double.parseDouble(waited.group(1)));
        }
    }
}
