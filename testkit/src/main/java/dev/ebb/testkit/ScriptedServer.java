package dev.ebb.testkit;

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
 * A server that answers with scripted responses, in order, and keeps every request it was sent: for the answers a
 * vendor's sandbox never gives (a Retry-After, a 423, a failed job, an answer that forgets a record) and for checking
 * a connector's payloads. Past the end of the script it answers 500 {@code script exhausted}. Faults injected through
 * {@link SandboxServer#inject} apply as on any sandbox; {@link #throttled} answers an empty 429.
 *
 * <p>Thread-safe: the script and the log are guarded by the server.
 */
public class ScriptedServer extends SandboxServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Deque<SandboxResponse> script = new ArrayDeque<>();
    private final List<SandboxRequest> received = new ArrayList<>();

    /** On a free port, with the system clock; call {@link #start()} before use. */
    public ScriptedServer() {
        super(0, Clock.systemUTC());
    }

    /** Appends {@code response} to the script. */
    public synchronized ScriptedServer answer(SandboxResponse response) {
        script.addLast(response);
        return this;
    }

    /** Appends a JSON answer with {@code status} to the script. */
    public synchronized ScriptedServer answerJson(int status, String json) {
        return answer(json(status, json));
    }

    /** Every request so far, in order. */
    public synchronized List<SandboxRequest> received() {
        return List.copyOf(received);
    }

    /** The body of request {@code index}, as JSON. */
    public synchronized JsonNode body(int index) {
        return parse(received.get(index).bodyText());
    }

    /** The body of the last request, as JSON. */
    public synchronized JsonNode lastBody() {
        return parse(received.getLast().bodyText());
    }

    /** A JSON response. */
    public static SandboxResponse json(int status, String json) {
        return SandboxResponse.json(status, parse(json));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected final synchronized SandboxResponse handle(SandboxRequest request) {
        received.add(request);
        return respond(request);
    }

    /** The answer to a request, logged already: the next of the script. */
    protected synchronized SandboxResponse respond(SandboxRequest request) {
        SandboxResponse next = script.pollFirst();
        return next != null ? next : exhausted(request);
    }

    /** The answer past the end of the script. */
    protected SandboxResponse exhausted(SandboxRequest request) {
        return SandboxResponse.json(500, Map.of("message", "script exhausted", "error", "script exhausted"));
    }

    @Override
    protected SandboxResponse throttled(SandboxRequest request) {
        return SandboxResponse.empty(429);
    }
}
