package dev.ebb.sandbox.facebook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code payload} and {@code session} parameters of {@code /{audience_id}/users} and {@code usersreplace}, read
 * and checked the way Meta does (custom-audience/users reference page): a schema of known keys, rows as long as the
 * schema, at most {@value #MAX_USERS} rows a request. A malformed request is refused whole with Graph error 100; a
 * row whose identifiers are not what Meta takes (a hashed key that is not a SHA-256 hex digest, a MADID that is not
 * an advertising id, a row with no value at all) is not an error: it is counted in {@code num_invalid_entries} and a
 * few are shown in {@code invalid_entry_samples}, and the rest of the request is applied.
 *
 * @param rows    the valid rows, key to value (empty values left out)
 * @param invalid how many rows were invalid
 * @param samples up to {@value #SAMPLES} invalid values, each with the reason
 * @param session the upload session the request names, or {@code null}
 */
record UserPayload(List<Map<String, String>> rows, int invalid, Map<String, String> samples, SessionParam session) {
    /**
     * "You can add an unlimited number of records for an audience, but only a maximum of 10000 at a time"
     * (https://developers.facebook.com/docs/marketing-api/reference/custom-audience/users).
     */
    static final int MAX_USERS = 10_000;
    /** Meta documents the field as samples, not a full list; the sandbox shows at most this many. */
    static final int SAMPLES = 10;
    /** The multi-key schema (facebook-python-business-sdk, CustomAudienceMixin.Schema.MultiKeySchema). */
    static final Set<String> MULTI_KEY = Set.of("EXTERN_ID", "EMAIL", "PHONE", "GEN", "DOBY", "DOBM", "DOBD", "LN",
            "FN", "FI", "CT", "ST", "ZIP", "MADID", "COUNTRY");
    /** Single-key schemas and the multi-key name each stands for. */
    static final Map<String, String> SINGLE_KEY = Map.of("EMAIL_SHA256", "EMAIL", "PHONE_SHA256", "PHONE",
            "MOBILE_ADVERTISER_ID", "MADID");
    /** Keys Meta takes as plain values ("MADID … do not hash"; EXTERN_ID is sent as is by Meta's SDKs). */
    static final Set<String> UNHASHED = Set.of("EXTERN_ID", "MADID");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    // IDFA and AAID are UUIDs, "all lowercase, keep the hyphens".
    private static final Pattern ADVERTISING_ID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * The session object: {@code session_id} (the advertiser's own number), {@code batch_seq} from 1,
     * {@code last_batch_flag}, and an optional {@code estimated_num_total}.
     */
    record SessionParam(long sessionId, int batchSeq, boolean lastBatch, long estimatedTotal) {
    }

    /** Reads the request's parameters; {@code sessionRequired} for {@code usersreplace}. */
    static UserPayload read(Map<String, String> params, boolean sessionRequired) {
        SessionParam session = session(params.get("session"), sessionRequired);
        JsonNode payload = json(params.get("payload"), "payload");
        JsonNode schemaNode = payload.path("schema");
        List<String> schema = new ArrayList<>();
        if (schemaNode.isTextual()) {
            schema.add(schemaKey(schemaNode.asText()));
        } else if (schemaNode.isArray() && !schemaNode.isEmpty()) {
            for (JsonNode key : schemaNode) schema.add(schemaKey(key.asText()));
        } else {
            throw GraphError.invalidParameter("payload.schema is required: a key such as \"EMAIL_SHA256\" or a list "
                    + "of multi-key fields such as [\"EMAIL\",\"PHONE\"]");
        }
        if (schema.stream().distinct().count() != schema.size()) {
            throw GraphError.invalidParameter("payload.schema names a key twice: " + schema);
        }
        JsonNode data = payload.path("data");
        if (!data.isArray() || data.isEmpty()) throw GraphError.invalidParameter("payload.data must be a non-empty list");
        if (data.size() > MAX_USERS) {
            throw GraphError.invalidParameter("Too many users in one request: " + data.size() + "; send at most "
                    + MAX_USERS + " at a time");
        }
        List<Map<String, String>> rows = new ArrayList<>();
        Map<String, String> samples = new LinkedHashMap<>();
        int invalid = 0;
        for (JsonNode entry : data) {
            List<String> values = new ArrayList<>();
            if (entry.isArray()) entry.forEach(v -> values.add(v.isNull() ? "" : v.asText()));
            else values.add(entry.asText());
            if (values.size() != schema.size()) {
                throw GraphError.invalidParameter("Each entry of payload.data must have " + schema.size()
                        + " values, one per schema key; one has " + values.size());
            }
            Map<String, String> row = new LinkedHashMap<>();
            String problem = null;
            String offending = null;
            for (int i = 0; i < schema.size(); i++) {
                String value = values.get(i);
                if (value.isEmpty()) continue;
                String reason = invalidValue(schema.get(i), value);
                if (reason != null && problem == null) {
                    problem = reason;
                    offending = value;
                }
                row.put(schema.get(i), UNHASHED.contains(schema.get(i)) ? value : value.toLowerCase(Locale.ROOT));
            }
            if (row.isEmpty()) {
                problem = "The entry has no value for any schema key";
                offending = String.join(",", values);
            }
            if (problem != null) {
                invalid++;
                if (samples.size() < SAMPLES) samples.putIfAbsent(offending, problem);
            } else {
                rows.add(row);
            }
        }
        return new UserPayload(rows, invalid, samples, session);
    }

    private static String schemaKey(String key) {
        if (MULTI_KEY.contains(key)) return key;
        if (SINGLE_KEY.containsKey(key)) return SINGLE_KEY.get(key);
        throw GraphError.invalidParameter("Invalid schema key '" + key + "'; use one of " + new java.util.TreeSet<>(
                MULTI_KEY) + " or a single key " + new java.util.TreeSet<>(SINGLE_KEY.keySet()));
    }

    private static String invalidValue(String key, String value) {
        if (key.equals("EXTERN_ID")) return null;
        if (key.equals("MADID")) {
            return ADVERTISING_ID.matcher(value).matches() ? null
                    : "MADID must be a mobile advertising id (IDFA or AAID), lowercase with hyphens, not hashed";
        }
        return SHA256.matcher(value).matches() ? null
                : key + " must be the SHA-256 hex digest of the normalized value";
    }

    private static SessionParam session(String text, boolean required) {
        if (text == null || text.isBlank()) {
            if (required) throw GraphError.invalidParameter("The parameter session is required");
            return null;
        }
        JsonNode node = json(text, "session");
        if (!node.path("session_id").canConvertToLong() || node.path("session_id").asLong() <= 0) {
            throw GraphError.invalidParameter("session.session_id must be a positive number chosen by the advertiser");
        }
        int seq = node.path("batch_seq").asInt(0);
        if (seq < 1) throw GraphError.invalidParameter("session.batch_seq must be a number from 1");
        if (!node.path("last_batch_flag").isBoolean()) {
            throw GraphError.invalidParameter("session.last_batch_flag must be true or false");
        }
        return new SessionParam(node.path("session_id").asLong(), seq, node.path("last_batch_flag").asBoolean(),
                node.path("estimated_num_total").asLong(0));
    }

    private static JsonNode json(String text, String name) {
        if (text == null || text.isBlank()) throw GraphError.invalidParameter("The parameter " + name + " is required");
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.isObject()) return node;
        } catch (JsonProcessingException e) {
            // refused below
        }
        throw GraphError.invalidParameter("param " + name + " must be a JSON object");
    }
}
