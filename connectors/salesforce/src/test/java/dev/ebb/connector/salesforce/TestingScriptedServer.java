package dev.ebb.connector.salesforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.SandboxServer;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A server that answers API requests with scripted responses, in order, for answers the sandbox never gives (a
 * token response without an instance URL, OAuth's {@code unknown_error}, a 403 without a usage header); sign-ins
 * get a token unless a token answer is scripted.
 */
final class TestingScriptedServer extends SandboxServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Deque<SandboxResponse> script = new ArrayDeque<>();
    private final Deque<SandboxResponse> tokenScript = new ArrayDeque<>();
    private final List<SandboxRequest> received = new ArrayList<>();

    TestingScriptedServer() {
        super(0, Clock.systemUTC());
    }

    synchronized TestingScriptedServer answer(int status, String json) {
        script.addLast(json(status, json));
        return this;
    }

    synchronized TestingScriptedServer answer(SandboxResponse response) {
        script.addLast(response);
        return this;
    }

    synchronized TestingScriptedServer answerToken(int status, String json) {
        tokenScript.addLast(json(status, json));
        return this;
    }

    synchronized List<SandboxRequest> received() {
        return List.copyOf(received);
    }

    static SandboxResponse json(int status, String json) {
        try {
            return SandboxResponse.json(status, JSON.readTree(json));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected synchronized SandboxResponse handle(SandboxRequest request) {
        received.add(request);
        if (request.path().equals("/services/oauth2/token")) {
            SandboxResponse scripted = tokenScript.pollFirst();
            return scripted != null ? scripted : SandboxResponse.json(200, Map.of("access_token", "00D!scripted",
                    "instance_url", baseUrl(), "token_type", "Bearer"));
        }
        SandboxResponse next = script.pollFirst();
        return next != null ? next : SandboxResponse.json(500, List.of(Map.of("errorCode", "SCRIPT_EXHAUSTED",
                "message", "script exhausted")));
    }

    @Override
    protected SandboxResponse throttled(SandboxRequest request) {
        return SandboxResponse.empty(403);
    }
}
