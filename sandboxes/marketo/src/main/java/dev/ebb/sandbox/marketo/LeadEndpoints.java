package dev.ebb.sandbox.marketo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.marketo.MarketoSandbox.Lead;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.ebb.sandbox.marketo.MarketoSandbox.ACTIONS;
import static dev.ebb.sandbox.marketo.MarketoSandbox.DEFAULT_FIELDS;
import static dev.ebb.sandbox.marketo.MarketoSandbox.MAX_BATCH;
import static dev.ebb.sandbox.marketo.MarketoSandbox.first;
import static dev.ebb.sandbox.marketo.MarketoSandbox.splitAll;

/**
 * The Lead Database endpoints (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/leads):
 * Sync Leads (createOrUpdate, createOnly, updateOnly, createDuplicate by a lookup field, up to 300 records, each
 * answered with its status or skipped reasons), Get Leads by Filter Type and by id with paging tokens, Describe
 * and Describe2, and Delete Leads. The leads and fields they read and write are the sandbox's.
 *
 * <p>Takes the sandbox's data lock around each call's reads and writes.
 */
final class LeadEndpoints {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final MarketoSandbox sandbox;

    LeadEndpoints(MarketoSandbox sandbox) {
        this.sandbox = sandbox;
    }

    SandboxResponse syncLeads(SandboxRequest request) {
        JsonNode body = sandbox.readJson(request);
        String action = body.hasNonNull("action") ? body.get("action").asText() : "createOrUpdate";
        if (!ACTIONS.contains(action)) {
            throw sandbox.fail("1003", "Invalid data: action '" + action + "' is not one of " + ACTIONS.stream().sorted().toList());
        }
        // "If lookupField is omitted, the default key is email" (leads page, Create and Update).
        String lookupField = body.hasNonNull("lookupField") ? body.get("lookupField").asText() : "email";
        JsonNode input = body.get("input");
        if (input == null || !input.isArray() || input.isEmpty()) throw sandbox.fail("701", "input cannot be blank");
        if (input.size() > MAX_BATCH) {
            throw sandbox.fail("1003", "Invalid data: input holds " + input.size() + " records, at most " + MAX_BATCH
                    + " are allowed");
        }
        ArrayNode result = JSON.createArrayNode();
        synchronized (sandbox.data) {
            Instant now = sandbox.clock().instant();
            MarketoField lookup = sandbox.fields.get(lookupField);
            ObjectNode lookupProblem = null;
            if (lookup == null) {
                lookupProblem = skipped("1006", "Field '" + lookupField + "' not found");
            } else if (!sandbox.lookupable(lookup)) {
                // 1011: "When lookup field or filterType specified with unsupported standard fields" (error-codes page).
                lookupProblem = skipped("1011", "Field '" + lookupField + "' not supported");
            } else if (lookupField.equals("id") && !action.equals("updateOnly")) {
                // "The id field can only be included as a parameter when using the updateOnly action" (leads page).
                lookupProblem = skipped("1003", "Invalid data");
            }
            for (JsonNode record : input) {
                result.add(lookupProblem != null ? lookupProblem.deepCopy() : syncOne(record, action, lookup, now));
            }
        }
        // "Records included in the result array of calls are ordered in the same way as the input array"
        // (error-codes page, Record-Level).
        return sandbox.success(result);
    }

    ObjectNode syncOne(JsonNode record, String action, MarketoField lookup, Instant now) {
        if (!record.isObject()) return skipped("1003", "Invalid data");
        if (record.has("id") && !action.equals("updateOnly")) {
            // 1003: "such as when id is submitted for a lead with action designated as createOnly" (error-codes page).
            return skipped("1003", "Invalid data");
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : record.properties()) {
            MarketoField field = sandbox.fields.get(entry.getKey());
            if (field == null) return skipped("1006", "Field '" + entry.getKey() + "' not found");
            if (field.name().equals("id")) continue; // updateOnly's lookup key, never written
            if (field.readOnly()) return skipped("1003", "Invalid data: field '" + field.name() + "' is read-only");
            Object converted = LeadValues.convert(field, entry.getValue());
            if (converted instanceof LeadValues.Invalid invalid) return skipped("1001", invalid.message());
            changes.put(field.name(), converted);
        }
        Lead target = null;
        if (!action.equals("createDuplicate")) {
            JsonNode key = record.get(lookup.name());
            if (key == null || key.isNull() || key.asText().isEmpty()) {
                // "The field must be present in each lead record of the input" (SyncLeadRequest, swagger-mapi.json).
                return skipped("1003", "Value for lookup field '" + lookup.name() + "' not found");
            }
            List<Lead> matches = sandbox.find(lookup, key.asText());
            switch (action) {
                case "createOnly" -> {
                    if (!matches.isEmpty()) return skipped("1005", "Lead already exists");
                }
                case "updateOnly" -> {
                    if (matches.isEmpty()) return skipped("1004", "Lead not found");
                    if (matches.size() > 1) return skipped("1007", "Multiple leads match the lookup criteria");
                    target = matches.getFirst();
                }
                default -> {
                    if (matches.size() > 1) return skipped("1007", "Multiple leads match the lookup criteria");
                    target = matches.isEmpty() ? null : matches.getFirst();
                }
            }
        }
        boolean created = target == null;
        if (created) {
            target = new Lead(sandbox.nextLeadId++, now);
            sandbox.leads.put(target.id, target);
        } else {
            target.updatedAt = now;
        }
        sandbox.apply(target, changes);
        return JSON.createObjectNode().put("id", target.id).put("status", created ? "created" : "updated");
    }

    private static ObjectNode skipped(String code, String message) {
        ObjectNode node = JSON.createObjectNode().put("status", "skipped");
        node.putArray("reasons").addObject().put("code", code).put("message", message);
        return node;
    }

    SandboxResponse getLeads(Map<String, List<String>> params) {
        String filterType = first(params, "filterType");
        if (filterType == null || filterType.isBlank()) throw sandbox.fail("701", "filterType cannot be blank");
        List<String> values = splitAll(params.getOrDefault("filterValues", List.of()));
        if (values.isEmpty()) throw sandbox.fail("701", "filterValues cannot be blank");
        if (values.size() > MAX_BATCH) {
            throw sandbox.fail("1003", "Invalid data: filterValues holds " + values.size() + " values, at most " + MAX_BATCH
                    + " are allowed");
        }
        int batchSize = MAX_BATCH;
        String batchText = first(params, "batchSize");
        if (batchText != null && !batchText.isBlank()) {
            try {
                batchSize = Math.min(MAX_BATCH, Math.max(1, Integer.parseInt(batchText.trim())));
            } catch (NumberFormatException e) {
                throw sandbox.fail("1001", "Invalid value '" + batchText + "'. Required of type 'integer'");
            }
        }
        int offset = offset(first(params, "nextPageToken"));
        ArrayNode result = JSON.createArrayNode();
        ObjectNode body = JSON.createObjectNode();
        synchronized (sandbox.data) {
            MarketoField filter = sandbox.fields.get(filterType);
            if (filter == null) throw sandbox.fail("1006", "Field '" + filterType + "' not found");
            if (!sandbox.lookupable(filter)) throw sandbox.fail("1011", "Field '" + filterType + "' not supported");
            List<String> wanted = wantedFields(params);
            Set<Long> seen = new LinkedHashSet<>();
            for (String value : values) sandbox.find(filter, value).forEach(lead -> seen.add(lead.id));
            // "If the number of leads matching the lead filter is greater than 1,000 an error is returned:
            // '1003, Too many results match the filter'" (leads page).
            if (seen.size() > 1_000) throw sandbox.fail("1003", "Too many results match the filter");
            List<Long> ids = new ArrayList<>(seen);
            int end = Math.min(ids.size(), offset + batchSize);
            for (Long id : ids.subList(Math.min(offset, ids.size()), end)) result.add(sandbox.leadJson(sandbox.leads.get(id), wanted));
            if (end < ids.size()) {
                body.put("moreResult", true);
                body.put("nextPageToken", Base64.getEncoder().encodeToString(("offset:" + end)
                        .getBytes(StandardCharsets.UTF_8)));
            }
        }
        // "If no records are found, the response indicates success but the result array will be empty."
        body.put("requestId", sandbox.requestId());
        body.set("result", result);
        body.put("success", true);
        return SandboxResponse.json(200, body);
    }

    SandboxResponse getLead(long id, Map<String, List<String>> params) {
        ArrayNode result = JSON.createArrayNode();
        synchronized (sandbox.data) {
            List<String> wanted = wantedFields(params);
            Lead lead = sandbox.leads.get(id);
            if (lead != null) result.add(sandbox.leadJson(lead, wanted));
        }
        return sandbox.success(result);
    }

    List<String> wantedFields(Map<String, List<String>> params) {
        List<String> wanted = splitAll(params.getOrDefault("fields", List.of()));
        if (wanted.isEmpty()) return DEFAULT_FIELDS;
        List<String> unknown = wanted.stream().filter(f -> !sandbox.fields.containsKey(f)).toList();
        // Marketo's answer to unknown names in fields, e.g. [{"code":"1003","message":"Invalid fields [site, fax]"}]
        // (quoted in airbytehq/airbyte#25064).
        if (!unknown.isEmpty()) throw sandbox.fail("1003", "Invalid fields [" + String.join(", ", unknown) + "]");
        return wanted;
    }

    int offset(String token) {
        if (token == null || token.isBlank()) return 0;
        try {
            String decoded = new String(Base64.getDecoder().decode(token.trim()), StandardCharsets.UTF_8);
            if (decoded.startsWith("offset:")) return Integer.parseInt(decoded.substring(7));
        } catch (IllegalArgumentException e) {
            // fall through to the error
        }
        throw sandbox.fail("1003", "Invalid data: nextPageToken '" + token + "' is not a paging token of this endpoint");
    }

    /** Describe Lead: id, displayName, dataType, length, and the rest and soap names with readOnly (leads page). */
    SandboxResponse describe() {
        ArrayNode result = JSON.createArrayNode();
        synchronized (sandbox.data) {
            for (MarketoField field : sandbox.fields.values()) {
                ObjectNode node = result.addObject()
                        .put("id", sandbox.fieldIds.get(field.name()))
                        .put("displayName", field.displayName())
                        .put("dataType", field.dataType());
                if (field.length() != null) node.put("length", field.length());
                node.putObject("rest").put("name", field.name()).put("readOnly", field.readOnly());
                node.putObject("soap").put("name", Character.toUpperCase(field.name().charAt(0))
                        + field.name().substring(1)).put("readOnly", field.readOnly());
            }
        }
        return sandbox.success(result);
    }

    /** Describe Lead2: the searchable fields (valid filterTypes and lookup fields) and each field's metadata. */
    SandboxResponse describe2() {
        ArrayNode result = JSON.createArrayNode();
        ObjectNode lead = result.addObject().put("name", "API Lead");
        ArrayNode searchable = lead.putArray("searchableFields");
        ArrayNode list = lead.putArray("fields");
        synchronized (sandbox.data) {
            for (MarketoField field : sandbox.fields.values()) {
                if (sandbox.lookupable(field)) searchable.addArray().add(field.name());
                ObjectNode node = list.addObject()
                        .put("name", field.name())
                        .put("displayName", field.displayName())
                        .put("dataType", field.dataType());
                if (field.length() != null) node.put("length", field.length());
                node.put("updateable", !field.readOnly()).put("crmManaged", false);
            }
        }
        return sandbox.success(result);
    }

    SandboxResponse delete(SandboxRequest request) {
        List<JsonNode> ids = new ArrayList<>();
        if (request.body().length > 0) {
            JsonNode input = sandbox.readJson(request).get("input");
            if (input != null && input.isArray()) input.forEach(node -> ids.add(node.path("id")));
        } else {
            // "Parameter can be specified if the request body is empty" (Delete Leads, swagger-mapi.json).
            splitAll(request.queryParams("id")).forEach(id -> ids.add(JSON.getNodeFactory().textNode(id)));
        }
        if (ids.isEmpty()) throw sandbox.fail("701", "input cannot be blank");
        if (ids.size() > MAX_BATCH) {
            // "The maximum is 300 leads per request" (leads page, Delete).
            throw sandbox.fail("1003", "Invalid data: input holds " + ids.size() + " records, at most " + MAX_BATCH
                    + " are allowed");
        }
        ArrayNode result = JSON.createArrayNode();
        synchronized (sandbox.data) {
            for (JsonNode idNode : ids) {
                long id;
                try {
                    id = idNode.isNumber() ? idNode.asLong() : Long.parseLong(idNode.asText().trim());
                } catch (NumberFormatException e) {
                    result.add(skipped("1001", "Invalid value '" + idNode.asText() + "'. Required of type 'integer'"));
                    continue;
                }
                Lead removed = sandbox.leads.remove(id);
                if (removed == null) {
                    ObjectNode node = skipped("1004", "Lead not found");
                    result.add(JSON.createObjectNode().put("id", id).setAll(node));
                    continue;
                }
                sandbox.unindex(removed);
                result.add(JSON.createObjectNode().put("id", id).put("status", "deleted"));
            }
        }
        return sandbox.success(result);
    }
}
