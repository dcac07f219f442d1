package dev.ebb.sandbox.facebook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxReply;
import dev.ebb.sandbox.SandboxResponse;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Graph API errors as Meta answers them: {@code {"error": {"message", "type", "code", "error_subcode",
 * "is_transient", "fbtrace_id"}}} (https://developers.facebook.com/docs/graph-api/guides/error-handling). Every
 * error carries a fresh {@code fbtrace_id}, the support identifier Meta attaches to each failed call.
 */
final class GraphError {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong TRACES = new AtomicLong(0x5EED_0000L);

    private GraphError() {
    }

    /** The answer for an error with {@code code} (and a subcode, or 0 for none). */
    static SandboxResponse response(int status, int code, int subcode, String type, String message, boolean transientError) {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode body = error.putObject("error");
        body.put("message", message).put("type", type).put("code", code);
        if (subcode != 0) body.put("error_subcode", subcode);
        body.put("is_transient", transientError);
        body.put("fbtrace_id", "A" + Long.toString(TRACES.incrementAndGet(), 36).toUpperCase(java.util.Locale.ROOT)
                + "sbx");
        return SandboxResponse.json(status, error);
    }

    /** Code 100, "Invalid parameter": what Meta answers a malformed payload or session with, as HTTP 400. */
    static SandboxReply invalidParameter(String message) {
        return new SandboxReply(response(400, 100, 0, "OAuthException", "(#100) " + message, false));
    }

    /**
     * Code 100 subcode 33, Meta's answer for an id that does not exist or that the token may not see: "Unsupported
     * get request. Object with ID … does not exist, cannot be loaded due to missing permissions, or does not
     * support this operation".
     */
    static SandboxReply unknownObject(String method, String id) {
        return new SandboxReply(response(400, 100, 33, "GraphMethodException", "Unsupported " + method.toLowerCase(
                java.util.Locale.ROOT) + " request. Object with ID '" + id + "' does not exist, cannot be loaded due "
                + "to missing permissions, or does not support this operation. Please read the Graph API "
                + "documentation at https://developers.facebook.com/docs/graph-api", false));
    }
}
