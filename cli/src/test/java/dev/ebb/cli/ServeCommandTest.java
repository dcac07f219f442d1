package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ebb serve as a process: a token made by 'ebb serve token create' works, and SIGTERM ends it with exit code 0. */
class ServeCommandTest {
    @TempDir
    Path root;

    @Test
    void aTokenCreatedOnceOpensTheApiAndSigtermStopsTheServerWithZero() throws Exception {
        Cli.hubspotProject(root, "token: sandbox-token", "base_url: http://127.0.0.1:9");
        Cli.Result created = Cli.ebb("serve", "token", "create", "--role", "read", "--name", "ci", "-p",
                root.toString());
        assertThat(created.exitCode()).as(created.toString()).isZero();
        Matcher token = Pattern.compile("ebb_[A-Za-z0-9_-]{43}").matcher(created.out());
        assertThat(token.find()).as(created.out()).isTrue();
        Cli.Result listed = Cli.ebb("serve", "token", "list", "-p", root.toString());
        assertThat(listed.out()).contains("ci", "read").doesNotContain(token.group());

        String java = ProcessHandle.current().info().command().orElseThrow();
        Path log = root.resolve("serve.err");
        Process serve = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Ebb.class.getName(), "serve", "-p", root.toString(),
                "--port", "0").redirectError(log.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as(Files.readString(log)).contains("Ebb serves project cli-test on http://localhost:");
            String url = line.replaceFirst(".* on (http://localhost:\\d+).*", "$1");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> syncs = http.send(HttpRequest.newBuilder(URI.create(url + "/api/syncs"))
                    .header("Authorization", "Bearer " + token.group()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(syncs.statusCode()).isEqualTo(200);
            assertThat(syncs.body()).contains("\"sync\":\"churn\"");

            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            serve.destroyForcibly();
        }
        assertThat(serve.exitValue()).as(Files.readString(log)).isZero();
        assertThat(List.of(Files.readString(log).split("\n"))).anyMatch(l -> l.contains("ebb serve: stopped"));
    }
}
