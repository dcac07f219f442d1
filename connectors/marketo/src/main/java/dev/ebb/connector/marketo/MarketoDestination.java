package dev.ebb.connector.marketo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.connector.support.Failures;
import dev.ebb.connector.support.HttpAnswer;
import dev.ebb.connector.support.HttpCaller;
import dev.ebb.connector.support.JsonAnswers;
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
import dev.ebb.spi.Operation;
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
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
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
 * One Marketo instance. Each {@link #start} is one Lead Database call — Sync Leads ({@code POST /rest/v1/leads.json})
 * or Delete Leads ({@code POST /rest/v1/leads/delete.json}) — each {@link #read} one Get Leads by Filter Type, each
 * {@link #describe} one Describe Lead2. It never waits, retries or counts: it classifies what Marketo answered.
 *
 * <p>Calls carry an access token from {@link AccessTokens}, which may first ask the Identity endpoint for one. Identity
 * calls are not counted by Marketo, and a REST call refused with 601/602 is not executed or counted either ("an API
 * call that returns this response code is not counted against your daily quota, or your rate limit", error-codes
 * page), so renewing the token and sending the call once more still costs the account one call.
 *
 * <p>Marketo reports nearly every failure inside an HTTP 200 ({@code "success": false} with {@code errors[].code});
 * classification is by that code (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/error-codes),
 * never by message text. Marketo sends no rate-limit headers, so every answer's usage is {@link RateUsage#UNKNOWN}.
 *
 * <p>Thread-safe: the HTTP client and the JSON mapper are shared, the token cache is synchronized, nothing else
 * changes after construction.
 */
final class MarketoDestination implements Destination {
    /** The one object: Marketo's leads (persons). */
    static final String LEADS = "leads";
    /** "Batch Size: Lead DB - 300 records" (marketo-integration-best-practices page). */
    static final int MAX_RECORDS = 300;
    /**
     * "REST API Payload Size: 1MB" (best-practices page), and a 413 above it (error-codes page). The runtime estimates
     * a batch from the records' values; JSON keys and quotes repeated per record come on top, so Ebb declares 10 %
     * less than the vendor's limit.
     */
    static final long MAX_BYTES = 900_000;
    /** "API access per instance limited to 100 calls per 20 seconds" (best-practices page). */
    static final RateWindow WINDOW = new RateWindow(100, Duration.ofSeconds(20));
    /** "Concurrency Limit: Maximum of ten concurrent API calls" (best-practices page). */
    static final int MAX_CONCURRENCY = 10;

    /** Decimals stay decimals: a currency read back as a double could come back as another number. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String SYNC = "/rest/v1/leads.json";
    private static final String DELETE = "/rest/v1/leads/delete.json";
    private static final String DESCRIBE = "/rest/v1/leads/describe2.json";
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'",
            Locale.ROOT).withZone(java.time.ZoneOffset.UTC);
    /** Response-level codes for faults that may pass (error-codes page): time-out, unavailable, system, transient. */
    private static final Set<String> TRANSIENT_CODES = Set.of("500", "502", "604", "608", "611", "614", "713", "719");
    /** Codes that say the access token did not do: missing, invalid, expired. */
    private static final Set<String> TOKEN_CODES = Set.of("600", "601", "602");

    private final URI baseUrl;
    private final URI identityUrl;
    private final String clientId;
    private final String clientSecret;
    private final long dailyQuota;
    private final ZoneId resetZone;
    private final Clock clock;
    private final HttpCaller caller;
    private final AccessTokens tokens;

    MarketoDestination(URI baseUrl, URI identityUrl, String clientId, String clientSecret, long dailyQuota,
                       ZoneId resetZone, Duration timeout, Clock clock) {
        this.baseUrl = baseUrl;
        this.identityUrl = identityUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.dailyQuota = dailyQuota;
        this.resetZone = resetZone;
        this.clock = clock;
        this.caller = new HttpCaller("Marketo", baseUrl, timeout);
        this.tokens = new AccessTokens(this::requestToken, clock);
    }

    // ---- declarations -------------------------------------------------------------------------------------

    /**
     * The instance's REST endpoint. Marketo's limits are per instance and "shared by all integrations"
     * (LIMITS §4), so every client id of one instance shares one budget; the id names no credential.
     */
    @Override
    public String accountId() {
        return "marketo:" + baseUrl;
    }

    /**
     * 100 calls per 20 seconds, 10 at once, and the subscription's daily quota resetting at midnight in
     * {@code time_zone} (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/marketo-integration-best-practices).
     */
    @Override
    public RateLimits rateLimits() {
        return new RateLimits(List.of(WINDOW), MAX_CONCURRENCY, Optional.of(new Quota(dailyQuota, resetZone)));
    }

    /**
     * Leads, matched by {@code email} (Sync Leads' default lookup field) or by any field Describe Lead2 lists as
     * searchable — the documented standard keys and custom string, email and integer fields — which
     * {@link #describe} marks unique. Marketo does not enforce unique values: a key held by two leads is refused per
     * record (1007).
     */
    @Override
    public Optional<ObjectCapabilities> object(String object) {
        if (!object.equals(LEADS)) return Optional.empty();
        return Optional.of(new ObjectCapabilities(LEADS,
                Set.of(Mode.UPSERT, Mode.UPDATE, Mode.INSERT, Mode.MIRROR),
                Set.of(RemovalBehaviour.IGNORE, RemovalBehaviour.CLEAR_FIELDS, RemovalBehaviour.DELETE),
                new MatchRule(Set.of("email"), true, Set.of("email")), new BatchLimits(MAX_RECORDS, MAX_BYTES), true));
    }

    // ---- describe -----------------------------------------------------------------------------------------

    /**
     * One call to Describe Lead2 ({@code GET /rest/v1/leads/describe2.json}), which gives each field's type and
     * updateability and, in one answer, the searchable fields that may identify leads (Describe Lead gives no such
     * list, and a second call would break "one API call"). Being a GET, the JDK's client may send it once more on
     * a dropped connection; a describe changes nothing, so that hidden retry costs at most one call.
     */
    @Override
    public ObjectSchema describe(String object) throws DestinationException {
        requireLeads(object);
        JsonNode body = call("GET", DESCRIBE, null, null, "description of leads");
        JsonNode lead = body.path("result").path(0);
        Set<String> searchable = new HashSet<>();
        for (JsonNode key : lead.path("searchableFields")) {
            // Compound keys (several fields) cannot be a lookupField.
            if (key.isArray() && key.size() == 1) searchable.add(key.get(0).asText());
        }
        List<FieldSpec> fields = new ArrayList<>();
        for (JsonNode field : lead.path("fields")) {
            String name = field.path("name").asText("");
            if (name.isEmpty()) continue;
            // Marketo's own id identifies leads for updateOnly only; Ebb learns ids itself and never matches on them.
            boolean unique = searchable.contains(name) && !name.equals("id");
            fields.add(new FieldSpec(name, fieldType(field.path("dataType").asText("")), unique,
                    !field.path("updateable").asBoolean(true), List.of()));
        }
        return new ObjectSchema(LEADS, fields);
    }

    /** Marketo's data types (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/field-types). */
    static FieldType fieldType(String dataType) {
        return switch (dataType.toLowerCase(Locale.ROOT)) {
            case "integer", "float", "currency", "percent", "score" -> FieldType.NUMBER;
            case "boolean" -> FieldType.BOOLEAN;
            case "date" -> FieldType.DATE;
            case "datetime" -> FieldType.DATETIME;
            // string, email, phone, text, url, reference, formula: text. Marketo has no enumeration type.
            default -> FieldType.STRING;
        };
    }

    // ---- write --------------------------------------------------------------------------------------------

    /** Sync Leads and Delete Leads answer in the same call: always {@link WriteStep.Done}. */
    @Override
    public WriteStep start(WriteBatch batch) throws DestinationException {
        requireLeads(batch.object());
        return new WriteStep.Done(switch (batch.operation()) {
            case UPSERT -> sync(batch, "createOrUpdate");
            case CREATE -> sync(batch, "createOnly");
            case UPDATE -> sync(batch, "updateOnly");
            case DELETE -> delete(batch);
            case REPLACE -> throw new PermanentException("Marketo cannot replace the lead database as a whole", null);
        });
    }

    /** Sync Leads with {@code action} and {@code lookupField} = the batch's match field (leads page, Create and Update). */
    private WriteResult sync(WriteBatch batch, String action) throws DestinationException {
        String matchField = batch.matchField();
        List<RecordResult> results = new ArrayList<>();
        List<OutboundRecord> sent = new ArrayList<>();
        ArrayNode input = JSON.createArrayNode();
        for (OutboundRecord record : batch.records()) {
            ObjectNode lead = JSON.createObjectNode();
            // "The field must be present in each lead record of the input" (SyncLeadRequest, swagger-mapi.json).
            lead.put(matchField, record.matchValue());
            String unsendable = null;
            for (Map.Entry<String, Object> field : record.fields().entrySet()) {
                if (field.getKey().equals(matchField)) continue;
                Optional<JsonNode> value = json(field.getValue());
                if (value.isEmpty()) {
                    unsendable = "not sent: " + field.getKey() + " = " + field.getValue()
                            + " is not a finite number, and Marketo number fields take only finite numbers";
                    break;
                }
                lead.set(field.getKey(), value.get());
            }
            if (unsendable != null) {
                results.add(RecordResult.rejected(record.key(), unsendable));
                continue;
            }
            input.add(lead);
            sent.add(record);
        }
        if (sent.isEmpty()) return new WriteResult(results, RateUsage.UNKNOWN);

        ObjectNode body = JSON.createObjectNode().put("action", action).put("lookupField", matchField);
        body.set("input", input);
        JsonNode answer = call("POST", SYNC, "application/json", body.toString(),
                action + " of " + sent.size() + " leads");
        JsonNode result = answer.path("result");
        // "Records included in the result array of calls are ordered in the same way as the input array" (error-codes
        // page). An answer that does not line up gives no results: the runtime counts those rows failed and sends them
        // again later, which is safe; guessing could lose an update.
        if (result.isArray() && result.size() == sent.size()) {
            for (int i = 0; i < sent.size(); i++) {
                recordResult(sent.get(i), result.get(i)).ifPresent(results::add);
            }
        }
        return new WriteResult(results, RateUsage.UNKNOWN);
    }

    /** created / updated: accepted with the lead id; skipped: "not written", refused with Marketo's reasons. */
    private static Optional<RecordResult> recordResult(OutboundRecord record, JsonNode answer) {
        String status = answer.path("status").asText("");
        String id = answer.hasNonNull("id") ? answer.get("id").asText() : null;
        return switch (status) {
            case "created", "updated" -> Optional.of(RecordResult.accepted(record.key(), id));
            case "skipped" -> Optional.of(RecordResult.rejected(record.key(), reasons(answer)));
            default -> Optional.empty();
        };
    }

    /**
     * Delete Leads by lead id ({@code {"input":[{"id":…}]}}, leads page, Delete). Marketo deletes by id only; an id
     * comes from Ebb's own earlier writes, and a lead already gone (1004) is deleted as far as the sync is concerned.
     */
    private WriteResult delete(WriteBatch batch) throws DestinationException {
        List<RecordResult> results = new ArrayList<>();
        Map<Long, List<OutboundRecord>> byId = new LinkedHashMap<>();
        for (OutboundRecord record : batch.records()) {
            String id = record.destinationId() != null ? record.destinationId()
                    : batch.matchField().equals("id") ? record.matchValue() : null;
            if (id == null) {
                // Looking the id up first would be a second call per write.
                results.add(RecordResult.rejected(record.key(), "not deleted: Marketo deletes leads by lead id, and "
                        + "no id is known for " + batch.matchField() + " " + record.matchValue()
                        + " (Ebb learns ids from its own earlier writes)"));
                continue;
            }
            try {
                byId.computeIfAbsent(Long.parseLong(id.trim()), k -> new ArrayList<>()).add(record);
            } catch (NumberFormatException e) {
                results.add(RecordResult.rejected(record.key(), "not deleted: '" + id + "' is not a Marketo lead id"));
            }
        }
        if (byId.isEmpty()) return new WriteResult(results, RateUsage.UNKNOWN);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode input = body.putArray("input");
        byId.keySet().forEach(id -> input.addObject().put("id", id));
        JsonNode answer = call("POST", DELETE, "application/json", body.toString(),
                "deletion of " + byId.size() + " leads");
        Map<Long, JsonNode> byAnswer = new HashMap<>();
        for (JsonNode node : answer.path("result")) {
            if (node.hasNonNull("id")) byAnswer.putIfAbsent(node.get("id").asLong(), node);
        }
        byId.forEach((id, records) -> {
            JsonNode node = byAnswer.get(id);
            if (node == null) return; // unanswered: failed, deleted again by a later run
            String status = node.path("status").asText("");
            boolean gone = status.equals("deleted") || (status.equals("skipped") && codes(node).contains("1004"));
            for (OutboundRecord record : records) {
                if (gone) results.add(RecordResult.accepted(record.key(), String.valueOf(id)));
                else if (status.equals("skipped")) results.add(RecordResult.rejected(record.key(), reasons(node)));
            }
        });
        return new WriteResult(results, RateUsage.UNKNOWN);
    }

    // ---- read ---------------------------------------------------------------------------------------------

    /**
     * Get Leads by Filter Type with {@code filterType} = the match field, sent as {@code POST …?_method=GET} with a
     * form body: 300 email addresses would pass the 8 KB URI limit of a GET (414; leads page, Get Leads by Filter
     * Type). Values holding a comma cannot be expressed in {@code filterValues} and are reported absent.
     */
    @Override
    public List<RemoteRecord> read(String object, String matchField, Collection<String> matchValues,
                                   Collection<String> fields) throws DestinationException {
        requireLeads(object);
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String value : matchValues) {
            if (value.contains(",") || value.isBlank()) continue;
            wanted.putIfAbsent(value.trim().toLowerCase(Locale.ROOT), value);
        }
        if (wanted.isEmpty()) return List.of();
        Set<String> requested = new LinkedHashSet<>();
        requested.add("id");
        requested.add(matchField);
        requested.addAll(fields);
        String form = "filterType=" + encode(matchField)
                + "&filterValues=" + encode(String.join(",", wanted.values()))
                + "&fields=" + encode(String.join(",", requested))
                + "&batchSize=" + MAX_RECORDS;
        JsonNode answer = call("POST", SYNC + "?_method=GET", "application/x-www-form-urlencoded", form,
                "read of " + wanted.size() + " leads");
        List<RemoteRecord> records = new ArrayList<>();
        Set<String> found = new HashSet<>();
        for (JsonNode lead : answer.path("result")) {
            String key = lead.path(matchField).asText("").trim().toLowerCase(Locale.ROOT);
            String matchValue = wanted.get(key);
            // Two leads with one key: the first answers; Marketo would refuse to write either (1007).
            if (matchValue == null || !found.add(key)) continue;
            Map<String, Object> values = new LinkedHashMap<>();
            for (String field : fields) {
                JsonNode value = lead.path(field);
                values.put(field, value.isMissingNode() || value.isNull() || value.asText().isEmpty() ? null
                        : value.isNumber() ? value.decimalValue().toPlainString() : value.asText());
            }
            records.add(new RemoteRecord(matchValue, lead.path("id").asText(), values));
        }
        return records;
    }

    @Override
    public void close() {
        caller.close();
    }

    // ---- calls --------------------------------------------------------------------------------------------

    /**
     * One REST call with the current access token; a 600/601/602 renews the token and sends the call once more (the
     * refused call was not executed or counted). Returns the body of a {@code "success": true} answer.
     */
    private JsonNode call(String method, String pathAndQuery, String contentType, String body, String what)
            throws DestinationException {
        String token = tokens.current();
        Answer answer = send(rest(method, pathAndQuery, contentType, body, token), method + " " + path(pathAndQuery));
        if (TOKEN_CODES.contains(errorCode(answer).orElse(""))) {
            tokens.invalidate(token);
            token = tokens.current();
            answer = send(rest(method, pathAndQuery, contentType, body, token), method + " " + path(pathAndQuery));
            String code = errorCode(answer).orElse("");
            if (code.equals("602")) {
                // A fresh token already expired: the clocks disagree, or the token was handed out at its very end.
                throw new TransientException("Marketo refused the " + what + ": " + errors(answer.body())
                        + " (again, with a renewed access token)", null, false);
            }
            if (TOKEN_CODES.contains(code)) {
                throw new PermanentException("Marketo refused the " + what + ": " + errors(answer.body())
                        + " (again, with an access token it had just issued to client id " + clientId + ")", null);
            }
        }
        return check(answer, what);
    }

    private HttpRequest rest(String method, String pathAndQuery, String contentType, String body, String token) {
        HttpRequest.Builder request = caller.request(URI.create(baseUrl + pathAndQuery), "application/json")
                // "The access token must be sent as an HTTP header" (authentication page).
                .header("Authorization", "Bearer " + token);
        return HttpCaller.withBody(request, method, contentType, body);
    }

    /**
     * {@code POST <Identity URL>/oauth/token?grant_type=client_credentials&client_id=…&client_secret=…}: "Create an
     * access token using an HTTP GET (or POST)" (authentication page; identityUsingPOST takes the same query
     * parameters in swagger-identity.json). POST, because the JDK's client silently sends an idempotent GET again
     * when its connection drops, and a connector never retries. Messages name the Identity URL and the client id,
     * never the query or the secret.
     */
    private AccessTokens.Grant requestToken() throws DestinationException {
        String query = "grant_type=client_credentials&client_id=" + encode(clientId)
                + "&client_secret=" + encode(clientSecret);
        HttpRequest request = caller.request(URI.create(identityUrl + "/oauth/token?" + query), "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        String what = "access token request for client id " + clientId + " at " + identityUrl;
        Answer answer = send(request, "POST " + identityUrl.getPath() + "/oauth/token");
        JsonNode body = answer.body();
        if (answer.status() == 200 && body.hasNonNull("access_token")) {
            return new AccessTokens.Grant(body.get("access_token").asText(), body.path("expires_in").asLong(0));
        }
        if (answer.status() == 400 || answer.status() == 401 || answer.status() == 403) {
            // The OAuth server's own error: {"error":"invalid_client","error_description":"Bad client credentials"}.
            throw new PermanentException("Marketo refused the " + what + ": HTTP " + answer.status() + " "
                    + body.path("error").asText("") + " " + body.path("error_description").asText(body.path("message")
                    .asText("")) + "; check client_id and client_secret (Admin > LaunchPoint > View Details)", null);
        }
        if (answer.status() == 200 && body.path("success").isBoolean()) throw failure(answer, what);
        if (answer.status() == 200) {
            throw new TransientException("Marketo answered the " + what + " without an access token", null, false);
        }
        throw failure(answer, what);
    }

    /** The body of a successful answer, or the exception that classifies a failed one. */
    private JsonNode check(Answer answer, String what) throws DestinationException {
        if (answer.status() == 200 && answer.body().path("success").asBoolean(false)) return answer.body();
        throw failure(answer, what);
    }

    /** Classifies a failed answer by HTTP status, then by Marketo's response-level error code. */
    private DestinationException failure(Answer answer, String what) {
        int status = answer.status();
        JsonNode body = answer.body();
        if (status != 200) {
            String message = "Marketo answered HTTP " + status + " to the " + what + ": " + errors(body);
            // 413 (payload over 1 MB) and 414 (URI over 8 KB): the request must change (error-codes page). Marketo
            // documents no Retry-After for its 429, and none is read.
            return Failures.classify(answer.http(), message, clock, (http, text) -> http.status() == 429
                    ? Optional.of(new ThrottledException(text, null, false)) : Optional.empty());
        }
        if (!body.path("success").isBoolean()) {
            return new TransientException("Marketo answered the " + what + " with something that is not its JSON: "
                    + errors(body), null, false);
        }
        String code = errorCode(answer).orElse("");
        String message = "Marketo refused the " + what + ": " + errors(body);
        return switch (code) {
            // "Max rate limit '100' exceeded with in '20' secs": a sliding 20-second window; no wait hint.
            case "606" -> new ThrottledException(message, null, false);
            // "Concurrent access limit reached": ten calls were in flight.
            case "615" -> new ThrottledException(message, null, false);
            // "Daily quota reached" — "(resets daily at 12:00AM CST)": wait for the reset.
            case "607" -> new ThrottledException(message, untilReset(), true);
            default -> TRANSIENT_CODES.contains(code) ? new TransientException(message, null, false)
                    : new PermanentException(message, null);
        };
    }

    /** How long until the daily quota resets: the next midnight in the reset zone. */
    private Duration untilReset() {
        ZonedDateTime now = clock.instant().atZone(resetZone);
        ZonedDateTime midnight = now.toLocalDate().plusDays(1).atStartOfDay(resetZone);
        return Duration.between(now, midnight);
    }

    private static Optional<String> errorCode(Answer answer) {
        if (answer.status() != 200 || answer.body().path("success").asBoolean(true)) return Optional.empty();
        JsonNode first = answer.body().path("errors").path(0);
        return first.isMissingNode() ? Optional.empty() : Optional.of(first.path("code").asText(""));
    }

    /** Marketo's errors in one line: "606 Max rate limit '100' exceeded with in '20' secs". */
    private static String errors(JsonNode body) {
        List<String> lines = new ArrayList<>();
        for (JsonNode error : body.path("errors")) {
            lines.add((error.path("code").asText("") + " " + error.path("message").asText("")).trim());
        }
        if (lines.isEmpty()) {
            String message = body.path("message").asText("");
            return message.isBlank() ? "no reason given" : message;
        }
        return String.join("; ", lines);
    }

    /** A skipped record's reasons in one line: "1004: Lead not found". */
    private static String reasons(JsonNode record) {
        List<String> lines = new ArrayList<>();
        JsonNode reasons = record.has("reasons") ? record.get("reasons") : record.path("reason");
        for (JsonNode reason : reasons.isArray() ? reasons : List.of(reasons)) {
            if (reason.isMissingNode() || reason.isNull()) continue;
            lines.add(reason.path("code").asText("") + ": " + reason.path("message").asText(""));
        }
        return lines.isEmpty() ? "skipped: Marketo gave no reason" : String.join("; ", lines);
    }

    private static Set<String> codes(JsonNode record) {
        Set<String> codes = new HashSet<>();
        record.path("reasons").forEach(r -> codes.add(r.path("code").asText("")));
        codes.add(record.path("reason").path("code").asText(""));
        return codes;
    }

    /** An answer: status and the body as JSON (an object holding {@code message} when it was not JSON). */
    private record Answer(HttpAnswer http, JsonNode body) {
        int status() {
            return http.status();
        }
    }

    private Answer send(HttpRequest request, String what) throws TransientException {
        HttpAnswer answer = caller.send(request, what);
        return new Answer(answer, JsonAnswers.object(JSON, answer.body(), "message"));
    }

    // ---- values -------------------------------------------------------------------------------------------

    /**
     * A value as Marketo's JSON takes it: {@code null} empties the field ("a value of null, or an empty string, is
     * written to the database as null", lead-database page), numbers as numbers, booleans as booleans, dates
     * {@code YYYY-MM-DD}, datetimes W3C/ISO-8601 in UTC to the second (Marketo keeps no fractions; field-types page).
     * Empty for a number Marketo cannot hold (NaN, infinity).
     */
    static Optional<JsonNode> json(Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (value) {
            case null -> Optional.of(nodes.nullNode());
            case String s -> Optional.of(nodes.textNode(s));
            case BigDecimal d -> Optional.of(nodes.numberNode(d));
            case Double d -> Double.isFinite(d) ? Optional.of(nodes.numberNode(BigDecimal.valueOf(d))) : Optional.empty();
            case Float f -> Float.isFinite(f)
                    ? Optional.of(nodes.numberNode(new BigDecimal(Float.toString(f)))) : Optional.empty();
            case Long l -> Optional.of(nodes.numberNode(l));
            case Integer i -> Optional.of(nodes.numberNode(i));
            case Number n -> Optional.of(nodes.numberNode(new BigDecimal(n.toString())));
            case Boolean b -> Optional.of(nodes.booleanNode(b));
            case LocalDate d -> Optional.of(nodes.textNode(d.toString()));
            case Instant i -> Optional.of(nodes.textNode(DATETIME.format(i.truncatedTo(ChronoUnit.SECONDS))));
            default -> Optional.of(nodes.textNode(value.toString()));
        };
    }

    private static void requireLeads(String object) throws PermanentException {
        if (!object.equals(LEADS)) {
            throw new PermanentException("Marketo has no object '" + object + "' Ebb can write; use leads", null);
        }
    }

    private static String path(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Identity calls made so far, for tests that check the token is cached. */
    long identityCalls() {
        return tokens.identityCalls();
    }
}
