package dev.ebb.connector.facebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.connector.support.Hashes;
import dev.ebb.connector.support.HttpAnswer;
import dev.ebb.connector.support.HttpCaller;
import dev.ebb.connector.support.JsonAnswers;
import dev.ebb.spi.BatchLimits;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.MatchRule;
import dev.ebb.spi.Mode;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RateLimits;
import dev.ebb.spi.RateWindow;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One Meta ad account's customer-file Custom Audiences; the object is an audience id. Each {@link #start} is one
 * call: {@code POST /{audience_id}/users} adds the batch's members ({@link Operation#UPSERT}), {@code DELETE
 * /{audience_id}/users} removes them ({@link Operation#DELETE}), and a {@link Operation#REPLACE} opens a
 * {@code usersreplace} session whose further batches are {@link WriteStep.Pending} steps ({@link ReplaceSession}).
 * {@link #describe} is one {@code GET /{audience_id}?fields=…}. It never waits, retries or counts.
 *
 * <p>Values are normalised and hashed as Meta specifies ({@link AudienceKey}); a record with a value that cannot be
 * normalised is reported by {@link #problem} before the plan sends it, and refused unsent if it arrives anyway.
 * Meta tells no member ids: a record's destination id is its match field's value as sent (a SHA-256 digest, or a
 * plain EXTERN_ID/MADID), which is also how a later removal without values finds it again.
 *
 * <p>Thread-safe: the HTTP client and the JSON mapper are shared, nothing else changes after construction.
 */
final class FacebookDestination implements Destination {
    /**
     * "only a maximum of 10000 at a time" (https://developers.facebook.com/docs/marketing-api/reference/custom-audience/users).
     */
    static final int MAX_USERS = 10_000;
    /**
     * Meta publishes no request-size cap for the users edge; 10,000 rows of 14 digests are about 10 MB, and 32 MB
     * is Ebb's own bound above that.
     */
    static final long MAX_BYTES = 32L * 1024 * 1024;
    /**
     * A whole replace is held in memory as one batch; a million members is Ebb's bound (Meta has none: "an unlimited
     * number of records for an audience").
     */
    static final int MAX_REPLACE = 1_000_000;
    /**
     * Meta documents no concurrency cap, only the hourly custom_audience allowance; a few calls in flight keep the
     * order of one audience's adds and removes readable in its history.
     */
    static final int MAX_CONCURRENCY = 4;
    /** Meta's audience ids are long numbers. */
    private static final Pattern AUDIENCE_ID = Pattern.compile("\\d{1,20}");
    private static final String FIELDS = "id,name,account_id,subtype,operation_status,approximate_count_lower_bound,"
            + "approximate_count_upper_bound";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STRONG_KEYS = Set.of("EMAIL", "PHONE", "EXTERN_ID", "MADID");

    /**
     * The connection's settings.
     *
     * @param apiUrl      {@code https://graph.facebook.com/v25.0}
     * @param adAccountId {@code act_…}
     * @param phoneRegion the region of phone numbers without a country code, or {@code null}
     */
    record Config(URI apiUrl, String token, String adAccountId, String phoneRegion,
                  FacebookConnector.AccessTier tier, Duration timeout) {
    }

    private final Config config;
    private final Clock clock;
    private final HttpCaller caller;

    FacebookDestination(Config config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.caller = new HttpCaller("Meta", config.apiUrl(), config.timeout());
    }

    // ---- declarations -------------------------------------------------------------------------------------

    /** The ad account: Meta's custom_audience limit is per ad account, whoever's token calls. */
    @Override
    public String accountId() {
        return "facebook:" + config.apiUrl().getRawAuthority() + "/" + config.adAccountId();
    }

    /** The tier's hourly custom_audience allowance (see {@link FacebookConnector.AccessTier}); no daily quota. */
    @Override
    public RateLimits rateLimits() {
        return new RateLimits(List.of(new RateWindow(config.tier().perHour, Duration.ofHours(1))), MAX_CONCURRENCY,
                Optional.empty());
    }

    /**
     * Any audience id: members are added ({@code upsert}, and the adds of {@code add_remove}), removed
     * ({@code on_removed: delete}, the removals of {@code add_remove}) or replaced as a whole. Matched by EMAIL,
     * PHONE, EXTERN_ID or MADID; emails compare case-blind, as Meta lowercases them before hashing.
     */
    @Override
    public Optional<ObjectCapabilities> object(String object) {
        if (!AUDIENCE_ID.matcher(object).matches()) return Optional.empty();
        return Optional.of(new ObjectCapabilities(object, Set.of(Mode.UPSERT, Mode.ADD_REMOVE),
                Set.of(RemovalBehaviour.IGNORE, RemovalBehaviour.DELETE), new MatchRule(STRONG_KEYS, false, Set.of("EMAIL")),
                new BatchLimits(MAX_USERS, MAX_BYTES), false, Optional.empty(),
                Optional.of(new BatchLimits(MAX_REPLACE, MAX_BYTES * (MAX_REPLACE / MAX_USERS)))));
    }

    /** The record's first value that cannot be normalised, or that it has none to match on. */
    @Override
    public Optional<String> problem(String object, Map<String, Object> fields) {
        return rows().problem(fields);
    }

    // ---- describe -----------------------------------------------------------------------------------------

    /**
     * Reads the audience, checks that it is a customer-file audience of the configured ad account, and answers the
     * multi-key schema as its fields (all text; {@link AudienceKey} says how each is normalised).
     */
    @Override
    public ObjectSchema describe(String object) throws DestinationException {
        if (object(object).isEmpty()) {
            throw new PermanentException("'" + object + "' is not a Meta audience id; use the audience's number "
                    + "from Ads Manager (Audiences) as the sync's object", null);
        }
        HttpAnswer answer = send("GET", "/" + object + "?fields=" + FIELDS, null);
        if (!answer.ok()) throw GraphFailures.classify(answer, "reading audience " + object, clock);
        JsonNode audience = JsonAnswers.object(JSON, answer.body(), "message");
        String account = audience.path("account_id").asText("");
        if (!account.isEmpty() && !config.adAccountId().equals("act_" + account)) {
            throw new PermanentException("audience " + object + " belongs to ad account act_" + account + ", not "
                    + config.adAccountId() + "; set ad_account_id to the audience's account", null);
        }
        String subtype = audience.path("subtype").asText("CUSTOM");
        if (!subtype.equals("CUSTOM")) {
            throw new PermanentException("audience " + object + " is a " + subtype + " audience; only customer-file "
                    + "(CUSTOM) audiences take members from a list", null);
        }
        List<FieldSpec> fields = Arrays.stream(AudienceKey.values())
                .map(key -> new FieldSpec(key.name(), FieldType.STRING, STRONG_KEYS.contains(key.name()), false, List.of()))
                .toList();
        return new ObjectSchema(object, fields);
    }

    // ---- write --------------------------------------------------------------------------------------------

    @Override
    public WriteStep start(WriteBatch batch) throws DestinationException {
        if (object(batch.object()).isEmpty()) {
            throw new PermanentException("'" + batch.object() + "' is not a Meta audience id", null);
        }
        return switch (batch.operation()) {
            case UPSERT -> new WriteStep.Done(users(batch, "POST"));
            case DELETE -> new WriteStep.Done(users(batch, "DELETE"));
            case REPLACE -> replaceSession().start(batch);
            case CREATE, UPDATE -> throw new PermanentException("a Meta audience only adds, removes or replaces "
                    + "members; " + batch.operation().name().toLowerCase(java.util.Locale.ROOT)
                    + " has no meaning for it (use mode upsert or add_remove)", null);
        };
    }

    @Override
    public WriteStep resume(WriteStep.Pending pending) throws DestinationException {
        return replaceSession().resume(pending);
    }

    /** One add or remove call for the whole batch. */
    private WriteResult users(WriteBatch batch, String method) throws DestinationException {
        UserRows.Encoded encoded = rows().encode(batch.records(), batch.operation(), batch.matchField());
        List<RecordResult> results = new ArrayList<>(encoded.rejected());
        if (encoded.rows().isEmpty()) return new WriteResult(results, dev.ebb.spi.RateUsage.UNKNOWN);
        long sessionId = sessionId(batch);
        String form = form(encoded, new Session(sessionId, 1, true, encoded.rows().size()));
        HttpAnswer answer = send(method, "/" + batch.object() + "/users", form);
        String what = (method.equals("POST") ? "adding " : "removing ") + encoded.rows().size() + " members of audience "
                + batch.object();
        if (!answer.ok()) throw GraphFailures.classify(answer, what, clock);
        AudienceKey match = AudienceKey.BY_NAME.get(batch.matchField());
        results.addAll(UsersAnswer.results(JsonAnswers.object(JSON, answer.body(), "message"), encoded.rows(),
                row -> row.sent(encoded.schema(), match)));
        return new WriteResult(results, GraphFailures.usage(answer.headers(), config.tier().perHour));
    }

    /** Meta's session object for one call. */
    record Session(long sessionId, int batchSeq, boolean lastBatch, long estimatedTotal) {
    }

    /**
     * The parameters as a form body, {@code payload} and {@code session} each as JSON, the way Meta's SDKs encode
     * them. A removal sends them in the body too (as the PHP SDK does for every method but GET): 10,000 digests
     * are far more than a URL may hold.
     */
    static String form(UserRows.Encoded encoded, Session session) {
        ObjectNode payload = JSON.createObjectNode();
        ArrayNode schema = payload.putArray("schema");
        encoded.schema().forEach(key -> schema.add(key.name()));
        ArrayNode data = payload.putArray("data");
        encoded.rows().forEach(row -> {
            ArrayNode values = data.addArray();
            row.values().forEach(values::add);
        });
        ObjectNode sessionNode = JSON.createObjectNode().put("session_id", session.sessionId())
                .put("batch_seq", session.batchSeq()).put("last_batch_flag", session.lastBatch())
                .put("estimated_num_total", session.estimatedTotal());
        return "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8)
                + "&session=" + URLEncoder.encode(sessionNode.toString(), StandardCharsets.UTF_8);
    }

    /**
     * A session id the advertiser chooses, derived from the batch so that a call the runtime makes again (after a
     * lost answer) names the same session instead of opening another. Positive, below 2^53 (a JSON number any SDK
     * reads exactly).
     */
    static long sessionId(WriteBatch batch) {
        StringBuilder identity = new StringBuilder(batch.object()).append('\u001f').append(batch.operation());
        batch.records().forEach(r -> identity.append('\u001f').append(r.key()).append('\u001e').append(r.matchValue()));
        String digest = Hashes.sha256Hex(identity.toString());
        return Long.parseLong(digest.substring(0, 13), 16) + 1;
    }

    private ReplaceSession replaceSession() {
        return new ReplaceSession(this, rows(), config.tier().perHour, clock);
    }

    UserRows rows() {
        return new UserRows(config.phoneRegion(), clock.instant().atZone(ZoneOffset.UTC).getYear());
    }

    @Override
    public void close() {
        caller.close();
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------

    /** One call; {@code form} is a form body or {@code null}. The token goes in a header, never in a URL. */
    HttpAnswer send(String method, String pathAndQuery, String form) throws DestinationException.TransientException {
        HttpRequest.Builder request = caller.request(URI.create(config.apiUrl() + pathAndQuery), "application/json")
                .header("Authorization", "Bearer " + config.token());
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        return caller.send(HttpCaller.withBody(request, method, "application/x-www-form-urlencoded",
                form == null ? null : form.getBytes(StandardCharsets.UTF_8)), method + " " + path);
    }
}
