package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State files Ebb cannot use, through the CLI: a damaged store says so and how to recover, and {@code ebb reset}
 * recovers it without duplicating a record; a {@code state.path} at another program's file is refused and the file
 * left as it was.
 */
class StateFileEndToEndTest {
    static final String TOKEN = "state-token";
    static final String SYNC = "churn_to_hubspot";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path scratch;

    HubSpotSandbox sandbox;
    CliRunner ebb;
    Path project;
    String p;

    @BeforeEach
    void startSandboxAndCopyProject() throws IOException {
        sandbox = ChurnCsv.sandbox(TOKEN, 10_000);
        sandbox.start();
        ebb = BadInputEndToEndTest.cli(TOKEN, sandbox.baseUrl());
        project = ExamplesEndToEndTest.copyExample("hubspot-churn", scratch);
        p = project.toString();
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    @Test
    void aDamagedStoreIsReportedWithHowToRecoverAndResetRecoversItWithoutDuplicates() throws Exception {
        CliRunner.Result first = ebb.run("run", "-p", p, SYNC);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        long contacts = sandbox.recordCount("contacts");
        Path state = project.resolve(".ebb/state.duckdb");
        byte[] bytes = Files.readAllBytes(state);
        for (int i = 8192; i < 8192 + 64; i++) bytes[i] ^= 0x5a; // a database header: its block checksum breaks
        Files.write(state, bytes);

        for (String[] args : List.of(new String[] {"run", "-p", p, SYNC}, new String[] {"runs", "-p", p})) {
            CliRunner.Result refused = ebb.run(args);
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
            assertThat(refused.err()).as(refused.toString()).contains("is damaged")
                    .contains("restore the file from a backup, or run 'ebb reset SYNC'")
                    .doesNotContain("in use");
        }

        CliRunner.Result reset = ebb.run("reset", "-p", p, SYNC);
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(reset.out()).contains("The state store was damaged: it is now");
        try (Stream<Path> files = Files.list(state.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("state.duckdb.damaged-"));
        }

        CliRunner.Result again = ebb.run("run", "-p", p, SYNC, "--json");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        JsonNode run = JSON.readTree(again.out());
        assertThat(run.get("added").asLong()).as(again.out()).isEqualTo(500);
        assertThat(sandbox.recordCount("contacts")).as("upserts matched every record").isEqualTo(contacts);
    }

    @Test
    void aStatePathAtTheModelsCsvIsRefusedAndTheCsvLeftAsItWas() throws Exception {
        Path yaml = project.resolve("ebb.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("state: { store: embedded }",
                "state: { store: embedded, path: data/customers.csv }"));
        Path csv = project.resolve("data/customers.csv");
        byte[] before = Files.readAllBytes(csv);

        for (String[] args : List.of(new String[] {"run", "-p", p, SYNC}, new String[] {"reset", "-p", p, SYNC},
                new String[] {"runs", "-p", p})) {
            CliRunner.Result refused = ebb.run(args);
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
            assertThat(refused.err()).as(refused.toString())
                    .contains("data/customers.csv is not an Ebb state store: it is not a DuckDB database file")
                    .contains("point state.path in ebb.yaml at a file of its own");
        }
        assertThat(Files.readAllBytes(csv)).isEqualTo(before);
        assertThat(sandbox.recordCount("contacts")).as("nothing ran without a state").isZero();
    }
}
