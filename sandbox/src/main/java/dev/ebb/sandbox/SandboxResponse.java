package dev.ebb.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a sandbox answers to one request. Immutable; {@link #withHeader} returns a copy.
 *
 * @param status  the HTTP status
 * @param headers response headers (names as given)
 * @param body    the body, empty for none (a 204, for instance)
 */
public record SandboxResponse(int status, Map<String, List<String>> headers, byte[] body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SandboxResponse {
        if (status < 100 || status > 999) throw new IllegalArgumentException("not an HTTP status: " + status);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        headers = java.util.Collections.unmodifiableMap(copy);
        body = body == null ? new byte[0] : body.clone();
    }

    /** A JSON answer; {@code body} is anything Jackson can write (a {@code JsonNode}, a map, a record). */
    public static SandboxResponse json(int status, Object body) {
        try {
            return new SandboxResponse(status, Map.of("Content-Type", List.of("application/json;charset=utf-8")),
                    JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the response body as JSON", e);
        }
    }

    /** An answer without a body. */
    public static SandboxResponse empty(int status) {
        return new SandboxResponse(status, Map.of(), new byte[0]);
    }

    /** A plain-text answer. */
    public static SandboxResponse text(int status, String body) {
        return new SandboxResponse(status, Map.of("Content-Type", List.of("text/plain;charset=utf-8")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy with one more header value. */
    public SandboxResponse withHeader(String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        List<String> values = new ArrayList<>(copy.getOrDefault(name, List.of()));
        values.add(value);
        copy.put(name, values);
        return new SandboxResponse(status, copy, body);
    }

    /** A copy with each header of {@code extra} added. */
    public SandboxResponse withHeaders(Map<String, String> extra) {
        SandboxResponse response = this;
        for (Map.Entry<String, String> header : extra.entrySet()) {
            response = response.withHeader(header.getKey(), header.getValue());
        }
        return response;
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
