package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** A plain HTTP client for sandbox tests: speaks to the sandbox as any Salesforce client would. */
final class TestingClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DATA = "/services/data/v62.0";

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String token;

    /** An answer: status, headers and body. */
    record Answer(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    TestingClient(SalesforceSandbox sandbox) {
        this.baseUrl = sandbox.baseUrl();
    }

    /** Signs in with the client credentials flow and keeps the token for later requests. */
    TestingClient signIn() {
        Answer answer = token(Map.of("grant_type", "client_credentials", "client_id", SalesforceSandbox.DEFAULT_CLIENT_ID,
                "client_secret", SalesforceSandbox.DEFAULT_CLIENT_SECRET));
        if (answer.status() != 200) throw new IllegalStateException("sign-in failed: " + answer.body());
        token = answer.json().get("access_token").asText();
        return this;
    }

    String token() {
        return token;
    }

    void useToken(String token) {
        this.token = token;
    }

    Answer token(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer get(String path) {
        return request("GET", path, null, null);
    }

    Answer delete(String path) {
        return request("DELETE", path, null, null);
    }

    Answer json(String method, String path, String json) {
        return request(method, path, "application/json", json);
    }

    Answer csv(String method, String path, String csv) {
        return request(method, path, "text/csv", csv);
    }

    Answer request(String method, String path, String contentType, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
        if (token != null) builder.header("Authorization", "Bearer " + token);
        if (contentType != null) builder.header("Content-Type", contentType);
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return send(builder);
    }

    static String q(String soql) {
        return DATA + "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8);
    }

    private Answer send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
