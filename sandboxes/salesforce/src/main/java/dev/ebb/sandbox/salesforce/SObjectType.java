package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One sObject type of the sandbox org: its fields and its records, with an index on every field records can be
 * matched on. Not thread-safe: {@link SalesforceSandbox} guards every instance with its data lock.
 */
final class SObjectType {
    private static final ObjectMapper JSON = new ObjectMapper();

    final String name;
    final String label;
    final String labelPlural;
    final String keyPrefix;
    final boolean custom;
    private final Map<String, SalesforceField> fields = new LinkedHashMap<>();
    private final Map<String, Stored> records = new LinkedHashMap<>();
    private final Set<String> deleted = new HashSet<>();
    /** Folded field name to normalized value to ids. */
    private final Map<String, Map<String, Set<String>>> index = new HashMap<>();

    /** A record: its id and its values by field API name (system fields included). */
    static final class Stored {
        final String id;
        final Map<String, Object> values;

        Stored(String id, Map<String, Object> values) {
            this.id = id;
            this.values = values;
        }

        Object get(SalesforceField field) {
            return values.get(field.name());
        }
    }

    SObjectType(String name, String label, String labelPlural, String keyPrefix, boolean custom) {
        this.name = name;
        this.label = label;
        this.labelPlural = labelPlural;
        this.keyPrefix = keyPrefix;
        this.custom = custom;
        addField(SalesforceField.id());
    }

    // ---- fields -------------------------------------------------------------------------------------------

    void addField(SalesforceField field) {
        String key = fold(field.name());
        if (fields.containsKey(key)) {
            throw new IllegalArgumentException(name + " already has a field " + fields.get(key).name());
        }
        fields.put(key, field);
        if (field.indexed()) {
            Map<String, Set<String>> byValue = new HashMap<>();
            for (Stored stored : records.values()) {
                Object value = stored.get(field);
                if (value != null) byValue.computeIfAbsent(normalized(field, value), k -> new LinkedHashSet<>()).add(stored.id);
            }
            index.put(key, byValue);
        }
    }

    Optional<SalesforceField> field(String fieldName) {
        return Optional.ofNullable(fields.get(fold(fieldName)));
    }

    List<SalesforceField> fields() {
        return List.copyOf(fields.values());
    }

    // ---- records ------------------------------------------------------------------------------------------

    Optional<Stored> byId(String id18) {
        return Optional.ofNullable(records.get(id18));
    }

    boolean wasDeleted(String id18) {
        return deleted.contains(id18);
    }

    Collection<Stored> records() {
        return records.values();
    }

    int size() {
        return records.size();
    }

    /** Records whose {@code field} holds {@code value} (text compared case-blind unless the field is case-sensitive). */
    List<Stored> matching(SalesforceField field, Object value) {
        if (value == null) return List.of();
        if (field.type() == SalesforceField.Type.ID) {
            return SalesforceIds.normalize(value.toString()).flatMap(this::byId).map(List::of).orElse(List.of());
        }
        Map<String, Set<String>> byValue = index.get(fold(field.name()));
        String wanted = normalized(field, value);
        if (byValue != null) {
            return byValue.getOrDefault(wanted, Set.of()).stream().map(records::get).toList();
        }
        List<Stored> found = new ArrayList<>();
        for (Stored stored : records.values()) {
            Object held = stored.get(field);
            if (held != null && normalized(field, held).equals(wanted)) found.add(stored);
        }
        return found;
    }

    void insert(Stored stored) {
        records.put(stored.id, stored);
        deleted.remove(stored.id);
        stored.values.forEach((fieldName, value) -> indexAdd(fieldName, value, stored.id));
    }

    /** Replaces a record's values (for updates and undo). */
    void replace(Stored stored, Map<String, Object> values) {
        stored.values.forEach((fieldName, value) -> indexRemove(fieldName, value, stored.id));
        stored.values.clear();
        stored.values.putAll(values);
        stored.values.forEach((fieldName, value) -> indexAdd(fieldName, value, stored.id));
    }

    /** Removes a record; {@code tombstone} remembers it as deleted (what a delete does, unlike an undone create). */
    void remove(String id, boolean tombstone) {
        Stored stored = records.remove(id);
        if (stored != null) stored.values.forEach((fieldName, value) -> indexRemove(fieldName, value, id));
        if (tombstone) deleted.add(id);
        else deleted.remove(id);
    }

    void clear() {
        records.clear();
        deleted.clear();
        index.values().forEach(Map::clear);
    }

    private void indexAdd(String fieldName, Object value, String id) {
        Map<String, Set<String>> byValue = index.get(fold(fieldName));
        if (byValue == null || value == null) return;
        byValue.computeIfAbsent(normalized(fields.get(fold(fieldName)), value), k -> new LinkedHashSet<>()).add(id);
    }

    private void indexRemove(String fieldName, Object value, String id) {
        Map<String, Set<String>> byValue = index.get(fold(fieldName));
        if (byValue == null || value == null) return;
        String key = normalized(fields.get(fold(fieldName)), value);
        Set<String> ids = byValue.get(key);
        if (ids != null) {
            ids.remove(id);
            if (ids.isEmpty()) byValue.remove(key);
        }
    }

    private static String normalized(SalesforceField field, Object value) {
        String text = FieldValues.text(value);
        return field.type().textual() && !field.isCaseSensitive() ? text.toLowerCase(Locale.ROOT) : text;
    }

    // ---- describe -----------------------------------------------------------------------------------------

    /** {@code GET /sobjects/{Object}/describe}. */
    ObjectNode describe(String dataPath) {
        ObjectNode node = summary(dataPath);
        node.putArray("childRelationships");
        ArrayNode fieldArray = node.putArray("fields");
        fields.values().forEach(f -> fieldArray.add(f.describe()));
        node.putArray("recordTypeInfos");
        node.putArray("supportedScopes");
        return node;
    }

    /** An entry of {@code GET /sobjects} (describeGlobal) and the head of describe. */
    ObjectNode summary(String dataPath) {
        ObjectNode node = JSON.createObjectNode();
        node.put("activateable", false);
        node.put("createable", true);
        node.put("custom", custom);
        node.put("customSetting", false);
        node.put("deletable", true);
        node.put("deprecatedAndHidden", false);
        node.put("feedEnabled", false);
        node.put("keyPrefix", keyPrefix);
        node.put("label", label);
        node.put("labelPlural", labelPlural);
        node.put("layoutable", true);
        node.put("mergeable", name.equals("Contact") || name.equals("Account"));
        node.put("name", name);
        node.put("queryable", true);
        node.put("replicateable", true);
        node.put("retrieveable", true);
        node.put("searchable", true);
        node.put("triggerable", true);
        node.put("undeletable", true);
        node.put("updateable", true);
        ObjectNode urls = node.putObject("urls");
        String base = dataPath + "/sobjects/" + name;
        urls.put("rowTemplate", base + "/{ID}");
        urls.put("defaultValues", base + "/defaultValues?recordTypeId&fields");
        urls.put("describe", base + "/describe");
        urls.put("sobject", base);
        return node;
    }

    /** A record as REST answers it: {@code attributes}, then the requested fields (all when null). */
    ObjectNode recordJson(Stored stored, List<SalesforceField> selected, String dataPath) {
        ObjectNode node = JSON.createObjectNode();
        node.putObject("attributes").put("type", name).put("url", dataPath + "/sobjects/" + name + "/" + stored.id);
        for (SalesforceField field : selected == null ? fields() : selected) {
            node.set(field.name(), FieldValues.toJson(stored.get(field)));
        }
        return node;
    }

    SalesforceRecord snapshot(Stored stored) {
        return new SalesforceRecord(name, stored.id, stored.values);
    }

    static String fold(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
