package dev.ebb.connector.braze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.WriteBatch;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code /users/track} request for one batch: each record is one object of the batch's array ({@code attributes}
 * for users, {@code events}, {@code purchases}), so Braze's per-object errors, which name the array and the index
 * ({@code {"type":"'price' is not valid","input_array":"purchases","index":0}}), point back at one record each.
 * Not thread-safe; one per call.
 */
final class TrackPayload {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String array;
    private final boolean profiles;
    private final ArrayNode objects = JSON.createArrayNode();
    private final List<OutboundRecord> sent = new ArrayList<>();
    private final List<RecordResult> refusedBeforeSending = new ArrayList<>();

    /**
     * @param existingOnly whether attributes may only change existing profiles ({@code _update_existing_only}),
     *                     as an update does
     * @param aliasLabel   the {@code alias_label} when the batch matches on {@code user_alias}
     */
    TrackPayload(WriteBatch batch, boolean existingOnly, String aliasLabel) {
        this.array = switch (batch.object()) {
            case BrazeFields.USERS -> "attributes";
            case BrazeFields.EVENTS -> "events";
            default -> "purchases";
        };
        Set<String> own = switch (batch.object()) {
            case BrazeFields.EVENTS -> BrazeFields.EVENT_FIELDS;
            case BrazeFields.PURCHASES -> BrazeFields.PURCHASE_FIELDS;
            default -> null;
        };
        this.profiles = own == null;
        for (OutboundRecord record : batch.records()) {
            ObjectNode object = JSON.createObjectNode();
            if (batch.matchField().equals(BrazeFields.USER_ALIAS)) {
                object.putObject("user_alias").put("alias_name", record.matchValue()).put("alias_label", aliasLabel);
            } else {
                object.put(BrazeFields.EXTERNAL_ID, record.matchValue());
            }
            // "When using a user_alias, 'Update Only' defaults to true" (post_user_track page): say it either way.
            if (own == null) object.put("_update_existing_only", existingOnly);
            else if (batch.matchField().equals(BrazeFields.USER_ALIAS)) object.put("_update_existing_only", false);
            String unsendable = BrazeFields.missing(batch.object(), record.fields()).orElse(null);
            for (Map.Entry<String, Object> field : record.fields().entrySet()) {
                if (unsendable != null) break;
                String name = field.getKey();
                if (name.equals(BrazeFields.EXTERNAL_ID) || name.equals(BrazeFields.USER_ALIAS)) continue;
                // Only a profile attribute is cleared by null; an event or purchase simply lacks the value.
                if (own != null && field.getValue() == null) continue;
                ObjectNode target = own == null || own.contains(name) ? object : properties(object);
                if (!put(target, name, field.getValue())) {
                    unsendable = "not sent: " + name + " = " + field.getValue()
                            + " is not a finite number, and Braze takes only finite numbers";
                    break;
                }
            }
            if (unsendable != null) {
                refusedBeforeSending.add(RecordResult.rejected(record.key(), unsendable));
                continue;
            }
            objects.add(object);
            sent.add(record);
        }
    }

    private static ObjectNode properties(ObjectNode object) {
        JsonNode existing = object.get("properties");
        return existing instanceof ObjectNode node ? node : object.putObject("properties");
    }

    /** Puts a value in Braze's JSON form; false for a number Braze cannot hold (NaN, infinity). */
    private static boolean put(ObjectNode target, String name, Object value) {
        switch (value) {
            // "Setting a custom attribute value to null will remove it from the user's profile."
            case null -> target.putNull(name);
            case String s -> target.put(name, s);
            case BigDecimal d -> target.put(name, d);
            case Long l -> target.put(name, l);
            case Integer i -> target.put(name, i);
            case Double d -> {
                if (!Double.isFinite(d)) return false;
                target.put(name, d);
            }
            case Boolean b -> target.put(name, b);
            // Dates of birth are "YYYY-MM-DD"; other times ISO-8601 strings, which Braze records as Time.
            case LocalDate d -> target.put(name, name.equals("dob") ? d.toString()
                    : d.atStartOfDay(ZoneOffset.UTC).toInstant().toString());
            case Instant i -> target.put(name, i.truncatedTo(ChronoUnit.MILLIS).toString());
            default -> target.put(name, value.toString());
        }
        return true;
    }

    /** Whether any record is left to send. */
    boolean isEmpty() {
        return sent.isEmpty();
    }

    /** How many objects the request carries. */
    int size() {
        return sent.size();
    }

    /** The request body. */
    String body() {
        ObjectNode body = JSON.createObjectNode();
        body.set(array, objects);
        return body.toString();
    }

    /** The records refused before the call, for values Braze cannot take. */
    List<RecordResult> refusedBeforeSending() {
        return refusedBeforeSending;
    }

    /** Whether an answer's {@code errors} name objects of this request, so that they are per-record answers. */
    boolean namesObjects(JsonNode answer) {
        for (JsonNode error : answer.path("errors")) {
            if (error.path("input_array").asText("").equals(array) && error.path("index").canConvertToInt()) return true;
        }
        return false;
    }

    /**
     * Each sent record's answer: rejected with Braze's {@code type} when an error names its index, else accepted
     * (when {@code accepted}) or left without an answer, so that the runtime sends it again later.
     *
     * @param accepted whether Braze processed the objects its errors do not name (a 201, not a 400)
     */
    List<RecordResult> results(JsonNode answer, boolean accepted) {
        Map<Integer, String> refused = new HashMap<>();
        for (JsonNode error : answer.path("errors")) {
            if (!error.path("input_array").asText("").equals(array)) continue;
            int index = error.path("index").asInt(-1);
            if (index >= 0 && index < sent.size()) {
                refused.merge(index, error.path("type").asText("refused by Braze"), (a, b) -> a + "; " + b);
            }
        }
        List<RecordResult> results = new ArrayList<>(refusedBeforeSending);
        for (int i = 0; i < sent.size(); i++) {
            OutboundRecord record = sent.get(i);
            String reason = refused.get(i);
            if (reason != null) results.add(RecordResult.rejected(record.key(), reason));
            // Braze returns no id: a profile's external id (or alias name) is its identity there; an event has none.
            else if (accepted) results.add(RecordResult.accepted(record.key(), profiles ? record.matchValue() : null));
        }
        return results;
    }
}
