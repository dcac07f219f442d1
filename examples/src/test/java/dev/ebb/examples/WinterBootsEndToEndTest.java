package dev.ebb.examples;

import static dev.ebb.examples.ExamplesEndToEndTest.copyExample;
import static dev.ebb.examples.ExamplesEndToEndTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.SandboxServer;
import dev.ebb.sandbox.facebook.FacebookSandbox;
import dev.ebb.sandbox.googleads.GoogleAdsSandbox;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo story over {@code examples/winter-boots}: an upstream propensity model lands 2,000 people as Parquet,
 * two add_remove syncs keep a Meta Custom Audience and a Google Ads Customer Match audience equal to the people
 * scored 0.7 or more; when the scores are rewritten so that 100 leave and 50 join, each platform gets exactly one
 * removal and one addition, and a run with nothing changed sends nothing.
 */
class WinterBootsEndToEndTest {
    static final String META_SYNC = "winter_boots_to_meta";
    static final String GOOGLE_SYNC = "winter_boots_to_google_ads";
    static final String AUDIENCE = String.valueOf(FacebookSandbox.FIRST_AUDIENCE_ID);
    static final String USERS = "/v25.0/" + AUDIENCE + "/users";
    static final String ACCOUNT = GoogleAdsSandbox.DEFAULT_ACCOUNT;
    static final String LIST = GoogleAdsSandbox.DEFAULT_USER_LIST;
    static final String INGEST = "/v1/audienceMembers:ingest";
    static final String REMOVE = "/v1/audienceMembers:remove";
    static final String STATUS = "/v1/requestStatus:retrieve";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path scratch;

    FacebookSandbox meta;
    GoogleAdsSandbox google;
    CliRunner ebb;

    @BeforeEach
    void startSandboxes() throws IOException {
        meta = FacebookSandbox.builder().build();
        meta.start();
        // Google applies a request 200 ms after answering it; the connector's first status poll, a second after the
        // request, therefore finds it final: one poll per request.
        google = GoogleAdsSandbox.builder().processing(Duration.ofMillis(200)).build();
        google.start();
        Map<String, String> env = new java.util.HashMap<>(GoogleAdsAudienceEndToEndTest.env(google));
        env.putAll(Map.of("META_BASE_URL", meta.baseUrl(), "META_ACCESS_TOKEN", FacebookSandbox.DEFAULT_TOKEN,
                "META_AD_ACCOUNT_ID", FacebookSandbox.DEFAULT_AD_ACCOUNT));
        ebb = new CliRunner(env);
    }

    @AfterEach
    void stopSandboxes() {
        meta.close();
        google.close();
    }

    @Test
    void bothAudiencesFollowTheScoresAndOnlyTheChangeIsSent() throws Exception {
        Path project = copyExample("winter-boots", scratch);
        String p = project.toString();
        Path parquet = project.resolve("data/scores.parquet");
        landScores(project);

        CliRunner.Result validate = ebb.run("validate", "-p", p);
        assertThat(validate.exitCode()).as(validate.toString()).isZero();
        Set<String> buyers = buyers(parquet);
        assertThat(buyers).as("residues 70..99 of 100, twenty people each").hasSize(600);

        // First runs: 600 people, ceil(600 / 10,000) = 1 Meta call; one Google ingest and its status poll.
        assertThat(run(p, META_SYNC).get("added").asLong()).isEqualTo(600);
        assertThat(run(p, GOOGLE_SYNC).get("added").asLong()).isEqualTo(600);
        assertThat(calls(meta, USERS)).containsExactly("POST " + USERS);
        assertThat(googleWrites()).containsExactly("POST " + INGEST, "GET " + STATUS);
        assertMembersEqual(buyers);

        // Upstream rescores: the first 100 buyers drop to 0.2, the first 50 others rise to 0.95.
        List<String> leaving = buyers.stream().limit(100).toList();
        List<String> joining = people(parquet).stream().filter(e -> !buyers.contains(e)).limit(50).toList();
        rescore(parquet, leaving, 0.2);
        rescore(parquet, joining, 0.95);
        Set<String> after = buyers(parquet);
        assertThat(after).hasSize(550).containsAll(joining).doesNotContainAnyElementsOf(leaving);

        meta.clearRequests();
        google.clearRequests();
        JsonNode metaRun = run(p, META_SYNC);
        JsonNode googleRun = run(p, GOOGLE_SYNC);
        for (JsonNode run : List.of(metaRun, googleRun)) {
            assertThat(run.get("removed").asLong()).as(run.toString()).isEqualTo(100);
            assertThat(run.get("added").asLong()).isEqualTo(50);
            assertThat(run.get("changed").asLong()).isZero();
            assertThat(run.get("delivered").asLong()).isEqualTo(150);
        }
        // Meta: one DELETE carrying the 100 and one add carrying the 50, in either order.
        assertThat(calls(meta, USERS)).containsExactlyInAnyOrder("DELETE " + USERS, "POST " + USERS);
        // Google: one remove and one ingest, each polled once.
        assertThat(googleWrites()).containsExactlyInAnyOrder(
                "POST " + REMOVE, "POST " + INGEST, "GET " + STATUS, "GET " + STATUS);
        assertMembersEqual(after);

        // Nothing changed upstream: neither platform hears from Ebb.
        meta.clearRequests();
        google.clearRequests();
        assertThat(run(p, META_SYNC).get("delivered").asLong()).isZero();
        assertThat(run(p, GOOGLE_SYNC).get("delivered").asLong()).isZero();
        assertThat(calls(meta, USERS)).isEmpty();
        assertThat(googleWrites()).isEmpty();
        assertMembersEqual(after);
    }

    private JsonNode run(String project, String sync) throws IOException {
        CliRunner.Result result = ebb.run("run", "-p", project, sync, "--json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return json(result);
    }

    private static List<String> calls(SandboxServer sandbox, String pathPrefix) {
        return sandbox.requests().stream().filter(r -> r.path().startsWith(pathPrefix))
                .map(r -> r.method() + " " + r.path()).toList();
    }

    /** Google's membership requests and status polls (the connector also reads the user list when it checks it). */
    private List<String> googleWrites() {
        return google.requests().stream().filter(r -> Set.of(INGEST, REMOVE, STATUS).contains(r.path()))
                .map(r -> r.method() + " " + r.path()).toList();
    }

    /** Both audiences, as their sandboxes list them under /_sandbox/, hold exactly the model's emails' hashes. */
    private void assertMembersEqual(Set<String> emails) throws IOException, InterruptedException {
        Set<String> hashes = emails.stream().map(GoogleAdsAudienceEndToEndTest::sha256)
                .collect(Collectors.toCollection(TreeSet::new));
        JsonNode metaMembers = get(meta.baseUrl() + "/_sandbox/audiences/" + AUDIENCE + "/members");
        Set<String> inMeta = new TreeSet<>();
        metaMembers.path("members").forEach(m -> inMeta.add(m.at("/keys/EMAIL").asText()));
        assertThat(metaMembers.path("members").size()).as("one member a person").isEqualTo(emails.size());
        assertThat(inMeta).isEqualTo(hashes);

        JsonNode googleMembers = get(google.baseUrl() + "/_sandbox/audiences/" + ACCOUNT + "/" + LIST + "/members");
        Set<String> inGoogle = new TreeSet<>();
        googleMembers.path("members").forEach(m -> m.path("emails").forEach(e -> inGoogle.add(e.asText())));
        assertThat(googleMembers.path("members").size()).as("one member a person").isEqualTo(emails.size());
        assertThat(inGoogle).isEqualTo(hashes);
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    // ---- the lakehouse: Parquet written and rewritten through DuckDB, as the upstream job would ----

    /** Runs the example's upstream/scores.sql with the project folder as the place its relative paths start. */
    private static void landScores(Path project) throws IOException, SQLException {
        String sql = Files.readString(project.resolve("upstream/scores.sql"), StandardCharsets.UTF_8)
                .replace("'data/scores.parquet'", quoted(project.resolve("data/scores.parquet")));
        duckdb(statement -> statement.execute(sql));
    }

    private static void rescore(Path parquet, List<String> emails, double propensity) throws SQLException {
        String in = emails.stream().map(e -> "'" + e + "'").collect(Collectors.joining(","));
        String file = quoted(parquet);
        duckdb(statement -> {
            statement.execute("CREATE TABLE scores AS SELECT * FROM read_parquet(" + file + ")");
            statement.execute("UPDATE scores SET propensity = " + propensity + " WHERE email IN (" + in + ")");
            statement.execute("COPY (SELECT * FROM scores ORDER BY person_id) TO " + file + " (FORMAT parquet)");
        });
    }

    /** The emails the committed model selects, in person order. */
    private static Set<String> buyers(Path parquet) throws IOException, SQLException {
        Path project = parquet.getParent().getParent();
        String model = Files.readString(project.resolve("models/winter_boots_buyers.sql"), StandardCharsets.UTF_8)
                .replace("'data/*.parquet'", quoted(parquet));
        return emails("SELECT email FROM (" + model + ") ORDER BY person_id");
    }

    private static Set<String> people(Path parquet) throws SQLException {
        return emails("SELECT email FROM read_parquet(" + quoted(parquet) + ") ORDER BY person_id");
    }

    private static Set<String> emails(String query) throws SQLException {
        Set<String> emails = new java.util.LinkedHashSet<>();
        duckdb(statement -> {
            try (ResultSet rows = statement.executeQuery(query)) {
                while (rows.next()) emails.add(rows.getString(1));
            }
        });
        return emails;
    }

    private interface Work {
        void on(Statement statement) throws SQLException;
    }

    private static void duckdb(Work work) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = connection.createStatement()) {
            work.on(statement);
        }
    }

    private static String quoted(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
    }
}
