package dev.ebb.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxReply;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import java.util.ArrayList;
import java.util.List;

import static dev.ebb.sandbox.hubspot.HubSpotSandbox.batchError;
import static dev.ebb.sandbox.hubspot.HubSpotSandbox.error;
import static dev.ebb.sandbox.hubspot.HubSpotSandbox.propertyJson;
import static dev.ebb.sandbox.hubspot.HubSpotSandbox.readJson;
import static dev.ebb.sandbox.hubspot.HubSpotSandbox.readTree;

/**
 * The properties endpoints' batch create and read (https://developers.hubspot.com/docs/api-reference/latest/crm/properties/guide),
 * and how a property is read from JSON and added to an object type (a taken name is a 409). The batch calls take
 * the sandbox's data lock; the static helpers are called with it held.
 */
final class PropertyEndpoints {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Object data;

    /** @param data the sandbox's data lock, held around each batch call */
    PropertyEndpoints(Object data) {
        this.data = data;
    }

    SandboxResponse batchCreate(SandboxRequest request, ObjectType type) {
        List<JsonNode> nodes = BatchEndpoints.inputs(readJson(request));
        ObjectNode body = JSON.createObjectNode().put("status", "COMPLETE");
        ArrayNode results = body.putArray("results");
        ArrayNode errors = JSON.createArrayNode();
        synchronized (data) {
            for (JsonNode node : nodes) {
                try {
                    HubSpotProperty property = parseProperty(node, true);
                    addProperty(type, property);
                    results.add(propertyJson(property));
                } catch (SandboxReply reply) {
                    JsonNode replied = readTree(reply.response().bodyText());
                    ObjectNode entry = batchError(replied.path("category").asText("VALIDATION_ERROR"),
                            replied.path("message").asText());
                    entry.putObject("context").putArray("name").add(node.path("name").asText(""));
                    errors.add(entry);
                }
            }
        }
        if (errors.isEmpty()) return SandboxResponse.json(201, body);
        body.put("numErrors", errors.size());
        body.set("errors", errors);
        return SandboxResponse.json(207, body);
    }

    SandboxResponse batchRead(SandboxRequest request, ObjectType type) {
        List<JsonNode> nodes = BatchEndpoints.inputs(readJson(request));
        ObjectNode body = JSON.createObjectNode().put("status", "COMPLETE");
        ArrayNode results = body.putArray("results");
        List<String> missing = new ArrayList<>();
        synchronized (data) {
            for (JsonNode node : nodes) {
                String name = node.path("name").asText("");
                type.property(name).ifPresentOrElse(p -> results.add(propertyJson(p)), () -> missing.add(name));
            }
        }
        if (missing.isEmpty()) return SandboxResponse.json(200, body);
        ObjectNode entry = batchError("OBJECT_NOT_FOUND", "Unable to find properties " + missing);
        ArrayNode names = entry.putObject("context").putArray("names");
        missing.forEach(names::add);
        body.put("numErrors", 1);
        body.putArray("errors").add(entry);
        return SandboxResponse.json(207, body);
    }

    static void addProperty(ObjectType type, HubSpotProperty property) {
        try {
            type.addProperty(property);
        } catch (IllegalArgumentException e) {
            throw new SandboxReply(SandboxResponse.json(409, error("CONFLICT", e.getMessage())));
        }
    }

    /** Reads a property definition; {@code strict} demands every field HubSpot requires. */
    static HubSpotProperty parseProperty(JsonNode node, boolean strict) {
        List<String> missing = new ArrayList<>();
        for (String field : strict ? List.of("name", "label", "type", "fieldType", "groupName") : List.of("name", "type")) {
            if (!node.hasNonNull(field) || node.get(field).asText().isBlank()) missing.add(field);
        }
        if (!missing.isEmpty()) {
            throw new SandboxReply(SandboxResponse.json(400, error("VALIDATION_ERROR",
                    "Some required fields were not set: " + missing)));
        }
        List<HubSpotProperty.Option> options = new ArrayList<>();
        node.path("options").forEach(o -> options.add(new HubSpotProperty.Option(
                o.path("label").asText(o.path("value").asText()), o.path("value").asText())));
        try {
            return new HubSpotProperty(node.get("name").asText(), node.path("label").asText(null),
                    node.get("type").asText(), node.path("fieldType").asText(null), node.path("groupName").asText(null),
                    node.path("hasUniqueValue").asBoolean(false), false, false, options);
        } catch (IllegalArgumentException e) {
            throw new SandboxReply(SandboxResponse.json(400, error("VALIDATION_ERROR", e.getMessage())));
        }
    }
}
