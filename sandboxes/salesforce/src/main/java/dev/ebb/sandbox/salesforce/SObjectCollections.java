package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ebb.sandbox.SandboxReply;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.salesforce.Org.SaveResult;
import dev.ebb.sandbox.salesforce.Org.Tx;
import dev.ebb.sandbox.salesforce.SObjectType.Stored;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.ebb.sandbox.salesforce.RestAnswers.error;
import static dev.ebb.sandbox.salesforce.RestAnswers.methodNotAllowed;
import static dev.ebb.sandbox.salesforce.RestAnswers.notFound;
import static dev.ebb.sandbox.salesforce.RestAnswers.parseRecord;
import static dev.ebb.sandbox.salesforce.RestAnswers.readJson;
import static dev.ebb.sandbox.salesforce.SObjectRows.namedField;
import static dev.ebb.sandbox.salesforce.SObjectRows.requireMatchable;
import static dev.ebb.sandbox.salesforce.SObjectRows.saveJson;
import static dev.ebb.sandbox.salesforce.SObjectRows.selectedFields;
import static dev.ebb.sandbox.salesforce.SalesforceSandbox.MAX_COLLECTION_RECORDS;

/**
 * sObject Collections (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections.html):
 * create, update and upsert up to 200 records a call, delete by ids, and retrieve many records by ids (in the URL
 * or, for more than a URL holds, in a request body). Each record succeeds or fails on its own unless the call says
 * {@code allOrNone}.
 *
 * <p>Takes the sandbox's data lock around each call's reads and writes.
 */
final class SObjectCollections {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Object data;
    private final Org org;

    SObjectCollections(Object data, Org org) {
        this.data = data;
        this.org = org;
    }

    SandboxResponse route(SandboxRequest request, List<String> rest, String dataPath, int version) {
        String method = request.method();
        if (rest.isEmpty()) {
            return switch (method) {
                case "POST" -> collectionWrite(request, null, null, false);
                case "PATCH" -> collectionWrite(request, null, null, true);
                case "DELETE" -> collectionDelete(request);
                default -> methodNotAllowed(method, "POST,PATCH,DELETE");
            };
        }
        SObjectType type;
        synchronized (data) {
            type = org.type(rest.getFirst()).orElseThrow(() -> new SandboxReply(error(400, "INVALID_TYPE",
                    "sObject type '" + rest.getFirst() + "' is not supported.")));
        }
        if (rest.size() == 1) {
            return switch (method) {
                case "GET" -> collectionRetrieve(request, type, dataPath);
                case "POST" -> collectionRetrieveByBody(request, type, dataPath);
                default -> methodNotAllowed(method, "GET,POST");
            };
        }
        if (rest.size() == 2) {
            if (!method.equals("PATCH")) return methodNotAllowed(method, "PATCH");
            if (version < 46) return notFound();
            SalesforceField field;
            synchronized (data) {
                field = type.field(rest.get(1)).orElseThrow(() -> new SandboxReply(error(404, "NOT_FOUND",
                        "Provided external ID field does not exist or is not accessible: " + rest.get(1))));
                requireMatchable(type, field);
            }
            return collectionWrite(request, type, field, true);
        }
        return notFound();
    }

    private static boolean allOrNone(JsonNode body) {
        JsonNode flag = body.path("allOrNone");
        return flag.isBoolean() ? flag.booleanValue() : flag.isTextual() && Boolean.parseBoolean(flag.asText());
    }

    /**
     * Create (POST, {@code upsertType} null, not update), update (PATCH by id) or upsert (PATCH with an External ID
     * field) of at most 200 records; answers one result per record, in order.
     */
    private SandboxResponse collectionWrite(SandboxRequest request, SObjectType upsertType, SalesforceField ext,
                                            boolean patch) {
        JsonNode body = readJson(request);
        JsonNode records = body.path("records");
        if (!records.isArray()) {
            return error(400, "JSON_PARSER_ERROR", "Required field records is missing or not a list");
        }
        if (records.size() > MAX_COLLECTION_RECORDS) {
            return error(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than "
                    + MAX_COLLECTION_RECORDS + " records into this call");
        }
        boolean upsert = ext != null;
        boolean update = patch && !upsert;
        boolean allOrNone = allOrNone(body);
        String text = request.bodyText();
        synchronized (data) {
            // Parse every record first: a request Salesforce cannot deserialize fails as a whole.
            List<SObjectType> types = new ArrayList<>();
            List<Map<String, Object>> parsed = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (JsonNode record : records) {
                String typeName = record.path("attributes").path("type").asText("");
                if (typeName.isEmpty()) return error(400, "INVALID_TYPE", "Must send a concrete entity type.");
                SObjectType type = org.type(typeName).orElseThrow(() -> new SandboxReply(error(400, "INVALID_TYPE",
                        "sObject type '" + typeName + "' is not supported.")));
                if (upsert && type != upsertType) {
                    return error(400, "INVALID_TYPE", "Record type " + typeName + " does not match the type "
                            + upsertType.name + " of the request");
                }
                types.add(type);
                String id = record.hasNonNull("id") ? record.get("id").asText()
                        : record.hasNonNull("Id") ? record.get("Id").asText() : null;
                ids.add(id);
                parsed.add(parseRecord(type, record, text, upsert && ext.type() == SalesforceField.Type.ID ? Set.of()
                        : Set.of("Id")));
            }
            // An External ID value given more than once fails every record that gives it.
            Map<String, Integer> valueCounts = new HashMap<>();
            if (upsert) {
                for (Map<String, Object> values : parsed) {
                    Object value = values.get(ext.name());
                    if (value != null) valueCounts.merge(duplicateKey(ext, value), 1, Integer::sum);
                }
            }
            Tx tx = new Tx();
            List<SaveResult> results = new ArrayList<>();
            for (int i = 0; i < parsed.size(); i++) {
                SObjectType type = types.get(i);
                Map<String, Object> values = parsed.get(i);
                SaveResult result;
                if (upsert) {
                    Object value = values.get(ext.name());
                    result = value != null && valueCounts.get(duplicateKey(ext, value)) > 1
                            ? SaveResult.failed(SaveError.duplicateInRequest(FieldValues.text(value)))
                            : org.upsert(type, ext, values, tx);
                } else if (update) {
                    result = ids.get(i) == null ? SaveResult.failed(SaveError.missingId())
                            : org.update(type, ids.get(i), values, tx);
                } else {
                    result = ids.get(i) != null ? SaveResult.failed(SaveError.idInInsert()) : org.create(type, values, tx);
                }
                results.add(result);
            }
            if (allOrNone && results.stream().anyMatch(r -> !r.success())) {
                tx.rollback();
                results.replaceAll(r -> r.success() ? SaveResult.failed(SaveError.rolledBack()) : r);
            }
            ArrayNode answer = JSON.createArrayNode();
            results.forEach(r -> answer.add(saveJson(r, upsert)));
            return SandboxResponse.json(200, answer);
        }
    }

    static String duplicateKey(SalesforceField field, Object value) {
        String text = FieldValues.text(value);
        return field.type().textual() && !field.isCaseSensitive() ? text.toLowerCase(Locale.ROOT) : text;
    }

    /** {@code DELETE /composite/sobjects?ids=…&allOrNone=…}: ids of any objects. */
    private SandboxResponse collectionDelete(SandboxRequest request) {
        List<String> ids = request.queryParams("ids").stream().flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (ids.isEmpty()) return error(400, "MISSING_ARGUMENT", "Required parameter ids is missing");
        if (ids.size() > MAX_COLLECTION_RECORDS) {
            return error(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than "
                    + MAX_COLLECTION_RECORDS + " records into this call");
        }
        boolean allOrNone = request.queryParam("allOrNone").map(Boolean::parseBoolean).orElse(false);
        synchronized (data) {
            Tx tx = new Tx();
            List<SaveResult> results = new ArrayList<>();
            for (String id : ids) results.add(org.delete(null, id, tx));
            if (allOrNone && results.stream().anyMatch(r -> !r.success())) {
                tx.rollback();
                results.replaceAll(r -> r.success() ? SaveResult.failed(SaveError.rolledBack()) : r);
            }
            ArrayNode answer = JSON.createArrayNode();
            results.forEach(r -> answer.add(saveJson(r, false)));
            return SandboxResponse.json(200, answer);
        }
    }

    /** {@code GET /composite/sobjects/{Object}?ids=…&fields=…}: the records in order, null for ids not found. */
    private SandboxResponse collectionRetrieve(SandboxRequest request, SObjectType type, String dataPath) {
        List<String> ids = request.queryParams("ids").stream().flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (ids.isEmpty() || request.queryParam("fields").isEmpty()) {
            return error(400, "MISSING_ARGUMENT", "Required parameters ids and fields are missing");
        }
        synchronized (data) {
            return retrieved(type, ids, selectedFields(request, type), dataPath);
        }
    }

    /**
     * {@code POST /composite/sobjects/{Object}} with {@code {"ids": [...], "fields": [...]}}, for more ids than a URL
     * holds: "The request retrieves up to 2,000 records of the same object type", and "if a passed ID is invalid,
     * the array returns null for that object" ("Get Records With a Request Body Using sObject Collections",
     * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-retrieve-post.html).
     */
    private SandboxResponse collectionRetrieveByBody(SandboxRequest request, SObjectType type, String dataPath) {
        JsonNode body = readJson(request);
        List<String> ids = textArray(body, "ids");
        List<String> names = textArray(body, "fields");
        if (ids.isEmpty() || names.isEmpty()) {
            return error(400, "MISSING_ARGUMENT", "Required parameters ids and fields are missing");
        }
        synchronized (data) {
            List<SalesforceField> fields = new ArrayList<>();
            for (String name : names) fields.add(namedField(type, name));
            return retrieved(type, ids, fields, dataPath);
        }
    }

    /** The text items of the array {@code name} of a request body; a JSON parse error for anything else. */
    private static List<String> textArray(JsonNode body, String name) {
        JsonNode array = body.path(name);
        if (array.isMissingNode() || array.isNull()) return List.of();
        if (!array.isArray()) {
            throw new SandboxReply(error(400, "JSON_PARSER_ERROR", "Cannot deserialize value of type `java.util.List` from "
                    + array.getNodeType().name().toLowerCase(Locale.ROOT) + " value (" + name + ")"));
        }
        List<String> items = new ArrayList<>();
        array.forEach(item -> {
            if (!item.isTextual() || item.asText().isBlank()) return;
            items.add(item.asText().trim());
        });
        return items;
    }

    /** The records of {@code ids}, in order, with null for an id not found; up to 2,000 of them. */
    private SandboxResponse retrieved(SObjectType type, List<String> ids, List<SalesforceField> fields, String dataPath) {
        if (ids.size() > 2_000) return error(400, "EXCEEDED_ID_LIMIT", "record limit reached");
        ArrayNode answer = JSON.createArrayNode();
        for (String id : ids) {
            Optional<Stored> stored = SalesforceIds.normalize(id).flatMap(type::byId);
            if (stored.isPresent()) answer.add(type.recordJson(stored.get(), fields, dataPath));
            else answer.addNull();
        }
        return SandboxResponse.json(200, answer);
    }
}
