package dev.ebb.sandbox.googleads;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxReply;
import dev.ebb.sandbox.SandboxResponse;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Google's REST error shape: a {@code google.rpc.Status} under {@code "error"}, with its HTTP status, its canonical
 * code name and standard details ({@code google.rpc.ErrorInfo}, {@code google.rpc.BadRequest},
 * {@code google.rpc.RetryInfo}), as https://cloud.google.com/apis/design/errors ("HTTP mapping", "Error details")
 * documents. The Data Manager API puts its own {@code ErrorReason} (error.proto) in the ErrorInfo's {@code reason}
 * with the domain {@code datamanager.googleapis.com}; quota errors come from the platform (domain
 * {@code googleapis.com}, reason {@code RATE_LIMIT_EXCEEDED}, the quota's name in {@code metadata.quota_limit}).
 */
final class RpcErrors {
    static final String DOMAIN = "datamanager.googleapis.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RpcErrors() {
    }

    /** One {@code google.rpc.BadRequest.FieldViolation}: the field's path, what is wrong, and the ErrorReason. */
    record Violation(String field, String reason, String description) {
    }

    /** A 400 INVALID_ARGUMENT whose ErrorInfo carries the first violation's reason and BadRequest lists them all. */
    static SandboxReply invalid(List<Violation> violations) {
        Violation first = violations.getFirst();
        ObjectNode status = status(400, "INVALID_ARGUMENT", "There was a problem with the request.");
        ArrayNode details = status.withArray("details");
        details.add(errorInfo(first.reason(), DOMAIN, Map.of()));
        ObjectNode badRequest = details.addObject().put("@type", "type.googleapis.com/google.rpc.BadRequest");
        ArrayNode fields = badRequest.putArray("fieldViolations");
        for (Violation v : violations) {
            fields.addObject().put("field", v.field()).put("description", v.description()).put("reason", v.reason());
        }
        return reply(400, status);
    }

    /** A 400 INVALID_ARGUMENT for one field. */
    static SandboxReply invalid(String field, String reason, String description) {
        return invalid(List.of(new Violation(field, reason, description)));
    }

    /** 401 UNAUTHENTICATED, as Google answers a missing, unknown or expired access token. */
    static SandboxReply unauthenticated(String reason) {
        ObjectNode status = status(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected "
                + "OAuth 2 access token, login cookie or other valid authentication credential.");
        status.withArray("details").add(errorInfo(reason, "googleapis.com", Map.of("service", DOMAIN)));
        return reply(401, status);
    }

    /** 404 NOT_FOUND for a path the API does not have. */
    static SandboxReply notFound(String message) {
        return reply(404, status(404, "NOT_FOUND", message));
    }

    /** 405, for a known path with the wrong method (Google's front end answers it with a bare status). */
    static SandboxReply methodNotAllowed(String method, String path) {
        return reply(405, status(405, "UNIMPLEMENTED", "Method " + method + " is not allowed on " + path));
    }

    /**
     * 429 RESOURCE_EXHAUSTED for a spent quota: "Requests that exceed the limits are rejected with the error
     * RESOURCE_EXHAUSTED and HTTP status 429 Too Many Requests", the quota limit's name under
     * {@code metadata.quota_limit} of the ErrorInfo (https://developers.google.com/data-manager/api/devguides/limits).
     * The sandbox adds a RetryInfo with the time until the window has room again.
     */
    static SandboxResponse exhausted(String quotaLimit, long limitValue, Duration retryDelay) {
        ObjectNode status = status(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric '" + quotaLimit
                + "' of service '" + DOMAIN + "'.");
        ArrayNode details = status.withArray("details");
        details.add(errorInfo("RATE_LIMIT_EXCEEDED", "googleapis.com", Map.of("quota_limit", quotaLimit,
                "quota_limit_value", String.valueOf(limitValue), "service", DOMAIN)));
        long seconds = Math.max(1, (retryDelay.toMillis() + 999) / 1000);
        details.addObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo").put("retryDelay", seconds + "s");
        return SandboxResponse.json(429, wrap(status));
    }

    static ObjectNode status(int code, String name, String message) {
        return JSON.createObjectNode().put("code", code).put("message", message).put("status", name);
    }

    static ObjectNode errorInfo(String reason, String domain, Map<String, String> metadata) {
        ObjectNode info = JSON.createObjectNode().put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
                .put("reason", reason).put("domain", domain);
        ObjectNode meta = info.putObject("metadata");
        metadata.forEach(meta::put);
        return info;
    }

    static SandboxReply reply(int code, ObjectNode status) {
        return new SandboxReply(SandboxResponse.json(code, wrap(status)));
    }

    private static ObjectNode wrap(ObjectNode status) {
        ObjectNode body = JSON.createObjectNode();
        body.set("error", status);
        return body;
    }
}
