package dev.ebb.sandbox.hubspot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One object type of the sandbox (contacts, companies, a custom object): its properties, its records and the
 * index of its unique values. Not thread-safe: {@link HubSpotSandbox} holds its data lock around every use.
 */
final class ObjectType {
    final String objectTypeId;
    final String name;
    final String fullyQualifiedName;
    /** Upper-case singular used in HubSpot's messages ("CONTACT"). */
    final String messageName;
    /** Singular label used in conflict messages ("Contact"). */
    final String singularLabel;
    final String createdProperty;
    final String modifiedProperty;
    final List<String> defaultProperties;

    private final Map<String, HubSpotProperty> properties = new LinkedHashMap<>();
    private final Map<String, Stored> records = new TreeMap<>(ObjectType::compareIds);
    private final Map<String, Map<String, String>> uniqueIndex = new HashMap<>();

    /** A record's mutable state. */
    static final class Stored {
        final String id;
        final Map<String, String> values = new TreeMap<>();
        final Instant createdAt;
        Instant updatedAt;

        Stored(String id, Instant createdAt) {
            this.id = id;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }

        HubSpotRecord snapshot() {
            return new HubSpotRecord(id, values, createdAt, updatedAt);
        }
    }

    ObjectType(String objectTypeId, String name, String fullyQualifiedName, String singularLabel,
               String createdProperty, String modifiedProperty, List<String> defaultProperties) {
        this.objectTypeId = objectTypeId;
        this.name = name;
        this.fullyQualifiedName = fullyQualifiedName;
        this.singularLabel = singularLabel;
        this.messageName = singularLabel.toUpperCase(Locale.ROOT);
        this.createdProperty = createdProperty;
        this.modifiedProperty = modifiedProperty;
        this.defaultProperties = List.copyOf(defaultProperties);
    }

    /** Whether {@code reference} (a name, an object type id or a fully qualified name) names this type. */
    boolean answersTo(String reference) {
        return reference.equals(name) || reference.equals(objectTypeId)
                || reference.equals(fullyQualifiedName) || reference.equals("p_" + name);
    }

    // ---- properties ----

    Optional<HubSpotProperty> property(String propertyName) {
        return Optional.ofNullable(properties.get(propertyName));
    }

    List<HubSpotProperty> properties() {
        return List.copyOf(properties.values());
    }

    void addProperty(HubSpotProperty property) {
        if (properties.containsKey(property.name())) {
            throw new IllegalArgumentException("Property named '" + property.name() + "' already exists.");
        }
        properties.put(property.name(), property);
        if (property.hasUniqueValue()) {
            Map<String, String> index = new HashMap<>();
            records.values().forEach(r -> {
                String value = r.values.get(property.name());
                if (value != null) index.putIfAbsent(uniqueKey(property.name(), value), r.id);
            });
            uniqueIndex.put(property.name(), index);
        }
    }

    boolean isUnique(String propertyName) {
        return uniqueIndex.containsKey(propertyName);
    }

    /** Whether the property is contacts' email, which HubSpot validates, lower-cases and matches case-blind. */
    boolean isEmail(String propertyName) {
        return objectTypeId.equals("0-1") && propertyName.equals("email");
    }

    // ---- records ----

    List<Stored> records() {
        return new ArrayList<>(records.values());
    }

    int size() {
        return records.size();
    }

    Optional<Stored> byId(String id) {
        return Optional.ofNullable(records.get(id));
    }

    /** The record whose unique property {@code propertyName} holds {@code value}. */
    Optional<Stored> byUnique(String propertyName, String value) {
        Map<String, String> index = uniqueIndex.get(propertyName);
        if (index == null) return Optional.empty();
        return Optional.ofNullable(index.get(uniqueKey(propertyName, value))).map(records::get);
    }

    /** The id of the record other than {@code self} that already holds a unique value of {@code changes}. */
    Optional<Map.Entry<String, String>> uniqueConflict(Stored self, Map<String, String> changes) {
        for (Map.Entry<String, String> change : changes.entrySet()) {
            if (change.getValue().isEmpty() || !isUnique(change.getKey())) continue;
            Optional<Stored> holder = byUnique(change.getKey(), change.getValue());
            if (holder.isPresent() && holder.get() != self) {
                return Optional.of(Map.entry(change.getKey(), holder.get().id));
            }
        }
        return Optional.empty();
    }

    Stored create(String id, Map<String, String> changes, Instant now) {
        Stored stored = new Stored(id, now);
        records.put(id, stored);
        stored.values.put("hs_object_id", id);
        stored.values.put(createdProperty, PropertyValues.INSTANT_FORMAT.format(now));
        apply(stored, changes, now);
        return stored;
    }

    void apply(Stored stored, Map<String, String> changes, Instant now) {
        for (Map.Entry<String, String> change : changes.entrySet()) {
            String property = change.getKey();
            String previous = change.getValue().isEmpty()
                    ? stored.values.remove(property) : stored.values.put(property, change.getValue());
            Map<String, String> index = uniqueIndex.get(property);
            if (index != null) {
                if (previous != null) index.remove(uniqueKey(property, previous), stored.id);
                if (!change.getValue().isEmpty()) index.put(uniqueKey(property, change.getValue()), stored.id);
            }
        }
        stored.updatedAt = now;
        stored.values.put(modifiedProperty, PropertyValues.INSTANT_FORMAT.format(now));
    }

    void archive(String id) {
        Stored stored = records.remove(id);
        if (stored == null) return;
        stored.values.forEach((property, value) -> {
            Map<String, String> index = uniqueIndex.get(property);
            if (index != null) index.remove(uniqueKey(property, value), id);
        });
    }

    void clear() {
        records.clear();
        uniqueIndex.values().forEach(Map::clear);
    }

    private String uniqueKey(String propertyName, String value) {
        return isEmail(propertyName) ? value.toLowerCase(Locale.ROOT) : value;
    }

    private static int compareIds(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
}
