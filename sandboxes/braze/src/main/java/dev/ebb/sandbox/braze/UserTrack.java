package dev.ebb.sandbox.braze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxResponse;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /users/track} (https://www.braze.com/docs/api/endpoints/user_data/post_user_track/): checks every
 * object of the {@code attributes}, {@code events} and {@code purchases} arrays, applies the valid ones, and answers
 * as Braze does:
 * <ul>
 *   <li>{@code 201 {"message":"success","attributes_processed":n,…}} with, when some objects were refused,
 *       {@code "errors":[{"type":"'price' is not valid","input_array":"purchases","index":0}]}: "any messages that
 *       were not affected by an error in the errors array will still be delivered"
 *       (https://www.braze.com/docs/api/errors/);</li>
 *   <li>{@code 400 {"message":"Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.",
 *       "errors":[…]}} when no object was valid (the wording Braze answers, as quoted in a public client log);</li>
 *   <li>{@code 400} for more than {@link BrazeSandbox#MAX_OBJECTS} objects in one request, or a body that is not a
 *       JSON object.</li>
 * </ul>
 * Called under the sandbox's data lock.
 */
final class UserTrack {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String NO_VALID_DATA =
            "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.";
    private static final List<String> ARRAYS = List.of("attributes", "events", "purchases");
    /** Identifier keys, and the flags Braze reads from attribute objects rather than storing. */
    private static final Set<String> RESERVED = Set.of("external_id", "user_alias", "braze_id", "email_address",
            "_update_existing_only", "update_existing_only");
    /** "Subscription status: opted_in, unsubscribed or subscribed" (user profile field reference). */
    private static final Set<String> SUBSCRIPTION = Set.of("opted_in", "unsubscribed", "subscribed");
    /** "gender: M, F, O (other), N (not applicable), P (prefer not to say) or nil (unknown)". */
    private static final Set<String> GENDERS = Set.of("M", "F", "O", "N", "P", "U");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private final BrazeSandbox sandbox;

    UserTrack(BrazeSandbox sandbox) {
        this.sandbox = sandbox;
    }

    SandboxResponse handle(JsonNode body) {
        if (body == null || !body.isObject()) return BrazeSandbox.message(400, "Request body must be a JSON object");
        int objects = 0;
        for (String array : ARRAYS) objects += body.path(array).size();
        if (objects > BrazeSandbox.MAX_OBJECTS) {
            return BrazeSandbox.message(400, "Too many objects in request: " + objects + " given; /users/track takes "
                    + "up to " + BrazeSandbox.MAX_OBJECTS + " attribute, event and purchase objects in total");
        }
        ArrayNode errors = JSON.createArrayNode();
        ObjectNode answer = JSON.createObjectNode().put("message", "success");
        int processed = 0;
        for (String array : ARRAYS) {
            JsonNode items = body.path(array);
            if (items.isMissingNode()) continue;
            int accepted = 0;
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                Optional<String> problem = problem(array, item);
                if (problem.isPresent()) {
                    errors.addObject().put("type", problem.get()).put("input_array", array).put("index", i);
                    continue;
                }
                apply(array, (ObjectNode) item);
                accepted++;
            }
            answer.put(array + "_processed", accepted);
            processed += accepted;
        }
        if (!errors.isEmpty()) answer.set("errors", errors);
        if (processed == 0) {
            ObjectNode refused = JSON.createObjectNode().put("message", NO_VALID_DATA);
            refused.set("errors", errors);
            return SandboxResponse.json(400, refused);
        }
        return SandboxResponse.json(201, answer);
    }

    // ---- validation ---------------------------------------------------------------------------------------

    private Optional<String> problem(String array, JsonNode item) {
        if (!item.isObject()) return Optional.of("object is not valid");
        Optional<String> identity = identityProblem(item);
        if (identity.isPresent()) return identity;
        return switch (array) {
            case "attributes" -> attributeProblem(item);
            case "events" -> required(item, "name").or(() -> time(item));
            default -> required(item, "product_id").or(() -> currency(item)).or(() -> price(item))
                    .or(() -> time(item)).or(() -> quantity(item));
        };
    }

    /** "Each object needs one of external_id, user_alias, braze_id, email or phone" (post_user_track page). */
    private static Optional<String> identityProblem(JsonNode item) {
        JsonNode alias = item.path("user_alias");
        boolean hasExternal = item.path("external_id").isTextual() && !item.path("external_id").asText().isBlank();
        boolean hasAlias = alias.isObject();
        if (hasAlias && (!alias.path("alias_name").isTextual() || !alias.path("alias_label").isTextual())) {
            return Optional.of("'user_alias' is not valid: it needs alias_name and alias_label");
        }
        if (hasExternal || hasAlias) return Optional.empty();
        if (item.has("braze_id") || item.has("email") || item.has("phone")) {
            return Optional.of("'braze_id', 'email' and 'phone' identifiers are not modelled by the sandbox; "
                    + "use external_id or user_alias");
        }
        return Optional.of("'external_id' or 'braze_id' or 'user_alias' is required");
    }

    private Optional<String> attributeProblem(JsonNode item) {
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (RESERVED.contains(name) || value.isNull()) continue;
            if (name.startsWith("$")) return Optional.of("'" + name + "' is not valid: names starting with $ are reserved");
            boolean valid = switch (name) {
                case "email_subscribe", "push_subscribe" -> value.isTextual() && SUBSCRIPTION.contains(value.asText());
                case "gender" -> value.isTextual() && GENDERS.contains(value.asText());
                case "country" -> value.isTextual() && COUNTRY.matcher(value.asText()).matches();
                case "dob" -> value.isTextual() && date(value.asText());
                case "email" -> value.isTextual() && value.asText().contains("@");
                default -> true;
            };
            if (!valid) return Optional.of("'" + name + "' is not valid");
        }
        return Optional.empty();
    }

    private static Optional<String> required(JsonNode item, String field) {
        JsonNode value = item.path(field);
        return value.isTextual() && !value.asText().isBlank() ? Optional.empty()
                : Optional.of("'" + field + "' is required");
    }

    private static Optional<String> time(JsonNode item) {
        if (!item.has("time")) return Optional.of("'time' is required");
        try {
            OffsetDateTime.parse(item.path("time").asText());
            return Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.of("'time' is not valid");
        }
    }

    private static Optional<String> currency(JsonNode item) {
        if (!item.has("currency")) return Optional.of("'currency' is required");
        return CURRENCY.matcher(item.path("currency").asText()).matches() ? Optional.empty()
                : Optional.of("'currency' is not valid");
    }

    private static Optional<String> price(JsonNode item) {
        if (!item.has("price")) return Optional.of("'price' is required");
        return item.path("price").isNumber() ? Optional.empty() : Optional.of("'price' is not valid");
    }

    /** "quantity: … between 1 and 100" (post_user_track page, purchase object). */
    private static Optional<String> quantity(JsonNode item) {
        if (!item.has("quantity")) return Optional.empty();
        JsonNode q = item.path("quantity");
        return q.canConvertToInt() && q.isIntegralNumber() && q.asInt() >= 1 && q.asInt() <= 100 ? Optional.empty()
                : Optional.of("'quantity' is not valid");
    }

    private static boolean date(String text) {
        try {
            LocalDate.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    // ---- applying -----------------------------------------------------------------------------------------

    private void apply(String array, ObjectNode item) {
        boolean existingOnly = item.path("_update_existing_only").asBoolean(!item.has("external_id"));
        Optional<BrazeSandbox.Profile> found = sandbox.find(item);
        // "When using a user_alias, 'Update Only' defaults to true" (post_user_track page).
        if (found.isEmpty() && existingOnly) return;
        BrazeSandbox.Profile profile = found.orElseGet(() -> sandbox.create(item));
        switch (array) {
            case "attributes" -> item.fields().forEachRemaining(field -> {
                if (RESERVED.contains(field.getKey())) return;
                // "Setting a custom attribute value to null will remove it from the user's profile."
                if (field.getValue().isNull()) {
                    profile.attributes.remove(field.getKey());
                } else {
                    profile.attributes.put(field.getKey(), field.getValue());
                    sandbox.noteAttribute(field.getKey(), field.getValue());
                }
            });
            case "events" -> profile.events.add(copy(item));
            default -> profile.purchases.add(copy(item));
        }
    }

    private static ObjectNode copy(ObjectNode item) {
        ObjectNode copy = item.deepCopy();
        copy.remove(new ArrayList<>(RESERVED));
        return copy;
    }
}
