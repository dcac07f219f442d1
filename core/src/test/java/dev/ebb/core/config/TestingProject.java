package dev.ebb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A project folder written file by file, for loader tests. */
final class TestingProject {
    static final String EBB_YAML = """
            name: acme-activation
            sources:
              lakehouse: { type: duckdb, path: data/lakehouse.duckdb }
            destinations:
              hubspot: { type: hubspot, token: "${env:HUBSPOT_TOKEN}" }
            """;
    static final String MODEL_SQL = "SELECT email AS customer_email, churn_risk_score FROM customers\n";
    static final String SYNC_YAML = """
            model: customer_health
            key: customer_email
            destination: hubspot
            object: contacts
            match: { column: customer_email, field: email }
            fields:
              - { column: churn_risk_score, field: churn_risk_score }
            """;

    private final Path root;

    TestingProject(Path root) {
        this.root = root;
    }

    /** A small valid project: one source, one destination, one model, one sync. */
    static TestingProject valid(Path root) {
        return new TestingProject(root)
                .file("ebb.yaml", EBB_YAML)
                .file("models/customer_health.sql", MODEL_SQL)
                .file("syncs/churn_to_hubspot.yaml", SYNC_YAML);
    }

    TestingProject file(String relative, String content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestingProject delete(String relative) {
        try {
            Files.delete(root.resolve(relative));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path root() {
        return root;
    }

    LoadedProject load() throws ConfigException {
        return ProjectLoader.loadWithWarnings(root, TestingConnectors.catalog());
    }

    /** Loads, expecting failure, and returns every problem. */
    List<ConfigProblem> problems() {
        ConfigException failure = catchThrowableOfType(ConfigException.class, this::load);
        assertThat(failure).as("the project should be invalid").isNotNull();
        return failure.problems();
    }

    /** The only problem the project has. */
    ConfigProblem problem() {
        List<ConfigProblem> problems = problems();
        assertThat(problems).as("problems").hasSize(1);
        return problems.getFirst();
    }
}
