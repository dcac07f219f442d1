package dev.ebb.connector.braze;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.connector.support.Choices;
import dev.ebb.connector.support.Settings;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of Braze's three objects, as a sync may map them: the identifiers, the standard profile attributes and
 * the event and purchase fields of the post_user_track page
 * (https://www.braze.com/docs/api/endpoints/user_data/post_user_track/), the custom attributes Braze lists, and what
 * the entry declares itself ({@code custom_attributes}, {@code event_properties}). Immutable.
 */
final class BrazeFields {
    static final String USERS = "users";
    static final String EVENTS = "events";
    static final String PURCHASES = "purchases";
    static final String EXTERNAL_ID = "external_id";
    static final String USER_ALIAS = "user_alias";

    /** "Subscription status … opted_in, unsubscribed, subscribed" (user profile fields). */
    private static final List<String> SUBSCRIPTION = List.of("opted_in", "subscribed", "unsubscribed");
    private static final List<String> DECLARABLE = List.of("string", "number", "boolean", "time");

    /** Fields of events and purchases that are the object's own, not a property. */
    static final Set<String> EVENT_FIELDS = Set.of("name", "time", "app_id");
    static final Set<String> PURCHASE_FIELDS = Set.of("product_id", "currency", "price", "quantity", "time", "app_id");

    private final Map<String, FieldType> customAttributes;
    private final Map<String, FieldType> eventProperties;

    BrazeFields(Map<String, FieldType> customAttributes, Map<String, FieldType> eventProperties) {
        this.customAttributes = Map.copyOf(customAttributes);
        this.eventProperties = Map.copyOf(eventProperties);
    }

    /** {@code name:type, …} of a setting, each type one of string, number, boolean, time. */
    static Map<String, FieldType> declared(Settings settings, String key) {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        for (String entry : settings.string(key, "").split(",")) {
            if (entry.isBlank()) continue;
            String[] parts = entry.trim().split(":");
            if (parts.length != 2 || parts[0].isBlank()) {
                throw settings.problem(key + " entry '" + entry.trim() + "' should read name:type, e.g. churn_score:number");
            }
            String type;
            try {
                type = Choices.parse(parts[1], DECLARABLE, s -> s, "type of " + key + " entry " + parts[0].trim());
            } catch (IllegalArgumentException e) {
                throw settings.problem(e.getMessage());
            }
            fields.put(parts[0].trim(), switch (type) {
                case "number" -> FieldType.NUMBER;
                case "boolean" -> FieldType.BOOLEAN;
                case "time" -> FieldType.DATETIME;
                default -> FieldType.STRING;
            });
        }
        return fields;
    }

    /** The object's fields; for users, with the custom attributes of a {@code GET /custom_attributes} answer. */
    List<FieldSpec> of(String object, JsonNode listed) {
        List<FieldSpec> fields = new ArrayList<>();
        fields.add(new FieldSpec(EXTERNAL_ID, FieldType.STRING, true, false, List.of()));
        fields.add(new FieldSpec(USER_ALIAS, FieldType.STRING, true, false, List.of()));
        switch (object) {
            case USERS -> {
                for (String name : List.of("first_name", "last_name", "email", "phone", "country", "language",
                        "home_city", "gender", "time_zone")) {
                    fields.add(FieldSpec.of(name, FieldType.STRING));
                }
                fields.add(FieldSpec.of("dob", FieldType.DATE));
                fields.add(new FieldSpec("email_subscribe", FieldType.ENUMERATION, false, false, SUBSCRIPTION));
                fields.add(new FieldSpec("push_subscribe", FieldType.ENUMERATION, false, false, SUBSCRIPTION));
                Map<String, FieldType> custom = new LinkedHashMap<>();
                for (JsonNode attribute : listed.path("attributes")) {
                    FieldType type = switch (attribute.path("data_type").asText("")) {
                        case "Number" -> FieldType.NUMBER;
                        case "Boolean" -> FieldType.BOOLEAN;
                        case "Time", "Date" -> FieldType.DATETIME;
                        case "String" -> FieldType.STRING;
                        // Arrays and objects take no single column's value.
                        default -> null;
                    };
                    boolean blocked = attribute.path("status").asText("").equalsIgnoreCase("Blocklisted");
                    if (type != null && !blocked) custom.put(attribute.path("name").asText(), type);
                }
                custom.putAll(customAttributes);
                custom.forEach((name, type) -> {
                    if (fields.stream().noneMatch(f -> f.name().equals(name))) fields.add(FieldSpec.of(name, type));
                });
            }
            case EVENTS -> {
                fields.add(FieldSpec.of("name", FieldType.STRING));
                fields.add(FieldSpec.of("time", FieldType.DATETIME));
                fields.add(FieldSpec.of("app_id", FieldType.STRING));
                eventProperties.forEach((name, type) -> fields.add(FieldSpec.of(name, type)));
            }
            default -> {
                fields.add(FieldSpec.of("product_id", FieldType.STRING));
                fields.add(FieldSpec.of("currency", FieldType.STRING));
                fields.add(FieldSpec.of("price", FieldType.NUMBER));
                fields.add(FieldSpec.of("quantity", FieldType.NUMBER));
                fields.add(FieldSpec.of("time", FieldType.DATETIME));
                fields.add(FieldSpec.of("app_id", FieldType.STRING));
                eventProperties.forEach((name, type) -> fields.add(FieldSpec.of(name, type)));
            }
        }
        return fields;
    }

    /** What an event or purchase lacks that Braze requires, naming the field; empty when it has it all. */
    static Optional<String> missing(String object, Map<String, Object> values) {
        for (String field : required(object)) {
            if (values.get(field) == null) {
                return Optional.of("Braze " + object + " need '" + field + "'; map a column or a value to it");
            }
        }
        return Optional.empty();
    }

    /** The fields an object's record must carry: Braze refuses an event or purchase without them. */
    static List<String> required(String object) {
        return switch (object) {
            case EVENTS -> List.of("name", "time");
            case PURCHASES -> List.of("product_id", "currency", "price", "time");
            default -> List.of();
        };
    }
}
