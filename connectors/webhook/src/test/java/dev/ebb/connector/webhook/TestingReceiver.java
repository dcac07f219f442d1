package dev.ebb.connector.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.SandboxServer;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A receiver that keeps what Ebb's default batch body says ({@code {"operation":…,"rows":[{"match":…,"fields":…}]}})
 * as records by match value, and answers {@code {"results":[{"status":…,"error":…}]}}, one per row: 200 for a
 * write, 409 for a create of a known record, 404 for an update of an unknown one, 422 for a number field that holds
 * no number; 401 without the bearer token. Thread-safe: requests are handled one at a time.
 */
final class TestingReceiver extends SandboxServer {
    static final String TOKEN = "receiver-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Set<String> numbers;
    private final Map<String, Map<String, String>> records = new LinkedHashMap<>();

    /** @param numbers the fields that must hold numbers */
    TestingReceiver(Set<String> numbers) {
        super(0, Clock.systemUTC());
        this.numbers = Set.copyOf(numbers);
    }

    synchronized Optional<Map<String, String>> record(String match) {
        return Optional.ofNullable(records.get(match)).map(LinkedHashMap::new);
    }

    synchronized int size() {
        return records.size();
    }

    @Override
    protected synchronized SandboxResponse handle(SandboxRequest request) {
        if (!request.header("Authorization").orElse("").equals("Bearer " + TOKEN)) return SandboxResponse.empty(401);
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            return SandboxResponse.json(400, Map.of("error", "not JSON"));
        }
        String operation = body.path("operation").asText();
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode results = answer.putArray("results");
        for (JsonNode row : body.path("rows")) {
            String match = row.at("/match/value").asText();
            Map<String, String> existing = records.get(match);
            String invalid = null;
            for (String number : numbers) {
                JsonNode value = row.path("fields").path(number);
                if (!value.isMissingNode() && !value.isNull() && !value.isNumber()) invalid = number + " must be a number";
            }
            if (invalid != null) {
                results.addObject().put("status", 422).put("error", invalid);
            } else if (operation.equals("create") && existing != null) {
                results.addObject().put("status", 409).put("error", match + " exists");
            } else if (operation.equals("update") && existing == null) {
                results.addObject().put("status", 404).put("error", match + " is unknown");
            } else if (operation.equals("delete")) {
                records.remove(match);
                results.addObject().put("status", 200);
            } else {
                Map<String, String> stored = existing == null ? new LinkedHashMap<>() : existing;
                row.path("fields").fields().forEachRemaining(f -> {
                    if (f.getValue().isNull()) stored.remove(f.getKey());
                    else stored.put(f.getKey(), f.getValue().asText());
                });
                records.put(match, stored);
                results.addObject().put("status", existing == null ? 201 : 200);
            }
        }
        return SandboxResponse.json(207, answer);
    }

    @Override
    protected SandboxResponse throttled(SandboxRequest request) {
        return SandboxResponse.empty(429).withHeader("Retry-After", "1");
    }
}
