package dev.ebb.connector.salesforce;

import dev.ebb.testkit.ScriptedServer;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.SandboxServer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The testkit's {@link ScriptedServer} with a token endpoint, for answers the sandbox never gives (a token response
 * without an instance URL, OAuth's {@code unknown_error}, a 403 without a usage header): sign-ins get a token unless
 * a token answer is scripted, and an exhausted script answers in Salesforce's error list form.
 */
final class TestingScriptedServer extends ScriptedServer {
    private final Deque<SandboxResponse> tokenScript = new ArrayDeque<>();

    synchronized TestingScriptedServer answer(int status, String json) {
        answerJson(status, json);
        return this;
    }

    synchronized TestingScriptedServer answerToken(int status, String json) {
        tokenScript.addLast(json(status, json));
        return this;
    }

    @Override
    protected synchronized SandboxResponse respond(SandboxRequest request) {
        if (!request.path().equals(SalesforceSession.TOKEN_PATH)) return super.respond(request);
        SandboxResponse scripted = tokenScript.pollFirst();
        return scripted != null ? scripted : SandboxResponse.json(200, Map.of("access_token", "00D!scripted",
                "instance_url", baseUrl(), "token_type", "Bearer"));
    }

    @Override
    protected SandboxResponse exhausted(SandboxRequest request) {
        return SandboxResponse.json(500, List.of(Map.of("errorCode", "SCRIPT_EXHAUSTED", "message", "script exhausted")));
    }

    @Override
    protected SandboxResponse throttled(SandboxRequest request) {
        return SandboxResponse.empty(403);
    }
}
