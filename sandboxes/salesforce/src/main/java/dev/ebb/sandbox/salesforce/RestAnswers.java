package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ebb.sandbox.SandboxReply;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.salesforce.FieldValues.Unparsable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How Salesforce's REST API answers what it refuses, and reads what it is sent: error arrays
 * ({@code [{"message":…,"errorCode":…}]}, "Status Codes and Error Responses",
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm), 404 and 405, and JSON
 * bodies read into a record's field values as Salesforce's deserializer would. Stateless.
 */
final class RestAnswers {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private RestAnswers() {
    }

    /** Salesforce's REST error body: {@code [{"message": …, "errorCode": …}]}. */
    static SandboxResponse error(int status, String errorCode, String message) {
        ArrayNode body = JSON.createArrayNode();
        body.addObject().put("message", message).put("errorCode", errorCode);
        return SandboxResponse.json(status, body);
    }

    static SandboxResponse notFound() {
        return error(404, "NOT_FOUND", "The requested resource does not exist");
    }

    static SandboxResponse methodNotAllowed(String method, String allowed) {
        return error(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed. Allowed are " + allowed);
    }

    static JsonNode readJson(SandboxRequest request) {
        String text = request.bodyText();
        if (text.isBlank()) {
            throw new SandboxReply(error(400, "JSON_PARSER_ERROR", "No content to map due to end-of-input at [line:1, column:0]"));
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw new SandboxReply(error(400, "JSON_PARSER_ERROR", e.getOriginalMessage() + " at [line:"
                    + (location == null ? 1 : location.getLineNr()) + ", column:"
                    + (location == null ? 1 : location.getColumnNr()) + "]"));
        }
    }

    /**
     * A JSON record's fields (all but {@code attributes}, and {@code Id} where the caller takes it), parsed for its
     * type. An unknown field or a value of the wrong JSON type fails the whole request, as Salesforce's
     * deserializer does.
     */
    static Map<String, Object> parseRecord(SObjectType type, JsonNode node, String body, Set<String> skip) {
        if (!node.isObject()) {
            throw new SandboxReply(error(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of " + type.name
                    + " from " + (node.isArray() ? "START_ARRAY" : "VALUE_STRING") + " value"));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (var it = node.fields(); it.hasNext(); ) {
            var entry = it.next();
            String name = entry.getKey();
            if (name.equals("attributes") || skip.stream().anyMatch(s -> s.equalsIgnoreCase(name))) continue;
            SalesforceField field = type.field(name).orElseThrow(() -> new SandboxReply(error(400, "INVALID_FIELD",
                    "No such column '" + name + "' on sobject of type " + type.name)));
            Object value;
            try {
                value = FieldValues.fromJson(field, entry.getValue());
            } catch (Unparsable e) {
                int column = body.indexOf(e.text.isEmpty() ? name : e.text) + 1;
                throw new SandboxReply(error(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of "
                        + field.type().describeName() + " from " + e.token + " value " + e.text
                        + " or request may be missing a required field at [line:1, column:" + Math.max(column, 1) + "]"));
            }
            if (value instanceof String s && s.isEmpty()) value = null;
            values.put(field.name(), value);
        }
        return values;
    }
}
