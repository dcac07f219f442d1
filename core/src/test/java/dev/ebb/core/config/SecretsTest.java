package dev.ebb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {
    private static final Location WHERE = new Location(Path.of("ebb.yaml"), 7);
    private static final Map<String, String> ENV = Map.of("HUBSPOT_TOKEN", "pat-na1-s3cr3t", "EMPTY", "");

    @TempDir
    Path root;

    @Test
    void anEnvironmentReferenceResolvesToTheVariable() throws ConfigException {
        assertThat(Secrets.resolve("${env:HUBSPOT_TOKEN}", WHERE, root, ENV)).isEqualTo("pat-na1-s3cr3t");
        assertThat(Secrets.resolve("${env:EMPTY}", WHERE, root, ENV)).isEmpty();
    }

    @Test
    void aFileReferenceResolvesToTheFileWithoutTrailingLineBreaks() throws Exception {
        Files.createDirectories(root.resolve("secrets"));
        Files.writeString(root.resolve("secrets/pg"), "  pass word \r\n\n");

        assertThat(Secrets.resolve("${file:secrets/pg}", WHERE, root, ENV)).isEqualTo("  pass word ");
    }

    @Test
    void aLiteralPassesThroughAndReferencesMayBeEmbedded() throws ConfigException {
        assertThat(Secrets.resolve("data/lakehouse.duckdb", WHERE, root, ENV)).isEqualTo("data/lakehouse.duckdb");
        assertThat(Secrets.resolve("Bearer ${env:HUBSPOT_TOKEN}!", WHERE, root, ENV))
                .isEqualTo("Bearer pat-na1-s3cr3t!");
        assertThat(Secrets.resolve("cost: $5, literal $${env:X}", WHERE, root, ENV))
                .isEqualTo("cost: $5, literal ${env:X}");
    }

    @Test
    void aMissingVariableNamesItAndTheLocation() {
        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> Secrets.resolve("${env:SALESFORCE_TOKEN}", WHERE, root, ENV));

        assertThat(failure.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.location()).isEqualTo(WHERE);
            assertThat(problem.message()).isEqualTo("environment variable SALESFORCE_TOKEN is not set (referenced"
                    + " as ${env:SALESFORCE_TOKEN}); set it in the environment Ebb runs in");
        });
        assertThat(failure).hasMessageStartingWith("ebb.yaml:7: ");
    }

    @Test
    void aMissingFileNamesItRelativeToTheRoot() {
        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> Secrets.resolve("${file:secrets/none}", WHERE, root, ENV));

        assertThat(failure.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.location()).isEqualTo(WHERE);
            assertThat(problem.message()).isEqualTo("file 'secrets/none' (referenced as ${file:secrets/none}) does"
                    + " not exist; create it or correct the path (it is relative to the project root)");
            assertThat(problem.message()).doesNotContain(root.toString());
        });
    }

    @Test
    void aFolderIsNotASecretFile() throws IOException {
        Files.createDirectories(root.resolve("secrets"));

        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> Secrets.resolve("${file:secrets}", WHERE, root, ENV));

        assertThat(failure.problems().getFirst().message()).endsWith("is a folder, not a file");
    }

    @Test
    void anUnknownSchemeIsRefusedAtResolutionToo() {
        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> Secrets.resolve("${vault:secret/hubspot}", WHERE, root, ENV));

        assertThat(failure.problems().getFirst().message()).isEqualTo("unknown reference scheme 'vault' in"
                + " '${vault:secret/hubspot}'; Ebb resolves ${env:NAME} and ${file:path}");
    }

    @Test
    void malformedReferencesSayHowToWriteThem() {
        assertThat(SecretTemplate.parse("${HUBSPOT_TOKEN}").errors()).containsExactly("'${HUBSPOT_TOKEN}' names no"
                + " scheme; write ${env:HUBSPOT_TOKEN} for an environment variable or ${file:HUBSPOT_TOKEN} for a file");
        assertThat(SecretTemplate.parse("${env:1TOKEN}").errors()).singleElement().asString()
                .contains("'1TOKEN' is not an environment variable name");
        assertThat(SecretTemplate.parse("${file:}").errors()).singleElement().asString().contains("names no file");
        assertThat(SecretTemplate.parse("${evn:X}").errors()).singleElement().asString()
                .contains("did you mean 'env'?");
    }

    @Test
    void anUnclosedReferenceNeverEchoesTheRestOfTheValue() {
        assertThat(SecretTemplate.parse("hunter2${env:TOKEN and more secret").errors()).singleElement().asString()
                .isEqualTo("the '${' at character 8 is not closed; end the reference with '}' (write $${ for a"
                        + " literal ${)")
                .doesNotContain("hunter2", "more secret");
    }

    @Test
    void resolveAllReportsEveryUnresolvableSettingWithoutRevealingTheOthers() throws IOException {
        Files.writeString(root.resolve("password"), "correct horse battery staple\n");
        ConnectionConfig connection = new ConnectionConfig("crm", "postgres", Map.of(
                "host", "db.internal",
                "password", "${file:password}",
                "token", "${env:HUBSPOT_TOKEN}",
                "user", "${env:PG_USER}",
                "certificate", "${file:certs/ca.pem}"), new Location(Path.of("ebb.yaml"), 4));

        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> Secrets.resolveAll(connection, root, ENV));

        assertThat(failure.problems()).extracting(ConfigProblem::message).containsExactly(
                "setting 'certificate' of 'crm': file 'certs/ca.pem' (referenced as ${file:certs/ca.pem}) does not"
                        + " exist; create it or correct the path (it is relative to the project root)",
                "setting 'user' of 'crm': environment variable PG_USER is not set (referenced as ${env:PG_USER});"
                        + " set it in the environment Ebb runs in");
        assertThat(failure.problems()).allSatisfy(p -> assertThat(p.location().line()).isEqualTo(4));
        assertThat(failure.getMessage()).doesNotContain("correct horse", "s3cr3t");
    }

    @Test
    void resolveAllResolvesEverySetting() throws Exception {
        Files.writeString(root.resolve("password"), "correct horse\n");
        ConnectionConfig connection = new ConnectionConfig("crm", "postgres", Map.of("host", "db.internal",
                "password", "${file:password}"), new Location(Path.of("ebb.yaml"), 4));

        assertThat(Secrets.resolveAll(connection, root, ENV))
                .containsExactly(Map.entry("host", "db.internal"), Map.entry("password", "correct horse"));
    }

    @Test
    void redactionMasksSecretsButShowsReferences() {
        Map<String, String> written = new LinkedHashMap<>();
        written.put("token", "${env:HUBSPOT_TOKEN}");
        written.put("base_url", "http://localhost:8089");
        written.put("password", "hunter2");
        written.put("undeclared", "who knows");
        Map<String, String> resolved = new LinkedHashMap<>(written);
        resolved.put("token", "pat-na1-s3cr3t");

        var options = java.util.List.of(
                dev.ebb.spi.ConnectorOption.secret("token", "token"),
                dev.ebb.spi.ConnectorOption.secret("password", "password"),
                dev.ebb.spi.ConnectorOption.optional("base_url", "base URL"));

        assertThat(Secrets.redact(written, options)).containsExactly(
                Map.entry("token", "${env:HUBSPOT_TOKEN}"),
                Map.entry("base_url", "http://localhost:8089"),
                Map.entry("password", Secrets.MASK),
                Map.entry("undeclared", Secrets.MASK));
        assertThat(Secrets.redact(resolved, options)).containsEntry("token", Secrets.MASK)
                .doesNotContainValue("pat-na1-s3cr3t");
    }
}
