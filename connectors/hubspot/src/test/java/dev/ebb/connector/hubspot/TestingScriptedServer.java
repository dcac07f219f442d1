package dev.ebb.connector.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.SandboxServer;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A server that answers with scripted responses, in order, and keeps what it was sent: for answers the sandbox
 * never gives (a Retry-After, a 423, an answer that forgets a record) and for checking the connector's payloads.
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
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized List<SandboxRequest> received() {
        return List.copyOf(received);
    }

    /** The body of the last request, as JSON. */
    synchronized JsonNode lastBody() {
        try {
            return JSON.readTree(received.getLast().bodyText());
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected synchronized SandboxResponse handle(SandboxRequest request) {
        received.add(request);
        SandboxResponse next = script.pollFirst();
        return next != null ? next : SandboxResponse.json(500, java.util.Map.of("message", "script exhausted"));
    }

    @Override
    protected SandboxResponse throttled(SandboxRequest request) {
        return SandboxResponse.empty(429);
    }
}
