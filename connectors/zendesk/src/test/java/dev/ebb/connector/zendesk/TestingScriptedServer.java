package dev.ebb.connector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.SandboxServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A server that answers with scripted responses, in order, and keeps what it was sent: for answers the sandbox
 * never gives (a failed job, a job status that is gone, results without indexes) and for checking payloads.
 */
final class TestingScriptedServer extends SandboxServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Deque<SandboxResponse> script = new ArrayDeque<>();
    private final List<SandboxRequest> received = new ArrayList<>();

    TestingScriptedServer() {
        super(0, Clock.systemUTC());
    }

    synchronized TestingScriptedServer answer(SandboxResponse response) {
        script.addLast(response);
        return this;
    }

    synchronized TestingScriptedServer answerJson(int status, String json) {
        try {
            return answer(SandboxResponse.json(status, JSON.readTree(json)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized List<SandboxRequest> received() {
        return List.copyOf(received);
    }

    /** The body of request {@code index}, as JSON. */
    synchronized JsonNode body(int index) {
        try {
            return JSON.readTree(received.get(index).bodyText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected synchronized SandboxResponse handle(SandboxRequest request) {
        received.add(request);
        SandboxResponse next = script.pollFirst();
        return next != null ? next : SandboxResponse.json(500, Map.of("error", "script exhausted"));
    }

    @Override
    protected SandboxResponse throttled(SandboxRequest request) {
        return SandboxResponse.empty(429);
    }
}
