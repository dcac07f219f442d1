package dev.ebb.connector.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.connector.support.AccountIds;
import dev.ebb.connector.support.Failures;
import dev.ebb.connector.support.HttpAnswer;
import dev.ebb.connector.support.HttpCaller;
import dev.ebb.connector.support.JsonAnswers;
import dev.ebb.connector.support.RateHeaders;
import dev.ebb.connector.support.RetryAfter;
import dev.ebb.spi.BatchLimits;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.ThrottledException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.MatchRule;
import dev.ebb.spi.Mode;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.Quota;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RateWindow;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemoteRecord;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One HubSpot portal. Each {@link #start} is one call to a CRM v3 batch endpoint
 * ({@code /crm/v3/objects/{object}/batch/{create|update|upsert|archive}}), each {@link #read} one
 * {@code batch/read}, each {@link #describe} one {@code GET /crm/v3/properties/{object}}. It never waits, retries
 * or counts: it classifies what HubSpot answered.
 *
 * <p>Every input carries an {@code objectWriteTraceId} (its position in the call), which makes HubSpot report
 * invalid inputs one by one in a 207 Multi-Status instead of failing the whole batch
 * (https://developers.hubspot.com/docs/api-reference/error-handling, "Multi-status errors"), and lets answers be
 * matched to records without relying on their order.
 *
 * <p>Thread-safe: the HTTP client and the JSON mapper are shared, nothing else changes after construction.
 */
final class HubSpotDestination implements Destination {
    /**
     * "Batch operations … limited to 100 inputs" (LIMITS §1: HubSpot community quoting the crm-contacts-v3
     * guide, https://community.hubspot.com/t5/APIs-Integrations/Limit-for-contact-batch-API/m-p/1196389).
     */
    static final int MAX_RECORDS = 100;
    /**
     * HubSpot publishes no request-size cap for the CRM batch endpoints; 3 MB is Ebb's own bound, far above 100
     * ordinary records, that keeps one call from carrying pathological values.
     */
    static final long MAX_BYTES = 3L * 1024 * 1024;
    /**
     * HubSpot documents no concurrency cap for the CRM APIs (only per-window and daily counts, usage-guidelines
     * page); ten calls in flight reach the 10-second window of every tier well before latency does.
     */
    static final int MAX_CONCURRENCY = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CUSTOM_OBJECT = Pattern.compile("^(2-\\d+|p\\d+_[a-z0-9_]+|p_[a-z0-9_]+)$");
    private static final String RECORD_ID = "hs_object_id";

    private final URI baseUrl;
    private final String token;
    private final HubSpotTier tier;
    private final ZoneId zone;
    private final Clock clock;
    private final String accountId;
    private final HttpCaller caller;

    HubSpotDestination(URI baseUrl, String token, HubSpotTier tier, ZoneId zone, Duration timeout, Clock clock) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.tier = tier;
        this.zone = zone;
        this.clock = clock;
        this.accountId = "hubspot:" + baseUrl + "#" + AccountIds.shortHash(token);
        this.caller = new HttpCaller("HubSpot", baseUrl, timeout);
    }

    // ---- declarations -------------------------------------------------------------------------------------

    /** The base URL and a short SHA-256 of the token: stable per portal and app, and reveals no secret. */
    @Override
    public String accountId() {
        return accountId;
    }

    /**
     * The tier's limits, https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines (see
     * {@link HubSpotTier}); the daily quota resets at midnight in the portal's time zone.
     */
    @Override
    public RateLimits rateLimits() {
        return new RateLimits(List.of(new RateWindow(tier.requestsPerWindow(), HubSpotTier.WINDOW)), MAX_CONCURRENCY,
                Optional.of(new Quota(tier.requestsPerDay(), zone)));
    }

    /**
     * Contacts (matched by {@code email}, or any unique property), companies and custom objects (by any unique
     * property; HubSpot upserts only by unique-value properties).
     */
    @Override
    public Optional<ObjectCapabilities> object(String object) {
        MatchRule match;
        if (object.equals("contacts") || object.equals("0-1")) {
            // HubSpot matches contacts' email case-blind: two spellings of one address are one contact.
            match = new MatchRule(Set.of("email"), true, Set.of("email"));
        } else if (object.equals("companies") || object.equals("0-2") || CUSTOM_OBJECT.matcher(object).matches()) {
            match = new MatchRule(Set.of(), true);
        } else {
            return Optional.empty();
        }
        return Optional.of(new ObjectCapabilities(object,
                Set.of(Mode.UPSERT, Mode.UPDATE, Mode.INSERT, Mode.MIRROR),
                Set.of(RemovalBehaviour.IGNORE, RemovalBehaviour.CLEAR_FIELDS, RemovalBehaviour.DELETE),
                match, new BatchLimits(MAX_RECORDS, MAX_BYTES), true));
    }

    // ---- describe -----------------------------------------------------------------------------------------

    @Override
    public ObjectSchema describe(String object) throws DestinationException {
        Answer answer = send("GET", "/crm/v3/properties/" + encode(object), null);
        if (answer.status() != 200) throw failure(answer, "reading the properties of " + object);
        List<FieldSpec> fields = new ArrayList<>();
        for (JsonNode property : answer.body().path("results")) {
            List<String> options = new ArrayList<>();
            property.path("options").forEach(o -> options.add(o.path("value").asText()));
            boolean readOnly = property.path("modificationMetadata").path("readOnlyValue").asBoolean(false)
                    || property.path("calculated").asBoolean(false);
            FieldType type = fieldType(property.path("type").asText());
            fields.add(new FieldSpec(property.path("name").asText(), type, property.path("hasUniqueValue").asBoolean(false),
                    readOnly, type == FieldType.ENUMERATION ? options : List.of()));
        }
        return new ObjectSchema(object, fields);
    }

    private static FieldType fieldType(String hubSpotType) {
        return switch (hubSpotType) {
            case "number" -> FieldType.NUMBER;
            case "bool" -> FieldType.BOOLEAN;
            case "date" -> FieldType.DATE;
            case "datetime" -> FieldType.DATETIME;
            case "enumeration" -> FieldType.ENUMERATION;
            // string, phone_number, and the rarer json / object_coordinates all take text.
            default -> FieldType.STRING;
        };
    }

    // ---- write --------------------------------------------------------------------------------------------

    /** One record as sent: its position (the trace id) and the {@code id} it was addressed by, if any. */
    private record Sent(OutboundRecord record, String traceId, String id) {
    }

    /** HubSpot's batch endpoints answer in the same call: always {@link WriteStep.Done}. */
    @Override
    public WriteStep start(WriteBatch batch) throws DestinationException {
        if (object(batch.object()).isEmpty()) {
            throw new PermanentException("HubSpot has no object '" + batch.object()
                    + "' Ebb can write; use contacts, companies or a custom object type id (2-…)", null);
        }
        return new WriteStep.Done(switch (batch.operation()) {
            case UPSERT -> writeInputs(batch, "upsert");
            case CREATE -> writeInputs(batch, "create");
            case UPDATE -> writeInputs(batch, "update");
            case DELETE -> archive(batch);
            case REPLACE -> throw new PermanentException("HubSpot cannot replace an object's records as a whole", null);
        });
    }

    private WriteResult writeInputs(WriteBatch batch, String endpoint) throws DestinationException {
        String matchField = batch.matchField();
        List<RecordResult> results = new ArrayList<>();
        List<Sent> sent = new ArrayList<>();
        ArrayNode inputs = JSON.createArrayNode();
        for (OutboundRecord record : batch.records()) {
            ObjectNode properties = JSON.createObjectNode();
            String unsendable = null;
            for (Map.Entry<String, Object> field : record.fields().entrySet()) {
                Optional<String> text = text(field.getValue());
                if (text.isEmpty()) {
                    unsendable = "not sent: " + field.getKey() + " = " + field.getValue()
                            + " is not a finite number, and HubSpot number properties take only finite numbers";
                    break;
                }
                properties.put(field.getKey(), text.get());
            }
            if (unsendable != null) {
                results.add(RecordResult.rejected(record.key(), unsendable));
                continue;
            }
            String traceId = String.valueOf(sent.size());
            ObjectNode input = JSON.createObjectNode();
            String id = null;
            switch (endpoint) {
                case "create" -> {
                    if (!matchField.equals(RECORD_ID) && !properties.has(matchField)) {
                        properties.put(matchField, record.matchValue());
                    }
                }
                case "upsert" -> {
                    // Upsert finds records by a unique-value property; HubSpot creates the record with that value.
                    id = record.matchValue();
                    input.put("idProperty", matchField);
                    input.put("id", id);
                }
                default -> {
                    // Update by the record id when an earlier write learnt it, else by the unique match value.
                    if (record.destinationId() != null || matchField.equals(RECORD_ID)) {
                        id = record.destinationId() != null ? record.destinationId() : record.matchValue();
                        input.put("id", id);
                    } else {
                        id = record.matchValue();
                        input.put("idProperty", matchField);
                        input.put("id", id);
                    }
                }
            }
            input.set("properties", properties);
            input.put("objectWriteTraceId", traceId);
            inputs.add(input);
            sent.add(new Sent(record, traceId, id));
        }
        if (sent.isEmpty()) return new WriteResult(results, RateUsage.UNKNOWN);

        ObjectNode body = JSON.createObjectNode();
        body.set("inputs", inputs);
        Answer answer = send("POST", "/crm/v3/objects/" + encode(batch.object()) + "/batch/" + endpoint, body);
        switch (answer.status()) {
            case 200, 201, 207 -> results.addAll(perRecord(answer, sent, matchField));
            default -> {
                Optional<RecordResult> alone = recordLevelRefusal(answer, sent);
                if (alone.isEmpty()) throw failure(answer, endpoint + " of " + sent.size() + " " + batch.object());
                results.add(alone.get());
            }
        }
        return new WriteResult(results, usage(answer.headers()));
    }

    /** Matches the successes and errors of a 200/201/207 to the records sent; an unmatched record gets none. */
    private List<RecordResult> perRecord(Answer answer, List<Sent> sent, String matchField) {
        Map<String, Sent> byTrace = new HashMap<>();
        Map<String, Sent> byId = new HashMap<>();
        Map<String, Sent> byMatch = new HashMap<>();
        for (Sent s : sent) {
            byTrace.put(s.traceId(), s);
            if (s.id() != null) byId.put(s.id(), s);
            byMatch.put(s.record().matchValue(), s);
            byMatch.putIfAbsent(s.record().matchValue().toLowerCase(Locale.ROOT), s);
        }
        Map<Sent, RecordResult> answered = new IdentityHashMap<>();
        for (JsonNode result : answer.body().path("results")) {
            String id = result.path("id").asText(null);
            Sent s = byTrace.get(result.path("objectWriteTraceId").asText(""));
            if (s == null && id != null) s = byId.get(id);
            if (s == null) {
                String value = result.path("properties").path(matchField).asText("");
                s = byMatch.getOrDefault(value, byMatch.get(value.toLowerCase(Locale.ROOT)));
            }
            if (s != null) answered.putIfAbsent(s, RecordResult.accepted(s.record().key(), id));
        }
        for (JsonNode error : answer.body().path("errors")) {
            String reason = reason(error);
            JsonNode context = error.path("context");
            List<Sent> targets = new ArrayList<>();
            context.path("objectWriteTraceId").forEach(t -> Optional.ofNullable(byTrace.get(t.asText())).ifPresent(targets::add));
            context.path("ids").forEach(t -> {
                Sent s = byId.get(t.asText());
                if (s == null) s = byMatch.getOrDefault(t.asText(), byMatch.get(t.asText().toLowerCase(Locale.ROOT)));
                if (s != null) targets.add(s);
            });
            for (Sent s : targets) answered.putIfAbsent(s, RecordResult.rejected(s.record().key(), reason));
        }
        List<RecordResult> results = new ArrayList<>();
        for (Sent s : sent) {
            // A record HubSpot's answer does not mention gets no result: the runtime counts it failed and
            // delivers it again later, which is safe; guessing "accepted" could lose an update.
            RecordResult result = answered.get(s);
            if (result != null) results.add(result);
        }
        return results;
    }

    /**
     * HubSpot's whole-call refusal of a one-record call for that record's own values (an invalid property value,
     * a unique value taken) is the record's rejection, not the call's failure.
     */
    private static Optional<RecordResult> recordLevelRefusal(Answer answer, List<Sent> sent) {
        if (sent.size() != 1) return Optional.empty();
        String category = answer.body().path("category").asText("");
        boolean propertyProblem = answer.status() == 400 && category.equals("VALIDATION_ERROR")
                && answer.body().path("message").asText("").startsWith("Property values were not valid");
        boolean conflict = answer.status() == 409 && category.equals("CONFLICT");
        if (!propertyProblem && !conflict) return Optional.empty();
        return Optional.of(RecordResult.rejected(sent.getFirst().record().key(), reason(answer.body())));
    }

    private WriteResult archive(WriteBatch batch) throws DestinationException {
        List<RecordResult> results = new ArrayList<>();
        Map<String, List<OutboundRecord>> byId = new LinkedHashMap<>();
        for (OutboundRecord record : batch.records()) {
            String id = record.destinationId() != null ? record.destinationId()
                    : batch.matchField().equals(RECORD_ID) ? record.matchValue() : null;
            if (id == null) {
                // HubSpot archives by record id only; resolving ids first would be a second call per write.
                results.add(RecordResult.rejected(record.key(), "not deleted: HubSpot archives records by record id, "
                        + "and no id is known for " + batch.matchField() + " " + record.matchValue()
                        + " (Ebb learns ids from its own earlier writes)"));
            } else {
                byId.computeIfAbsent(id, k -> new ArrayList<>()).add(record);
            }
        }
        if (byId.isEmpty()) return new WriteResult(results, RateUsage.UNKNOWN);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        byId.keySet().forEach(id -> inputs.addObject().put("id", id));
        Answer answer = send("POST", "/crm/v3/objects/" + encode(batch.object()) + "/batch/archive", body);
        if (answer.status() != 204 && answer.status() != 200 && answer.status() != 207) {
            throw failure(answer, "archive of " + byId.size() + " " + batch.object());
        }
        Map<String, String> refused = new HashMap<>();
        for (JsonNode error : answer.body().path("errors")) {
            String reason = reason(error);
            error.path("context").path("ids").forEach(id -> refused.putIfAbsent(id.asText(), reason));
        }
        // The contract answers 204 with no body; an id that no longer exists is archived already.
        byId.forEach((id, records) -> records.forEach(record -> results.add(refused.containsKey(id)
                ? RecordResult.rejected(record.key(), refused.get(id)) : RecordResult.accepted(record.key(), id))));
        return new WriteResult(results, usage(answer.headers()));
    }

    // ---- read ---------------------------------------------------------------------------------------------

    @Override
    public List<RemoteRecord> read(String object, String matchField, Collection<String> matchValues,
                                   Collection<String> fields) throws DestinationException {
        if (matchValues.isEmpty()) return List.of();
        ObjectNode body = JSON.createObjectNode();
        if (!matchField.equals(RECORD_ID)) body.put("idProperty", matchField);
        ArrayNode inputs = body.putArray("inputs");
        new LinkedHashSet<>(matchValues).forEach(v -> inputs.addObject().put("id", v));
        ArrayNode properties = body.putArray("properties");
        Set<String> requested = new LinkedHashSet<>(fields);
        requested.add(matchField);
        requested.forEach(properties::add);
        body.putArray("propertiesWithHistory");
        Answer answer = send("POST", "/crm/v3/objects/" + encode(object) + "/batch/read", body);
        if (answer.status() != 200 && answer.status() != 207) throw failure(answer, "read of " + object);

        Map<String, String> wanted = new HashMap<>();
        for (String value : matchValues) {
            wanted.put(value, value);
            wanted.putIfAbsent(value.toLowerCase(Locale.ROOT), value);
        }
        List<RemoteRecord> records = new ArrayList<>();
        for (JsonNode result : answer.body().path("results")) {
            String id = result.path("id").asText();
            String found = matchField.equals(RECORD_ID) ? id : result.path("properties").path(matchField).asText("");
            String matchValue = wanted.getOrDefault(found, wanted.get(found.toLowerCase(Locale.ROOT)));
            if (matchValue == null) continue;
            Map<String, Object> values = new LinkedHashMap<>();
            for (String field : fields) {
                JsonNode value = result.path("properties").path(field);
                values.put(field, value.isMissingNode() || value.isNull() || value.asText().isEmpty()
                        ? null : value.asText());
            }
            records.add(new RemoteRecord(matchValue, id, values));
        }
        return records;
    }

    @Override
    public void close() {
        caller.close();
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------

    /** An answer: status, headers and the body as JSON (an object holding {@code message} if it was not JSON). */
    private record Answer(int status, HttpHeaders headers, JsonNode body) {
    }

    private Answer send(String method, String path, JsonNode body) throws TransientException {
        HttpRequest.Builder request = caller.request(URI.create(baseUrl + path), "application/json")
                .header("Authorization", "Bearer " + token);
        HttpAnswer answer = caller.send(HttpCaller.withBody(request, method, "application/json",
                body == null ? null : body.toString()), method + " " + path);
        return new Answer(answer.status(), answer.headers(), JsonAnswers.object(JSON, answer.body(), "message"));
    }

    /** The exception for a call HubSpot refused as a whole, by status and HubSpot's error fields. */
    private DestinationException failure(Answer answer, String what) {
        String message = "HubSpot answered " + answer.status() + " while " + what + ": " + reason(answer.body());
        return Failures.classify(new HttpAnswer(answer.status(), answer.headers(), ""), message, clock,
                (http, text) -> switch (http.status()) {
                    // HubSpot's 429 carries policyName DAILY or TEN_SECONDLY_ROLLING (SECONDLY on older APIs) and no
                    // documented wait hint; a Retry-After is honoured if one appears.
                    case 429 -> Optional.of(new ThrottledException(text, retryAfter(http.headers()).orElse(null),
                            answer.body().path("policyName").asText("").equals("DAILY")));
                    // "Locks will last for 2 seconds" (https://developers.hubspot.com/docs/api-reference/error-handling).
                    case 423 -> Optional.of(new ThrottledException(text,
                            retryAfter(http.headers()).orElse(Duration.ofSeconds(2)), false));
                    // Migration in progress: HubSpot sends a Retry-After (same page).
                    case 477 -> Optional.of(new ThrottledException(text, retryAfter(http.headers()).orElse(null), false));
                    default -> Optional.empty();
                });
    }

    /** HubSpot's reason in one line: category, then per-property codes and messages, or the message. */
    private static String reason(JsonNode error) {
        String category = error.path("category").asText(error.path("errorType").asText(""));
        List<String> details = new ArrayList<>();
        for (JsonNode detail : error.path("errors")) {
            StringBuilder line = new StringBuilder();
            if (detail.hasNonNull("code")) line.append(detail.get("code").asText()).append(' ');
            JsonNode property = detail.path("context").path("propertyName");
            if (property.isArray() && !property.isEmpty()) line.append(property.get(0).asText()).append(": ");
            line.append(detail.path("message").asText(""));
            details.add(line.toString().trim());
        }
        String text = details.isEmpty() ? error.path("message").asText("") : String.join("; ", details);
        if (text.isBlank()) text = "no reason given";
        return category.isEmpty() ? text : category + ": " + text;
    }

    /** The account's budget from {@code X-HubSpot-RateLimit-*} (usage-guidelines page); null where absent. */
    static RateUsage usage(HttpHeaders headers) {
        Long interval = RateHeaders.number(headers, "X-HubSpot-RateLimit-Interval-Milliseconds").orElse(null);
        return RateHeaders.usage(RateHeaders.number(headers, "X-HubSpot-RateLimit-Max").orElse(null),
                RateHeaders.number(headers, "X-HubSpot-RateLimit-Remaining").orElse(null),
                interval == null ? null : Duration.ofMillis(interval),
                RateHeaders.number(headers, "X-HubSpot-RateLimit-Daily-Remaining").orElse(null));
    }

    private Optional<Duration> retryAfter(HttpHeaders headers) {
        return RetryAfter.of(headers, clock);
    }

    // ---- values -------------------------------------------------------------------------------------------

    /**
     * A value in HubSpot's text form: {@code ""} clears a property, numbers are plain decimals, dates
     * {@code YYYY-MM-DD}, instants ISO-8601 to the millisecond, booleans {@code true}/{@code false}. Empty for a
     * number HubSpot cannot hold (NaN, infinity).
     */
    static Optional<String> text(Object value) {
        return switch (value) {
            case null -> Optional.of("");
            case String s -> Optional.of(s);
            case BigDecimal d -> Optional.of(d.toPlainString());
            case Double d -> Double.isFinite(d)
                    ? Optional.of(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString()) : Optional.empty();
            case Float f -> Float.isFinite(f)
                    ? Optional.of(new BigDecimal(Float.toString(f)).stripTrailingZeros().toPlainString()) : Optional.empty();
            case Number n -> Optional.of(n.toString());
            case Boolean b -> Optional.of(b.toString());
            case LocalDate d -> Optional.of(d.toString());
            case Instant i -> Optional.of(i.truncatedTo(ChronoUnit.MILLIS).toString());
            default -> Optional.of(value.toString());
        };
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
