package dev.ebb.connector.braze;

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
import dev.ebb.spi.MatchRule;
import dev.ebb.spi.Mode;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RateWindow;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One Braze workspace. Each {@link #start} is one {@code POST /users/track}, each {@link #describe} one
 * {@code GET /custom_attributes}. It never waits, retries or counts: it classifies what Braze answered.
 *
 * <p>Objects: {@code users} (profile attributes; upsert, and {@code on_removed: clear_fields} through
 * {@code _update_existing_only}), {@code events} and {@code purchases} (append-only: {@code mode: insert}). Each is
 * matched by {@code external_id} or by {@code user_alias} (the model's value is the {@code alias_name}, the entry's
 * {@code alias_label} the label). Removed users are deleted ({@code mode: mirror}, {@code on_removed: delete})
 * through {@code POST /users/delete}, which takes 50 identifiers a request: a batch of more is deleted in
 * {@link WriteStep.Pending} steps of 50, one request each.
 *
 * <p>Thread-safe: the HTTP client and the JSON mapper are shared, nothing else changes after construction.
 */
final class BrazeDestination implements Destination {
    /**
     * "up to 75 objects in total across the attributes, events, and purchases arrays" per request (LIMITS §5:
     * https://www.braze.com/docs/api/endpoints/user_data/post_user_track/); every batch fills one array.
     */
    static final int MAX_RECORDS = 75;
    /**
     * Braze publishes no body-size cap for /users/track (only 2 MB for the /users/track/bulk beta); 1 MB is Ebb's
     * own bound, far above 75 ordinary objects.
     */
    static final long MAX_BYTES = 1L << 20;
    /**
     * "Up to 50 external_ids, user_aliases, … can be included in a single request" to /users/delete
     * (https://www.braze.com/docs/api/endpoints/user_data/post_user_delete/). Its own 20,000 requests a minute is
     * not declared as a window: a window binds every call, and would hold /users/track to a third of its limit; a
     * 429 from it is waited out like any other.
     */
    static final int MAX_DELETES = 50;
    /** "/users/track: 3,000 requests every three seconds" per workspace (LIMITS §5, https://www.braze.com/docs/api/api_limits/). */
    static final RateWindow TRACK_WINDOW = new RateWindow(3_000, Duration.ofSeconds(3));
    /**
     * Braze documents no concurrency cap; ten calls in flight stay far below 1,000 calls a second. (Describe's
     * {@code /custom_attributes} has its own 1,000 an hour, and is called once per sync binding.)
     */
    static final int MAX_CONCURRENCY = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MatchRule MATCH = new MatchRule(Set.of(BrazeFields.EXTERNAL_ID, BrazeFields.USER_ALIAS), false);

    private final URI baseUrl;
    private final String apiKey;
    private final String aliasLabel;
    private final BrazeFields fields;
    private final Clock clock;
    private final String accountId;
    private final HttpCaller caller;

    BrazeDestination(URI baseUrl, String apiKey, String aliasLabel, BrazeFields fields, Duration timeout, Clock clock) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.aliasLabel = aliasLabel;
        this.fields = fields;
        this.clock = clock;
        this.accountId = "braze:" + baseUrl + "#" + AccountIds.shortHash(apiKey);
        this.caller = new HttpCaller("Braze", baseUrl, timeout);
    }

    // ---- declarations -------------------------------------------------------------------------------------

    @Override
    public String accountId() {
        return accountId;
    }

    @Override
    public RateLimits rateLimits() {
        return new RateLimits(List.of(TRACK_WINDOW), MAX_CONCURRENCY, Optional.empty());
    }

    @Override
    public Optional<ObjectCapabilities> object(String object) {
        BatchLimits limits = new BatchLimits(MAX_RECORDS, MAX_BYTES);
        return switch (object) {
            case BrazeFields.USERS -> Optional.of(new ObjectCapabilities(object, Set.of(Mode.UPSERT, Mode.MIRROR),
                    Set.of(RemovalBehaviour.IGNORE, RemovalBehaviour.CLEAR_FIELDS, RemovalBehaviour.DELETE), MATCH,
                    limits, false));
            case BrazeFields.EVENTS, BrazeFields.PURCHASES -> Optional.of(new ObjectCapabilities(object,
                    Set.of(Mode.INSERT), Set.of(RemovalBehaviour.IGNORE), MATCH, limits, false));
            default -> Optional.empty();
        };
    }

    /** An event or purchase without its required fields is never sent (start refuses it too): Braze would refuse it. */
    @Override
    public Optional<String> problem(String object, Map<String, Object> values) {
        return BrazeFields.missing(object, values);
    }

    // ---- describe -----------------------------------------------------------------------------------------

    /**
     * The object's fields; for users, with the custom attributes of the first page of {@code GET /custom_attributes}
     * (50, alphabetical): one call. Attributes past it, or not recorded yet, are declared in
     * {@code custom_attributes}.
     */
    @Override
    public ObjectSchema describe(String object) throws DestinationException {
        if (object(object).isEmpty()) throw unknownObject(object);
        Answer answer = send("GET", "/custom_attributes", null);
        if (answer.status() != 200) throw failure(answer, "listing custom attributes");
        return new ObjectSchema(object, fields.of(object, answer.body()));
    }

    // ---- write --------------------------------------------------------------------------------------------

    /** /users/track answers in the same call: always {@link WriteStep.Done}. */
    @Override
    public WriteStep start(WriteBatch batch) throws DestinationException {
        if (object(batch.object()).isEmpty()) throw unknownObject(batch.object());
        boolean profiles = batch.object().equals(BrazeFields.USERS);
        String operation = batch.operation().name().toLowerCase(Locale.ROOT);
        boolean existingOnly = switch (batch.operation()) {
            case UPSERT, UPDATE -> {
                if (!profiles) throw new PermanentException("Braze " + batch.object() + " are append-only and take no "
                        + operation + "; use mode insert", null);
                yield batch.operation() == Operation.UPDATE;
            }
            case CREATE -> {
                if (profiles) throw new PermanentException("Braze users take no create from Ebb; use mode upsert", null);
                yield false;
            }
            case DELETE -> {
                if (!profiles) throw new PermanentException("Braze " + batch.object() + " cannot be deleted", null);
                yield false;
            }
            case REPLACE -> throw new PermanentException("Braze " + batch.object() + " cannot be replaced as a whole",
                    null);
        };
        if (batch.matchField().equals(BrazeFields.USER_ALIAS) && aliasLabel == null) {
            throw new PermanentException("matching Braze users by user_alias needs the destination's alias_label "
                    + "setting (the label of the aliases; the model's column gives each alias_name)", null);
        }
        if (batch.operation() == Operation.DELETE) return delete(batch, new Deleted(0, List.of()));
        return new WriteStep.Done(track(new TrackPayload(batch, existingOnly, aliasLabel), batch));
    }

    /** How far a delete has come: the next record to delete and the answers so far. Immutable. */
    private record Deleted(int next, List<RecordResult> results) {
        Deleted {
            results = List.copyOf(results);
        }
    }

    /** Takes a delete of more than {@link #MAX_DELETES} users one request further. */
    @Override
    public WriteStep resume(WriteStep.Pending pending) throws DestinationException {
        if (!(pending.state() instanceof Deleted progress)) {
            throw new IllegalArgumentException("not a step of a Braze delete: " + pending.state());
        }
        return delete(pending.batch(), progress);
    }

    /** One {@code POST /users/delete} of the next 50 records: by external id, or by user alias. */
    private WriteStep delete(WriteBatch batch, Deleted progress) throws DestinationException {
        List<OutboundRecord> chunk = batch.records().subList(progress.next(),
                Math.min(batch.records().size(), progress.next() + MAX_DELETES));
        boolean byAlias = batch.matchField().equals(BrazeFields.USER_ALIAS);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode ids = body.putArray(byAlias ? "user_aliases" : "external_ids");
        for (OutboundRecord record : chunk) {
            if (byAlias) ids.addObject().put("alias_name", record.matchValue()).put("alias_label", aliasLabel);
            else ids.add(record.matchValue());
        }
        Answer answer = send("POST", "/users/delete", body.toString());
        if (answer.status() < 200 || answer.status() >= 300) throw failure(answer, "deleting " + chunk.size() + " users");
        // Braze queues the deletions; an identifier it does not know is simply not there any more.
        List<RecordResult> results = new ArrayList<>(progress.results());
        chunk.forEach(record -> results.add(RecordResult.accepted(record.key(), record.matchValue())));
        Deleted next = new Deleted(progress.next() + chunk.size(), results);
        if (next.next() >= batch.records().size()) return new WriteStep.Done(new WriteResult(results, usage(answer.headers())));
        return new WriteStep.Pending(batch, next, Duration.ZERO, "Braze /users/delete: " + next.next() + " of "
                + batch.records().size() + " users deleted");
    }

    private WriteResult track(TrackPayload payload, WriteBatch batch) throws DestinationException {
        if (payload.isEmpty()) return new WriteResult(payload.refusedBeforeSending(), RateUsage.UNKNOWN);
        Answer answer = send("POST", "/users/track", payload.body());
        RateUsage usage = usage(answer.headers());
        // 201 "success" (or 200, or 202 "queued" during maintenance, https://www.braze.com/docs/api/errors/):
        // every object its errors do not name was processed.
        if (answer.status() >= 200 && answer.status() < 300) {
            return new WriteResult(payload.results(answer.body(), true), usage);
        }
        // A 400 whose errors name objects refused every object of the request for what it holds.
        if (answer.status() == 400 && payload.namesObjects(answer.body())) {
            return new WriteResult(payload.results(answer.body(), false), usage);
        }
        throw failure(answer, "tracking " + payload.size() + " " + batch.object());
    }

    @Override
    public void close() {
        caller.close();
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------

    private record Answer(int status, HttpHeaders headers, JsonNode body) {
    }

    private Answer send(String method, String path, String body) throws DestinationException {
        HttpRequest.Builder request = caller.request(URI.create(baseUrl + path), "application/json")
                .header("Authorization", "Bearer " + apiKey);
        HttpAnswer answer = caller.send(HttpCaller.withBody(request, method, "application/json", body),
                method + " " + path);
        return new Answer(answer.status(), answer.headers(), JsonAnswers.object(JSON, answer.body(), "message"));
    }

    /** The exception for a call Braze refused as a whole: 401/403 permanent, 429 throttled, 5xx transient. */
    private DestinationException failure(Answer answer, String what) {
        String message = "Braze answered " + answer.status() + " while " + what + ": "
                + answer.body().path("message").asText("no reason given");
        return Failures.classify(new HttpAnswer(answer.status(), answer.headers(), ""), message, clock,
                (http, text) -> http.status() != 429 ? Optional.empty()
                        : Optional.of(new ThrottledException(text, retryAfter(http.headers()).orElse(null), false)));
    }

    /**
     * The wait a 429 asks for: {@code X-RateLimit-Retry-After} (newer APIs), a {@code Retry-After}, else the time
     * until {@code X-RateLimit-Reset} (UTC epoch seconds), as https://www.braze.com/docs/api/api_limits/ documents.
     */
    private Optional<Duration> retryAfter(HttpHeaders headers) {
        return RateHeaders.number(headers, "X-RateLimit-Retry-After").map(Duration::ofSeconds)
                .or(() -> RetryAfter.of(headers, clock))
                .or(() -> RetryAfter.untilEpochSeconds(headers, "X-RateLimit-Reset", clock));
    }

    /** The window's budget from {@code X-RateLimit-Limit} and {@code -Remaining}; null where absent. */
    static RateUsage usage(HttpHeaders headers) {
        return RateHeaders.usage(RateHeaders.number(headers, "X-RateLimit-Limit").orElse(null),
                RateHeaders.number(headers, "X-RateLimit-Remaining").orElse(null), null, null);
    }

    private static PermanentException unknownObject(String object) {
        return new PermanentException("Braze has no object '" + object + "' Ebb can write; use users, events or "
                + "purchases", null);
    }
}
