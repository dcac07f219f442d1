package dev.ebb.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
     * A project with one sync, {@code churn}, of three customers (an inline model) to HubSpot contacts' email and
     * {@code churn_risk_score}, with the destination's settings as given (YAML, e.g. {@code token: "${env:T}"}).
     */
    static Path hubspotProject(Path root, String... destinationSettings) throws IOException {
        Files.createDirectories(root.resolve("models"));
        Files.createDirectories(root.resolve("syncs"));
        Files.writeString(root.resolve("ebb.yaml"), """
                name: cli-test
                state: { store: embedded }
                sources:
                  lakehouse: { type: duckdb }
                destinations:
                  hubspot:
                    type: hubspot
                """ + "    " + String.join("\n    ", destinationSettings) + "\n");
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
