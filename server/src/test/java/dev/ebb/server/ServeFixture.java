package dev.ebb.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.core.config.ConnectorCatalog;
import dev.ebb.core.config.ProjectLoader;
import dev.ebb.core.state.TokenRole;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import dev.ebb.server.auth.StoredTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A project of a DuckDB model synced to a HubSpot sandbox, served by a real {@link EbbServer} on an ephemeral port,
 * with a read and an operator token. Each test makes its own; {@link #close} stops it.
 */
final class ServeFixture implements AutoCloseable {
    static final String SECRET = "pat-sandbox-secret-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    final HubSpotSandbox sandbox;
    final EbbServer server;
    final String readToken;
    final String operatorToken;

    /**
     * @param rows     the model's rows (customers 1..rows)
     * @param schedule the sync's schedule: line
     * @param options  the server's queue and concurrency
     */
    ServeFixture(Path root, int rows, String schedule, ServerOptions options, Clock clock) throws Exception {
        sandbox = HubSpotSandbox.builder().tokens(SECRET)
                .property("contacts", HubSpotProperty.of("churn_risk_score", "number")).build();
        sandbox.start();
        write(root, rows, schedule);
        var project = ProjectLoader.load(root, ConnectorCatalog.fromServiceLoader());
        server = EbbServers.create(project, Map.of("HUBSPOT_TOKEN", SECRET), options, clock);
        StoredTokens tokens = new StoredTokens(server.context().state(), clock);
        readToken = tokens.create("viewer", TokenRole.READ, Duration.ofHours(1));
        operatorToken = tokens.create("ops", TokenRole.OPERATOR, Duration.ofHours(1));
        server.start(0);
    }

    ServeFixture(Path root, int rows, String schedule) throws Exception {
        this(root, rows, schedule, new ServerOptions(0, 5, 2, Duration.ofSeconds(30)), Clock.systemUTC());
    }

    private void write(Path root, int rows, String schedule) throws IOException {
        Files.createDirectories(root.resolve("models"));
        Files.createDirectories(root.resolve("syncs"));
        Files.writeString(root.resolve("ebb.yaml"), """
                name: serve-test
                state: { store: embedded }
                sources:
                  lakehouse: { type: duckdb }
                destinations:
                  hubspot:
                    type: hubspot
                    token: "${env:HUBSPOT_TOKEN}"
                    base_url: %s
                """.formatted(sandbox.baseUrl()));
        Files.writeString(root.resolve("models/customers.sql"), """
                SELECT 'c' || i || '@example.com' AS customer_email, i / 1000.0 AS churn_risk_score
                FROM range(1, %d) t(i)
                """.formatted(rows + 1));
        for (String sync : new String[] {"churn", "churn_copy"}) {
            Files.writeString(root.resolve("syncs/" + sync + ".yaml"), """
                    model: customers
                    key: customer_email
                    destination: hubspot
                    object: contacts
                    mode: upsert
                    match: { column: customer_email, field: email }
                    fields:
                      - { column: churn_risk_score, field: churn_risk_score }
                    """ + (sync.equals("churn") ? schedule : "schedule: manual") + "\n");
        }
    }

    /** An answer: its status and JSON body. */
    record Answer(int status, JsonNode json, String body) {
    }

    Answer get(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET(), token);
    }

    Answer post(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), token);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + server.port() + path);
    }

    private static Answer send(HttpRequest.Builder request, String token) throws Exception {
        if (token != null) request.header("Authorization", "Bearer " + token);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? null : JSON.readTree(response.body());
        return new Answer(response.statusCode(), json, response.body());
    }

    /** Polls {@code path} until its answer passes {@code done}, for at most {@code within}; returns that answer. */
    Answer await(String path, Predicate<JsonNode> done, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Answer last;
        do {
            last = get(path, readToken);
            if (last.status() == 200 && done.test(last.json())) return last;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertThat(last.body()).as("%s did not get there within %s", path, within).isNull();
        return last;
    }

    @Override
    public void close() throws Exception {
        server.stop(Duration.ofSeconds(30));
        sandbox.close();
    }
}
