package dev.ebb.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.ebb.sandbox.SandboxProvider;
import dev.ebb.sandbox.SandboxServer;

/** Runs {@code ebb} in-process as a shell would, keeping what it printed; and writes small projects to run it on. */
final class Cli {
    private Cli() {
    }

    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    static Result ebb(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Ebb.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result ebb(String... args) {
        return ebb(Map.of(), args);
    }

    /**
     * Starts the sandbox a documented command line names ({@code [ebb ]sandbox VENDOR --port N -o key=value …}) with
     * exactly its options, on a free port rather than N (another process may hold N).
     */
    static SandboxServer sandbox(String commandLine) throws IOException {
        List<String> words = new ArrayList<>(List.of(commandLine.trim().split("\\s+")));
        if (words.getFirst().endsWith("ebb")) words.removeFirst();
        if (!words.getFirst().equals("sandbox")) throw new IllegalArgumentException("not ebb sandbox: " + commandLine);
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 2; i < words.size(); i++) {
            if (words.get(i).equals("-o")) {
                String option = words.get(++i);
                options.put(option.substring(0, option.indexOf('=')), option.substring(option.indexOf('=') + 1));
            }
        }
        return SandboxProvider.find(words.get(1)).orElseThrow().start(0, options);
    }

    /** Points the project's {@code base_url:} at {@code url}, the one edit a test makes to a generated project. */
    static void pointAt(Path root, String url) throws IOException {
        Path config = root.resolve("ebb.yaml");
        Files.writeString(config, Files.readString(config).replaceAll("(?m)^(\\s*base_url: ).*$", "$1" + url));
    }

    /**
     * A project with one sync, {@code churn}, of three customers (an inline model) to HubSpot contacts' email and
     * {@code churn_risk_score}, with the destination's settings as given (YAML, e.g. {@code token: "${env:T}"}).
     */
    static Path hubspotProject(Path root, String... destinationSettings) throws IOException {
        return project(root, "hubspot", destinationSettings);
    }

    /** {@link #hubspotProject} with a destination of another {@code type}. */
    static Path project(Path root, String type, String... destinationSettings) throws IOException {
        Files.createDirectories(root.resolve("models"));
        Files.createDirectories(root.resolve("syncs"));
        Files.writeString(root.resolve("ebb.yaml"), """
                name: cli-test
                state: { store: embedded }
                sources:
                  lakehouse: { type: duckdb }
                destinations:
                  hubspot:
                """ + "    type: " + type + "\n    " + String.join("\n    ", destinationSettings) + "\n");
        Files.writeString(root.resolve("models/customers.sql"), """
                SELECT * FROM (VALUES ('ada@example.com', 0.1), ('grace@example.com', 0.2),
                                      ('alan@example.com', 0.3)) t(customer_email, churn_risk_score)
                """);
        Files.writeString(root.resolve("syncs/churn.yaml"), """
                model: customers
                key: customer_email
                destination: hubspot
                object: contacts
                mode: upsert
                match: { column: customer_email, field: email }
                fields:
                  - { column: churn_risk_score, field: churn_risk_score }
                """);
        return root;
    }
}
