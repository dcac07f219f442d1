package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No secret, and no value a reference resolved to, appears in anything ebb prints. */
class SecretsInOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void aTokenPastedWithALineBreakIsAConfigurationErrorNamingTheSettingInEveryCommand() throws Exception {
        Cli.hubspotProject(root, "token: \"${file:.secrets/hubspot}\"", "base_url: http://127.0.0.1:9");
        Files.createDirectories(root.resolve(".secrets"));
        Files.writeString(root.resolve(".secrets/hubspot"), "pat-na1-SECRET-FIRST\nSECRET-SECOND\n");

        for (List<String> command : List.of(List.of("validate"), List.of("validate", "--json"),
                List.of("plan", "churn"), List.of("plan", "churn", "--json"), List.of("run", "churn", "--json"))) {
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("-p",
                    root.toString())).toArray(String[]::new);
            Cli.Result result = Cli.ebb(args);

            assertThat(result.exitCode()).as("ebb %s: %s", command, result).isEqualTo(ExitCode.INVALID);
            assertThat(result.all()).as("ebb %s", command).doesNotContain("SECRET")
                    .contains("setting 'token' cannot be sent as a credential: it holds a line break")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void anErrorAboutASettingReadFromAFileNamesTheReferenceNotTheContent() throws Exception {
        Cli.hubspotProject(root, "token: sandbox-token", "base_url: \"${file:hubspot-url}\"");
        Files.writeString(root.resolve("hubspot-url"), "http://internal host/PRIVATE-PATH\n");

        Cli.Result result = Cli.ebb("validate", "-p", root.toString());
        Cli.Result json = Cli.ebb("validate", "--json", "-p", root.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.INVALID);
        assertThat(result.err()).contains("base_url '${file:hubspot-url}' is not an http(s) URL")
                .doesNotContain("PRIVATE").doesNotContain("internal host");
        JsonNode doc = JSON.readTree(json.out());
        assertThat(doc.path("syncs").path("churn").path("error").asText())
                .contains("'${file:hubspot-url}'").doesNotContain("PRIVATE");
    }

    @Test
    void aSecretInAnEnvironmentVariableNeverReachesTheOutput() throws Exception {
        Cli.hubspotProject(root, "token: \"${env:HUBSPOT_TOKEN}\"", "base_url: http://127.0.0.1:9");

        Cli.Result result = Cli.ebb(Map.of("HUBSPOT_TOKEN", "pat-na1-ENVSECRET\r\nMORE"), "plan", "churn", "--json",
                "-p", root.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.INVALID);
        assertThat(result.all()).doesNotContain("ENVSECRET").doesNotContain("MORE").contains("'token'");
    }

    @Test
    void everyHeaderCredentialIsCheckedTheSameWay() throws Exception {
        Map<String, String> pasted = Map.of("SECRET", "first-SECRET-line\nsecond-SECRET-line");
        for (List<String> destination : List.of(
                List.of("zendesk", "base_url: http://127.0.0.1:9", "oauth_token: \"${env:SECRET}\"", "oauth_token"),
                List.of("zendesk", "base_url: http://127.0.0.1:9", "email: a@example.com",
                        "api_token: \"${env:SECRET}\"", "api_token"),
                List.of("marketo", "base_url: http://127.0.0.1:9", "client_id: id", "client_secret: \"${env:SECRET}\"",
                        "client_secret"))) {
            Path project = Files.createDirectories(root.resolve(destination.getFirst() + destination.size()
                    + destination.getLast()));
            Cli.project(project, destination.getFirst(), destination.subList(1, destination.size() - 1)
                    .toArray(String[]::new));

            Cli.Result result = Cli.ebb(pasted, "validate", "-p", project.toString());

            assertThat(result.exitCode()).as("%s: %s", destination, result).isEqualTo(ExitCode.INVALID);
            assertThat(result.all()).doesNotContain("SECRET").contains("setting '" + destination.getLast()
                    + "' cannot be sent as a credential");
        }
    }
}
