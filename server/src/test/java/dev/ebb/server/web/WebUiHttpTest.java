package dev.ebb.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI's sign-in, its cookie, CSRF and role checks, paging and the history chart, over HTTP without a browser
 * (the browser test covers the clicking). One real server for the class; 120 rows, so a run has three pages.
 */
class WebUiHttpTest {
    @TempDir
    static Path dir;
    static UiProject project;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        List<String> more = java.util.stream.IntStream.range(0, 117)
                .mapToObj(i -> String.format("person%03d@example.com,0.%02d", i, i % 100)).toList();
        project = new UiProject(dir.resolve("project"), more);
    }

    @AfterAll
    static void stop() throws Exception {
        project.close();
    }

    static HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(project.base + path));
        if (cookie != null) request.header("Cookie", cookie);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String cookie, String form, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(project.base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) request.header("Cookie", cookie);
        if (origin != null) request.header("Origin", origin);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs in; returns the session cookie as a request sends it. */
    static String signIn(String token) throws Exception {
        HttpResponse<String> answer = post("/ui/login", null, "token=" + URLEncoder.encode(token,
                StandardCharsets.UTF_8) + "&next=%2Fui", null);
        assertThat(answer.statusCode()).isEqualTo(302);
        String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    static String csrf(String page) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).as("the page has a form with a CSRF value").isTrue();
        return m.group(1);
    }

    @Test
    void signingInSetsAnHttpOnlyStrictCookieAndPagesWithoutItGoToTheLoginForm() throws Exception {
        HttpResponse<String> anonymous = get("/ui/runs/1", null);
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location")).hasValue("/ui/login?next=%2Fui%2Fruns%2F1");

        HttpResponse<String> wrong = post("/ui/login", null, "token=forged-token", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> login = post("/ui/login", null, "token=" + project.operator + "&next=%2Fui", null);
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValue("/ui");
        assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").contains("Path=/");

        HttpResponse<String> offsite = post("/ui/login", null, "token=" + project.operator
                + "&next=https%3A%2F%2Fevil.example%2F", null);
        assertThat(offsite.headers().firstValue("Location")).as("never sent to another site").hasValue("/ui");
    }

    @Test
    void actionsNeedTheFormsCsrfValueThisSitesOriginAndAnOperatorToken() throws Exception {
        String operator = signIn(project.operator);
        String page = get("/ui/syncs/" + UiProject.SYNC, operator).body();
        String csrf = csrf(page);

        assertThat(post("/ui/syncs/" + UiProject.SYNC + "/run", operator, "", null).statusCode())
                .as("no CSRF value").isEqualTo(403);
        assertThat(post("/ui/syncs/" + UiProject.SYNC + "/run", operator, "csrf=" + csrf,
                "https://evil.example").statusCode()).as("another site's form").isEqualTo(403);
        assertThat(post("/ui/syncs/" + UiProject.SYNC + "/run", null, "csrf=" + csrf, null).statusCode())
                .as("no cookie").isEqualTo(401);

        String viewer = signIn(project.viewer);
        String viewerPage = get("/ui/syncs/" + UiProject.SYNC, viewer).body();
        assertThat(viewerPage).doesNotContain("run-now");
        HttpResponse<String> refused = post("/ui/syncs/" + UiProject.SYNC + "/run", viewer, "csrf=" + csrf(viewerPage),
                null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("read-only");
        assertThat(project.audit()).doesNotContain("analyst trigger " + UiProject.SYNC);
    }

    @Test
    void aRunsRowsArePagedFilteredByStatusAndSearchedByKeyAndTheHistoryIsCharted() throws Exception {
        String operator = signIn(project.operator);
        String csrf = csrf(get("/ui/syncs/" + UiProject.SYNC, operator).body());
        HttpResponse<String> queued = post("/ui/syncs/" + UiProject.SYNC + "/run", operator, "csrf=" + csrf, null);
        assertThat(queued.statusCode()).isEqualTo(302);
        long runId = awaitRunEnd(operator);

        String first = get("/ui/runs/" + runId, operator).body();
        assertThat(first).contains("120 rows").contains("page 1 of 3").contains("id=\"next\"")
                .doesNotContain("id=\"previous\"");
        String third = get("/ui/runs/" + runId + "?page=3", operator).body();
        assertThat(third).contains("page 3 of 3").contains("id=\"previous\"").doesNotContain("id=\"next\"");
        assertThat(third.split("<tr class=\"row ").length - 1).as("the last page's rows").isEqualTo(20);
        String rejected = get("/ui/runs/" + runId + "?status=rejected", operator).body();
        assertThat(rejected).contains(">1 rows<").contains("INVALID_EMAIL")
                .contains("&lt;script&gt;document.title&#61;&#39;owned&#39;&lt;/script&gt;")
                .doesNotContain("<script>document.title");
        assertThat(get("/ui/runs/" + runId + "?key=PERSON11", operator).body())
                .as("a part of the key, case-blind: person110 to person116").contains(">7 rows<")
                .contains("person110@example.com");
        HttpResponse<String> badStatus = get("/ui/runs/" + runId + "?status=lost", operator);
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(badStatus.body()).contains("status must be one of delivered, rejected");

        String history = get("/ui/syncs/" + UiProject.SYNC, operator).body();
        assertThat(history).contains("id=\"rows-chart\"").contains("<rect class=\"o-delivered\"")
                .contains("<rect class=\"o-rejected\"").contains("id=\"duration-chart\"");
        assertThat(get("/ui", operator).body()).contains("completed_with_errors")
                .doesNotContain(UiProject.HUBSPOT_TOKEN);
        assertThat(get("/ui/runs/" + runId + "/progress", operator).body()).contains("\"delivered\":119")
                .contains("\"live\":false");
    }

    /** Waits (polling the progress endpoint, as the page's script does) for the sync's newest run to end. */
    static long awaitRunEnd(String cookie) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            var latest = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(get("/ui/syncs/" + UiProject.SYNC + "/latest", cookie).body());
            if (latest.has("runId") && !latest.get("status").asText().equals("running")) {
                return latest.get("runId").asLong();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the run did not end within 20 s");
    }
}
