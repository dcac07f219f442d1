package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxReply;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.salesforce.Org.SaveResult;
import dev.ebb.sandbox.salesforce.SObjectType.Stored;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import static dev.ebb.sandbox.salesforce.RestAnswers.error;
import static dev.ebb.sandbox.salesforce.RestAnswers.notFound;
import static dev.ebb.sandbox.salesforce.RestAnswers.parseRecord;
import static dev.ebb.sandbox.salesforce.RestAnswers.readJson;
import static dev.ebb.sandbox.salesforce.SalesforceSandbox.parseText;

/**
 * Single records by id and by external id (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_retrieve.htm,
 * resources_sobject_upsert.htm): create, read, update, delete, and upsert or delete by an external id field, with
 * Salesforce's 300 Multiple Choices when an external id matches more than one record. The shared REST answers
 * (errors, saved-record JSON, field selection) are here, for the collection and bulk endpoints too.
 *
 * <p>Takes the sandbox's data lock around each call's reads and writes.
 */
final class SObjectRows {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Object data;
    private final Org org;

    SObjectRows(Object data, Org org) {
        this.data = data;
        this.org = org;
    }

    static ObjectNode saveJson(SaveResult result, boolean withCreated) {
        ObjectNode node = JSON.createObjectNode();
        if (result.success()) node.put("id", result.id());
        node.put("success", result.success());
        ArrayNode errors = node.putArray("errors");
        result.errors().forEach(e -> errors.add(e.collectionJson()));
        if (withCreated) node.put("created", result.success() && result.created());
        return node;
    }

    static SandboxResponse restErrors(int status, List<SaveError> errors) {
        ArrayNode body = JSON.createArrayNode();
        errors.forEach(e -> body.add(e.restJson()));
        return SandboxResponse.json(status, body);
    }

    SandboxResponse createOne(SandboxRequest request, SObjectType type) {
        JsonNode body = readJson(request);
        synchronized (data) {
            if (body.has("Id") || body.has("id")) return restErrors(400, List.of(SaveError.idInInsert()));
            SaveResult result = org.create(type, parseRecord(type, body, request.bodyText(), Set.of()), null);
            return result.success() ? SandboxResponse.json(201, saveJson(result, false))
                    : restErrors(400, result.errors());
        }
    }

    SandboxResponse getOne(SandboxRequest request, SObjectType type, String id, String dataPath) {
        synchronized (data) {
            Stored stored = SalesforceIds.normalize(id).flatMap(type::byId).orElseThrow(() -> new SandboxReply(notFound()));
            return SandboxResponse.json(200, type.recordJson(stored, selectedFields(request, type), dataPath));
        }
    }

    static List<SalesforceField> selectedFields(SandboxRequest request, SObjectType type) {
        Optional<String> fields = request.queryParam("fields");
        if (fields.isEmpty() || fields.get().isBlank()) return null;
        List<SalesforceField> selected = new ArrayList<>();
        for (String name : fields.get().split(",")) selected.add(namedField(type, name.trim()));
        return selected;
    }

    /** A field to read, or the 400 Salesforce answers for a field that does not exist. */
    static SalesforceField namedField(SObjectType type, String name) {
        return type.field(name).orElseThrow(() -> new SandboxReply(error(400, "INVALID_FIELD",
                "No such column '" + name + "' on entity '" + type.name + "'")));
    }

    SandboxResponse updateOne(SandboxRequest request, SObjectType type, String id) {
        JsonNode body = readJson(request);
        synchronized (data) {
            Optional<String> normalized = SalesforceIds.normalize(id);
            if (normalized.isEmpty() || type.byId(normalized.get()).isEmpty()) {
                if (normalized.isPresent() && type.wasDeleted(normalized.get())) {
                    return restErrors(404, List.of(SaveError.deleted()));
                }
                return notFound();
            }
            SaveResult result = org.update(type, normalized.get(), parseRecord(type, body, request.bodyText(),
                    Set.of("Id")), null);
            return result.success() ? SandboxResponse.empty(204) : restErrors(400, result.errors());
        }
    }

    SandboxResponse deleteOne(SObjectType type, String id) {
        synchronized (data) {
            Optional<String> normalized = SalesforceIds.normalize(id);
            if (normalized.isEmpty()) return notFound();
            if (type.byId(normalized.get()).isEmpty()) {
                return type.wasDeleted(normalized.get()) ? restErrors(404, List.of(SaveError.deleted())) : notFound();
            }
            SaveResult result = org.delete(type, normalized.get(), null);
            return result.success() ? SandboxResponse.empty(204) : restErrors(400, result.errors());
        }
    }

    SandboxResponse getByExternalId(SandboxRequest request, SObjectType type, SalesforceField field,
                                            String value, String dataPath) {
        synchronized (data) {
            List<Stored> matches = type.matching(field, parseText(field, value));
            if (matches.isEmpty()) return notFound();
            if (matches.size() > 1) return multipleChoices(type, matches, dataPath);
            return SandboxResponse.json(200, type.recordJson(matches.getFirst(), selectedFields(request, type), dataPath));
        }
    }

    private static SandboxResponse multipleChoices(SObjectType type, List<Stored> matches, String dataPath) {
        ArrayNode urls = JSON.createArrayNode();
        matches.forEach(s -> urls.add(dataPath + "/sobjects/" + type.name + "/" + s.id));
        return SandboxResponse.json(300, urls);
    }

    /**
     * {@code PATCH /sobjects/{Object}/{field}/{value}}: 201 and {@code created: true} for a new record, 200 and
     * {@code created: false} for an update (API 46.0 and later), 404 with {@code updateOnly=true} and no match, 300
     * when several records match (resources-sobject-upsert-patch.html).
     */
    SandboxResponse upsertOne(SandboxRequest request, SObjectType type, SalesforceField field, String value,
                                      String dataPath) {
        JsonNode body = readJson(request);
        synchronized (data) {
            requireMatchable(type, field);
            Map<String, Object> values = parseRecord(type, body, request.bodyText(), Set.of());
            Object key = parseText(field, value);
            Object given = values.get(field.name());
            if (given != null && !FieldValues.text(given).equalsIgnoreCase(FieldValues.text(key))) {
                return error(400, "INVALID_FIELD", "The value of the external ID field " + field.name()
                        + " in the body differs from the one in the URL");
            }
            values.put(field.name(), key);
            List<Stored> matches = type.matching(field, key);
            if (matches.size() > 1) return multipleChoices(type, matches, dataPath);
            boolean updateOnly = request.queryParam("updateOnly").map(Boolean::parseBoolean).orElse(false);
            if (matches.isEmpty() && updateOnly) return notFound();
            SaveResult result = org.upsert(type, field, values, null);
            if (!result.success()) return restErrors(400, result.errors());
            return SandboxResponse.json(result.created() ? 201 : 200, saveJson(result, true));
        }
    }

    SandboxResponse deleteByExternalId(SObjectType type, SalesforceField field, String value, String dataPath) {
        synchronized (data) {
            List<Stored> matches = type.matching(field, parseText(field, value));
            if (matches.isEmpty()) return notFound();
            if (matches.size() > 1) return multipleChoices(type, matches, dataPath);
            SaveResult result = org.delete(type, matches.getFirst().id, null);
            return result.success() ? SandboxResponse.empty(204) : restErrors(400, result.errors());
        }
    }

    static void requireMatchable(SObjectType type, SalesforceField field) {
        if (field.type() != SalesforceField.Type.ID && !field.canMatch()) {
            throw new SandboxReply(error(400, "INVALID_FIELD", "Field name provided, " + field.name()
                    + " is not an External ID or indexed field for " + type.name));
        }
    }
}
