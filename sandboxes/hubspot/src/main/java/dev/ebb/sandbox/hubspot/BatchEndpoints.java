package dev.ebb.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxReply;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.hubspot.ObjectType.Stored;
import dev.ebb.sandbox.hubspot.PropertyValues.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.ebb.sandbox.hubspot.HubSpotSandbox.MAX_BATCH_INPUTS;
import static dev.ebb.sandbox.hubspot.HubSpotSandbox.batchError;
import static dev.ebb.sandbox.hubspot.HubSpotSandbox.conflictMessage;
import static dev.ebb.sandbox.hubspot.HubSpotSandbox.error;
import static dev.ebb.sandbox.hubspot.HubSpotSandbox.notFoundError;
import static dev.ebb.sandbox.hubspot.HubSpotSandbox.problemDetails;
import static dev.ebb.sandbox.hubspot.HubSpotSandbox.rawProperties;
import static dev.ebb.sandbox.hubspot.HubSpotSandbox.readJson;
import static dev.ebb.sandbox.hubspot.HubSpotSandbox.union;
import static dev.ebb.sandbox.hubspot.HubSpotSandbox.uniqueKey;

/**
 * The batch endpoints of CRM v3 objects (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/users/batch/upsert-users):
 * create, update, upsert (by an `idProperty` that must be a unique-value property), read and archive, up to
 * 100 inputs a call. Each input is validated on its own; a call with some failures answers 207 Multi-Status, a
 * call whose every input fails answers the first failure.
 *
 * <p>Takes the sandbox's data lock around each call's reads and writes.
 */
final class BatchEndpoints {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final HubSpotSandbox sandbox;
    private final Object data;
    private final java.util.function.Supplier<String> newRecordId;
    private final long portalId;
    private final java.time.Clock clock;

    BatchEndpoints(HubSpotSandbox sandbox, Object data, java.util.function.Supplier<String> newRecordId, long portalId, java.time.Clock clock) {
        this.sandbox = sandbox;
        this.data = data;
        this.newRecordId = newRecordId;
        this.portalId = portalId;
        this.clock = clock;
    }

    /** One input of a batch create, update or upsert, as parsed. */
    private record Input(int index, String traceId, String id, String idProperty, Map<String, String> properties) {
    }

    /** An input that passed validation and what it will do. */
    private record Planned(Input input, Stored target, Map<String, String> changes) {
    }

    /** An input that failed validation (problems) or a unique check (conflict). */
    private record Failure(Input input, List<Problem> problems, String conflict) {
    }

    SandboxResponse batchWrite(SandboxRequest request, ObjectType type, String operation) {
        List<JsonNode> nodes = inputs(readJson(request));
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            String traceId = node.hasNonNull("objectWriteTraceId") ? node.get("objectWriteTraceId").asText() : null;
            String id = node.hasNonNull("id") ? node.get("id").asText() : null;
            String idProperty = node.hasNonNull("idProperty") ? node.get("idProperty").asText() : null;
            if (!operation.equals("create") && (id == null || id.isEmpty())) {
                throw new SandboxReply(SandboxResponse.json(400, error("VALIDATION_ERROR",
                        "Some required fields were not set: [id]")));
            }
            inputs.add(new Input(i, traceId, id, idProperty, rawProperties(node.path("properties"))));
        }
        // Per-input outcomes need a handle on each input; HubSpot enables them with objectWriteTraceId.
        boolean multiStatus = !inputs.isEmpty()
                && inputs.stream().allMatch(in -> in.traceId() != null && !in.traceId().isBlank());
        Instant now = clock.instant();

        synchronized (data) {
            if (!operation.equals("create")) {
                for (Input input : inputs) {
                    if (operation.equals("upsert") || input.idProperty() != null) {
                        requireUniqueIdProperty(type, input.idProperty() == null ? "hs_object_id" : input.idProperty());
                    }
                }
                rejectDuplicateIds(type, inputs);
            }

            List<Planned> planned = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            List<String> notFound = new ArrayList<>();
            Map<String, Integer> claimed = new HashMap<>();
            for (Input input : inputs) {
                Stored target = null;
                if (!operation.equals("create")) {
                    target = input.idProperty() == null ? type.byId(input.id()).orElse(null)
                            : type.byUnique(input.idProperty(), input.id()).orElse(null);
                    if (target == null && operation.equals("update")) {
                        notFound.add(input.id());
                        continue;
                    }
                }
                Map<String, String> changes = new LinkedHashMap<>();
                List<Problem> problems = new ArrayList<>();
                sandbox.validate(type, input.properties(), changes, problems);
                if (target == null && operation.equals("upsert")) {
                    // A created record takes the idProperty value it was looked up by.
                    HubSpotProperty idProperty = type.property(input.idProperty()).orElseThrow();
                    Object normalized = PropertyValues.normalize(idProperty, input.id(), type.isEmail(idProperty.name()));
                    if (normalized instanceof Problem problem) problems.add(problem);
                    else changes.put(idProperty.name(), (String) normalized);
                }
                if (!problems.isEmpty()) {
                    failures.add(new Failure(input, problems, null));
                    continue;
                }
                Optional<Map.Entry<String, String>> conflict = type.uniqueConflict(target, changes);
                if (conflict.isEmpty()) conflict = claimedInBatch(type, changes, claimed, input.index());
                if (conflict.isPresent()) {
                    failures.add(new Failure(input, List.of(), conflictMessage(type, conflict.get())));
                    continue;
                }
                changes.forEach((property, value) -> {
                    if (!value.isEmpty() && type.isUnique(property)) {
                        claimed.put(property + "\u0000" + uniqueKey(type, property, value), input.index());
                    }
                });
                planned.add(new Planned(input, target, changes));
            }

            if (!multiStatus && !failures.isEmpty()) {
                Failure first = failures.getFirst();
                return first.conflict() != null
                        ? SandboxResponse.json(409, error("CONFLICT", first.conflict()))
                        : sandbox.validationFailure(first.problems());
            }

            ObjectNode body = JSON.createObjectNode();
            body.put("status", "COMPLETE");
            ArrayNode results = body.putArray("results");
            for (Planned plan : planned) {
                boolean created = plan.target() == null;
                Stored stored = created ? type.create(newRecordId.get(), plan.changes(), now)
                        : plan.target();
                if (!created) type.apply(stored, plan.changes(), now);
                Set<String> shown = union(type.defaultProperties, plan.changes().keySet());
                if (plan.input().idProperty() != null) shown.add(plan.input().idProperty());
                ObjectNode result = sandbox.recordJson(type, stored, shown);
                if (plan.input().traceId() != null) result.put("objectWriteTraceId", plan.input().traceId());
                if (operation.equals("upsert")) result.put("new", created);
                results.add(result);
            }
            ArrayNode errors = JSON.createArrayNode();
            for (Failure failure : failures) {
                ObjectNode entry = failure.conflict() != null
                        ? batchError("CONFLICT", failure.conflict())
                        : batchError("VALIDATION_ERROR", sandbox.propertyErrorMessage(failure.problems()));
                entry.putObject("context").putArray("objectWriteTraceId").add(failure.input().traceId());
                if (failure.conflict() == null) entry.set("errors", problemDetails(failure.problems()));
                errors.add(entry);
            }
            if (!notFound.isEmpty()) errors.add(notFoundError(type, notFound));
            String stamp = PropertyValues.INSTANT_FORMAT.format(now);
            body.put("startedAt", stamp);
            body.put("completedAt", stamp);
            if (errors.isEmpty()) return SandboxResponse.json(operation.equals("create") ? 201 : 200, body);
            body.put("numErrors", errors.size());
            body.set("errors", errors);
            return SandboxResponse.json(207, body);
        }
    }

    private Optional<Map.Entry<String, String>> claimedInBatch(ObjectType type, Map<String, String> changes,
                                                               Map<String, Integer> claimed, int index) {
        for (Map.Entry<String, String> change : changes.entrySet()) {
            if (change.getValue().isEmpty() || !type.isUnique(change.getKey())) continue;
            Integer holder = claimed.get(change.getKey() + "\u0000" + uniqueKey(type, change.getKey(), change.getValue()));
            if (holder != null && holder != index) {
                return Optional.of(Map.entry(change.getKey(), "(input " + holder + " of this batch)"));
            }
        }
        return Optional.empty();
    }

    SandboxResponse batchRead(SandboxRequest request, ObjectType type) {
        JsonNode body = readJson(request);
        List<JsonNode> nodes = inputs(body);
        String idProperty = body.hasNonNull("idProperty") ? body.get("idProperty").asText() : null;
        List<String> properties = new ArrayList<>();
        body.path("properties").forEach(p -> properties.add(p.asText()));
        Instant now = clock.instant();
        synchronized (data) {
            if (idProperty != null && !idProperty.equals("hs_object_id")) requireUniqueIdProperty(type, idProperty);
            ObjectNode answer = JSON.createObjectNode().put("status", "COMPLETE");
            ArrayNode results = answer.putArray("results");
            List<String> missing = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (JsonNode node : nodes) {
                String id = node.path("id").asText("");
                Optional<Stored> stored = idProperty == null || idProperty.equals("hs_object_id")
                        ? type.byId(id) : type.byUnique(idProperty, id);
                if (stored.isEmpty()) {
                    missing.add(id);
                } else if (seen.add(stored.get().id)) {
                    results.add(sandbox.recordJson(type, stored.get(), properties.isEmpty() ? type.defaultProperties : properties));
                }
            }
            String stamp = PropertyValues.INSTANT_FORMAT.format(now);
            answer.put("startedAt", stamp);
            answer.put("completedAt", stamp);
            if (missing.isEmpty()) return SandboxResponse.json(200, answer);
            answer.put("numErrors", 1);
            answer.putArray("errors").add(notFoundError(type, missing));
            return SandboxResponse.json(207, answer);
        }
    }

    SandboxResponse batchArchive(SandboxRequest request, ObjectType type) {
        List<JsonNode> nodes = inputs(readJson(request));
        synchronized (data) {
            // The contract answers 204 only: archiving an id that does not exist is not an error.
            nodes.forEach(node -> type.archive(node.path("id").asText("")));
        }
        return SandboxResponse.empty(204);
    }

    void rejectDuplicateIds(ObjectType type, List<Input> inputs) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (Input input : inputs) {
            String key = input.idProperty() == null ? input.id() : uniqueKey(type, input.idProperty(), input.id());
            if (!seen.add(key)) duplicates.add(input.id());
        }
        if (!duplicates.isEmpty()) {
            throw new SandboxReply(SandboxResponse.json(400, error("VALIDATION_ERROR",
                    "Duplicate IDs found in batch input: " + duplicates + ". IDs must be unique")));
        }
    }

    void requireUniqueIdProperty(ObjectType type, String idProperty) {
        if (type.property(idProperty).isEmpty()) {
            throw new SandboxReply(SandboxResponse.json(400, error("VALIDATION_ERROR",
                    "Property \"" + idProperty + "\" does not exist")));
        }
        if (!type.isUnique(idProperty)) {
            // HubSpot's wording (quoted in segmentio/action-destinations#3957).
            throw new SandboxReply(SandboxResponse.json(400, error("VALIDATION_ERROR",
                    "Unable to perform update/upsert by non-unique " + type.objectTypeId + " property " + idProperty
                            + " in portal ID " + portalId)));
        }
    }

    static List<JsonNode> inputs(JsonNode body) {
        JsonNode inputs = body.path("inputs");
        if (!inputs.isArray()) {
            throw new SandboxReply(SandboxResponse.json(400, error("VALIDATION_ERROR",
                    "Some required fields were not set: [inputs]")));
        }
        if (inputs.size() > MAX_BATCH_INPUTS) {
            // Worded like HubSpot's property-history variant ("The maximum number of inputs supported in a batch
            // request for property histories is 50. …", quoted in activepieces/activepieces#9359).
            throw new SandboxReply(SandboxResponse.json(400, error("VALIDATION_ERROR",
                    "The maximum number of inputs supported in a batch request is " + MAX_BATCH_INPUTS
                            + ". Please reduce the number of items and try again")));
        }
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode input : inputs) {
            if (!input.isObject()) {
                throw new SandboxReply(SandboxResponse.json(400, error("VALIDATION_ERROR", "Each input must be an object")));
            }
            list.add(input);
        }
        return list;
    }
}
