package dev.ebb.connector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.connector.zendesk.WriteState.Job;
import dev.ebb.connector.zendesk.WriteState.Kind;
import dev.ebb.connector.zendesk.WriteState.Stage;
import dev.ebb.connector.zendesk.ZendeskClient.Answer;
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
import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RateWindow;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemoteRecord;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One Zendesk Support account. Writes are Zendesk's bulk endpoints, which answer with a {@code job_status} and do the
 * work in the background (https://developer.zendesk.com/api-reference/ticketing/ticket-management/job_statuses/), so
 * a write is a {@link WriteStep} sequence, one call per step:
 * <ol>
 *   <li>only where records must be found by {@code external_id} first (every organization upsert; updates and
 *       deletes of records whose Zendesk id Ebb has not learnt yet): {@code GET …/show_many?external_ids=};</li>
 *   <li>the bulk call ({@code create_or_update_many}, {@code create_many}, {@code update_many} or
 *       {@code destroy_many}), which queues a job;</li>
 *   <li>{@code GET /api/v2/job_statuses/{id}}, after a wait that grows (1, 2, 4, 8, 16, then every 30 seconds),
 *       until the job is {@code completed} or {@code failed}; its {@code results} become the records' answers;</li>
 *   <li>the next job, if the write needs two (an organization upsert creates the new ones and updates the others).</li>
 * </ol>
 * It never waits, retries or counts: the runtime waits each step's {@link WriteStep.Pending#after()}.
 *
 * <p>Jobs are kept by Zendesk for a limited time (an hour, and only the last 100 of the account, per Zendesk's
 * community post 4408867925914; the current job_statuses page says a day). A job whose status is gone by the time it
 * is polled (404) leaves its records without an answer: the runtime counts them failed and a later run sends them
 * again, which the upsert makes harmless.
 *
 * <p>Thread-safe: the client is shared, nothing else changes after construction.
 */
final class ZendeskDestination implements Destination {
    /**
     * "Accepts an array of up to 100 user objects" (create_or_update_many, create_many, update_many,
     * https://developer.zendesk.com/api-reference/ticketing/users/users/#create-or-update-many-users and the
     * organizations page); destroy_many and show_many take up to 100 ids.
     */
    static final int MAX_RECORDS = 100;
    /**
     * Zendesk publishes no request-size cap for these endpoints; 2 MB is Ebb's own bound, far above 100 ordinary
     * users, that keeps one call from carrying pathological values.
     */
    static final long MAX_BYTES = 2L * 1024 * 1024;
    /**
     * "Job limit": at most 30 jobs of an account may be queued or running at once ("Rate limits",
     * https://developer.zendesk.com/api-reference/introduction/rate-limits; the figure per LIMITS §3). Each batch in
     * flight holds at most one job, so bounding calls in flight to 30 bounds Ebb's jobs; other clients of the account
     * share the cap, and past it Zendesk answers 429 with a Retry-After, which the runtime honours.
     */
    static final int MAX_JOBS = 30;
    /** How long after a job is queued Ebb first asks about it; the wait doubles each time, up to {@link #MAX_POLL_WAIT}. */
    static final Duration FIRST_POLL_WAIT = Duration.ofSeconds(1);
    static final Duration MAX_POLL_WAIT = Duration.ofSeconds(30);
    /** About an hour of polling, as long as Zendesk is documented to keep a job: past it the answer is lost anyway. */
    static final int MAX_POLLS = 125;

    private final ZendeskClient client;
    private final ZendeskPlan plan;
    private final String accountId;

    ZendeskDestination(ZendeskClient client, ZendeskPlan plan) {
        this.client = client;
        this.plan = plan;
        this.accountId = "zendesk:" + client.baseUrl();
    }

    // ---- declarations -------------------------------------------------------------------------------------

    /** The account's base URL: Zendesk's limits are per account, whichever agent's token calls. No secret. */
    @Override
    public String accountId() {
        return accountId;
    }

    /** The plan's requests per minute ({@link ZendeskPlan}) and the job limit as the concurrency ({@link #MAX_JOBS}). */
    @Override
    public RateLimits rateLimits() {
        return new RateLimits(List.of(new RateWindow(plan.requestsPerMinute(), ZendeskPlan.WINDOW)), MAX_JOBS,
                Optional.empty());
    }

    /**
     * Users (matched by {@code email} or {@code external_id}) and organizations (by {@code external_id}). Insert is
     * not offered: Zendesk's {@code create_many} has no documented per-record answer for a record that exists.
     */
    /** Zendesk stores and compares emails case-blind. */
    private static final Set<String> EMAIL_MATCH = Set.of("email");

    @Override
    public Optional<ObjectCapabilities> object(String object) {
        return ZendeskObject.named(object).map(o -> new ObjectCapabilities(object,
                Set.of(Mode.UPSERT, Mode.UPDATE, Mode.MIRROR),
                Set.of(RemovalBehaviour.IGNORE, RemovalBehaviour.CLEAR_FIELDS, RemovalBehaviour.DELETE),
                new MatchRule(o.matchFields(), false, EMAIL_MATCH.stream().filter(o.matchFields()::contains)
                        .collect(java.util.stream.Collectors.toSet())), new BatchLimits(MAX_RECORDS, MAX_BYTES), true));
    }

    // ---- describe -----------------------------------------------------------------------------------------

    /**
     * The standard fields and the account's custom fields, from {@code GET /api/v2/user_fields} (or
     * {@code organization_fields}). A custom field is named {@code user_fields.<key>}, as its value sits in the
     * record's JSON. Types: text, textarea and regexp are strings; integer and decimal numbers; checkbox a boolean;
     * date a date; dropdown an enumeration of its options' values (tags). Inactive fields, and types Ebb cannot
     * write (multiselect, lookup), are read-only. One page of up to 100 fields is read (one call).
     */
    @Override
    public ObjectSchema describe(String object) throws DestinationException {
        ZendeskObject type = objectNamed(object);
        Answer answer = client.send("GET", type.customFieldsPath() + "?per_page=100", null);
        if (!answer.ok()) throw client.failure(answer, "the listing of " + type.customFields());
        List<FieldSpec> fields = new ArrayList<>(type.standardFields());
        for (JsonNode field : answer.body().path(type.customFields())) {
            String key = field.path("key").asText("");
            if (key.isEmpty()) continue;
            Optional<FieldType> fieldType = customFieldType(field.path("type").asText(""));
            boolean writable = fieldType.isPresent() && field.path("active").asBoolean(true);
            List<String> options = new ArrayList<>();
            if (fieldType.orElse(null) == FieldType.ENUMERATION) {
                field.path("custom_field_options").forEach(o -> options.add(o.path("value").asText()));
            }
            fields.add(new FieldSpec(type.customFields() + "." + key, fieldType.orElse(FieldType.STRING), false,
                    !writable, options));
        }
        return new ObjectSchema(object, fields);
    }

    /** Zendesk's custom field types (user_fields page: "type" of a user field). */
    static Optional<FieldType> customFieldType(String zendeskType) {
        return switch (zendeskType) {
            case "text", "textarea", "regexp" -> Optional.of(FieldType.STRING);
            case "integer", "decimal" -> Optional.of(FieldType.NUMBER);
            case "checkbox" -> Optional.of(FieldType.BOOLEAN);
            case "date" -> Optional.of(FieldType.DATE);
            case "dropdown", "tagger" -> Optional.of(FieldType.ENUMERATION);
            default -> Optional.empty();
        };
    }

    // ---- writes -------------------------------------------------------------------------------------------

    @Override
    public WriteStep start(WriteBatch batch) throws DestinationException {
        ZendeskObject object = objectNamed(batch.object());
        return advance(object, batch, plan(object, batch));
    }

    @Override
    public WriteStep resume(WriteStep.Pending pending) throws DestinationException {
        if (!(pending.state() instanceof WriteState state)) {
            throw new IllegalArgumentException("not a Zendesk write step: " + pending.state());
        }
        return advance(objectNamed(pending.batch().object()), pending.batch(), state);
    }

    /** The first state of a write: what must be looked up, which jobs to run, which records are refused already. */
    private WriteState plan(ZendeskObject object, WriteBatch batch) throws PermanentException {
        if (!object.matchFields().contains(batch.matchField())) {
            throw new PermanentException(object.plural() + " cannot be matched by '" + batch.matchField()
                    + "'; use " + String.join(" or ", object.matchFields().stream().sorted().toList()), null);
        }
        List<OutboundRecord> records = batch.records();
        Map<Integer, String> ids = new LinkedHashMap<>();
        Map<Integer, RecordResult> answered = new LinkedHashMap<>();
        List<Integer> lookup = new ArrayList<>();
        boolean byExternalId = batch.matchField().equals("external_id");
        switch (batch.operation()) {
            case UPSERT -> {
                if (object.bulkUpsert()) {
                    return WriteState.submitting(ids, answered,
                            List.of(new Job(Kind.CREATE_OR_UPDATE_MANY, indexes(records.size()))), RateUsage.UNKNOWN);
                }
                for (int i = 0; i < records.size(); i++) {
                    if (lookable(records.get(i), i, answered)) lookup.add(i);
                }
            }
            case UPDATE, DELETE -> {
                for (int i = 0; i < records.size(); i++) {
                    OutboundRecord record = records.get(i);
                    if (record.destinationId() != null && record.destinationId().matches("\\d{1,18}")) {
                        ids.put(i, record.destinationId());
                    } else if (byExternalId) {
                        if (lookable(record, i, answered)) lookup.add(i);
                    } else {
                        // show_many finds users by id or external id only, and a lookup per email would be a call
                        // per record.
                        answered.put(i, RecordResult.rejected(record.key(), "not " + verb(batch.operation())
                                + ": Zendesk looks " + object.plural() + " up in bulk by id or external_id only, and "
                                + "no Zendesk id is known for " + batch.matchField() + " " + record.matchValue()
                                + " (Ebb learns ids from its own earlier writes; match by external_id, or use mode "
                                + "upsert)"));
                    }
                }
            }
            case CREATE -> throw new PermanentException("Zendesk " + object.plural() + " are written with mode upsert, "
                    + "update or mirror; insert is not supported", null);
            case REPLACE -> throw new PermanentException("Zendesk cannot replace " + object.plural() + " as a whole",
                    null);
        }
        if (!lookup.isEmpty()) {
            return new WriteState(Stage.LOOKUP, lookup, ids, answered, List.of(), null, 0, RateUsage.UNKNOWN);
        }
        return WriteState.submitting(ids, answered, jobsAfterLookup(batch, ids, answered), RateUsage.UNKNOWN);
    }

    /** Whether a record's external id can go into {@code show_many}, whose list is comma-separated. */
    private static boolean lookable(OutboundRecord record, int index, Map<Integer, RecordResult> answered) {
        if (!record.matchValue().contains(",")) return true;
        answered.put(index, RecordResult.rejected(record.key(), "external_id '" + record.matchValue()
                + "' contains a comma, which Zendesk's show_many cannot look up"));
        return false;
    }

    /** The jobs once every id that can be known is known; records the lookup did not find are answered here. */
    private static List<Job> jobsAfterLookup(WriteBatch batch, Map<Integer, String> ids,
                                             Map<Integer, RecordResult> answered) {
        List<Integer> known = new ArrayList<>();
        List<Integer> unknown = new ArrayList<>();
        for (int i = 0; i < batch.records().size(); i++) {
            if (answered.containsKey(i)) continue;
            (ids.containsKey(i) ? known : unknown).add(i);
        }
        List<Job> jobs = new ArrayList<>();
        switch (batch.operation()) {
            case UPSERT -> {
                if (!unknown.isEmpty()) jobs.add(new Job(Kind.CREATE_MANY, unknown));
                if (!known.isEmpty()) jobs.add(new Job(Kind.UPDATE_MANY, known));
            }
            case UPDATE -> {
                for (int i : unknown) {
                    OutboundRecord record = batch.records().get(i);
                    answered.put(i, RecordResult.rejected(record.key(), "not updated: no Zendesk "
                            + singular(batch.object()) + " has " + batch.matchField() + " " + record.matchValue()));
                }
                if (!known.isEmpty()) jobs.add(new Job(Kind.UPDATE_MANY, known));
            }
            case DELETE -> {
                // Nothing has that external id: the record is gone already, which is what a delete asks for.
                for (int i : unknown) answered.put(i, RecordResult.accepted(batch.records().get(i).key(), null));
                if (!known.isEmpty()) jobs.add(new Job(Kind.DESTROY_MANY, known));
            }
            case CREATE -> throw new IllegalStateException("insert is refused before any lookup");
        }
        return jobs;
    }

    /** Makes the one call the state asks for (none once it is done) and says what comes next. */
    private WriteStep advance(ZendeskObject object, WriteBatch batch, WriteState state) throws DestinationException {
        return switch (state.stage()) {
            case LOOKUP -> lookup(object, batch, state);
            case SUBMIT -> submit(object, batch, state);
            case POLL -> poll(object, batch, state);
            case DONE -> done(batch, state);
        };
    }

    private WriteStep lookup(ZendeskObject object, WriteBatch batch, WriteState state) throws DestinationException {
        List<String> externalIds = state.lookup().stream().map(i -> batch.records().get(i).matchValue()).toList();
        Answer answer = client.send("GET", "/api/v2/" + object.plural() + "/show_many?external_ids="
                + externalIds.stream().map(ZendeskDestination::encode).collect(Collectors.joining(",")), null);
        if (!answer.ok()) throw client.failure(answer, "the lookup of " + externalIds.size() + " " + object.plural());
        // "The API treats the id as case insensitive" (external_id, users and organizations pages).
        Map<String, String> found = new HashMap<>();
        for (JsonNode record : answer.body().path(object.plural())) {
            String externalId = record.path("external_id").asText("");
            if (!externalId.isEmpty()) found.put(externalId.toLowerCase(Locale.ROOT), idText(record.path("id")));
        }
        Map<Integer, String> ids = new LinkedHashMap<>(state.ids());
        for (int i : state.lookup()) {
            String id = found.get(batch.records().get(i).matchValue().toLowerCase(Locale.ROOT));
            if (id != null) ids.put(i, id);
        }
        Map<Integer, RecordResult> answered = new LinkedHashMap<>(state.answered());
        List<Job> jobs = jobsAfterLookup(batch, ids, answered);
        WriteState next = WriteState.submitting(ids, answered, jobs, ZendeskClient.usage(answer.headers()));
        return next.stage() == Stage.DONE ? done(batch, next)
                : pending(batch, next, Duration.ZERO, "looked up " + externalIds.size() + " " + object.plural());
    }

    private WriteStep submit(ZendeskObject object, WriteBatch batch, WriteState state) throws DestinationException {
        Job job = state.currentJob();
        String path = "/api/v2/" + object.plural() + "/" + job.kind().endpoint;
        JsonNode body = null;
        if (job.kind() == Kind.DESTROY_MANY) {
            path += "?ids=" + job.records().stream().map(i -> encode(state.ids().get(i)))
                    .collect(Collectors.joining(","));
        } else {
            ObjectNode root = ZendeskClient.JSON.createObjectNode();
            ArrayNode array = root.putArray(object.plural());
            for (int i : job.records()) array.add(payload(object, batch, job.kind(), i, state.ids().get(i)));
            body = root;
        }
        Answer answer = client.send(job.kind().method, path, body);
        String what = job.kind().endpoint + " of " + job.records().size() + " " + object.plural();
        if (!answer.ok()) throw client.failure(answer, what);
        JsonNode status = answer.body().path("job_status");
        String jobId = status.path("id").asText("");
        if (jobId.isEmpty()) {
            throw new PermanentException("Zendesk accepted " + what + " but answered no job_status id: "
                    + ZendeskClient.reason(answer.body()), null);
        }
        return jobStatus(object, batch, state, jobId, 0, status, ZendeskClient.usage(answer.headers()));
    }

    private WriteStep poll(ZendeskObject object, WriteBatch batch, WriteState state) throws DestinationException {
        Answer answer = client.send("GET", "/api/v2/job_statuses/" + encode(state.jobId()), null);
        RateUsage usage = ZendeskClient.usage(answer.headers());
        if (answer.status() == 404) {
            // The job's status is gone (expired, or pushed out of the last 100): its outcome cannot be known. Its
            // records get no answer, so the runtime leaves them failed and a later run sends them again.
            return next(batch, state.jobEnded(Map.of(), usage));
        }
        if (!answer.ok()) throw client.failure(answer, "the status of job " + state.jobId());
        return jobStatus(object, batch, state, state.jobId(), state.polls() + 1, answer.body().path("job_status"),
                usage);
    }

    /** Acts on a job_status: wait for it, or take its results and go on. */
    private WriteStep jobStatus(ZendeskObject object, WriteBatch batch, WriteState state, String jobId, int polls,
                                JsonNode status, RateUsage usage) {
        String value = status.path("status").asText("queued");
        boolean running = value.equals("queued") || value.equals("working");
        if (running && polls < MAX_POLLS) {
            Duration wait = pollWait(polls);
            String progress = status.hasNonNull("total")
                    ? " " + status.path("progress").asInt(0) + "/" + status.path("total").asInt() : "";
            return pending(batch, state.polling(jobId, polls, usage), wait, "Zendesk job " + jobId + " ("
                    + state.currentJob().kind().endpoint + " of " + object.plural() + ") " + value + progress);
        }
        // completed, failed or killed (or still running after about an hour): what the results say is all there
        // is; a record they do not mention stays unanswered.
        Map<Integer, RecordResult> answers = running ? Map.of()
                : results(batch, state.currentJob(), state.ids(), status.path("results"));
        return next(batch, state.jobEnded(answers, usage));
    }

    private WriteStep next(WriteBatch batch, WriteState state) {
        return state.stage() == Stage.DONE ? done(batch, state)
                : pending(batch, state, Duration.ZERO, "next Zendesk job: " + state.currentJob().kind().endpoint);
    }

    private static WriteStep done(WriteBatch batch, WriteState state) {
        List<RecordResult> results = new ArrayList<>();
        for (int i = 0; i < batch.records().size(); i++) {
            RecordResult result = state.answered().get(i);
            if (result != null) results.add(result);
        }
        return new WriteStep.Done(new WriteResult(results, state.usage()));
    }

    private static WriteStep pending(WriteBatch batch, WriteState state, Duration after, String description) {
        return new WriteStep.Pending(batch, state, after, description);
    }

    /** 1, 2, 4, 8, 16, then every 30 seconds. */
    static Duration pollWait(int polls) {
        Duration wait = FIRST_POLL_WAIT.multipliedBy(1L << Math.min(polls, 5));
        return wait.compareTo(MAX_POLL_WAIT) > 0 ? MAX_POLL_WAIT : wait;
    }

    /**
     * Each record's answer from a finished job's {@code results}. Zendesk's result items
     * (https://developer.zendesk.com/api-reference/ticketing/ticket-management/job_statuses/#results): bulk creates
     * carry {@code id} and {@code index}; bulk updates and deletes {@code id}, {@code action}, {@code success} and
     * {@code status}; create_or_update_many {@code status} "Created", "Updated" or "Failed", in the order of the
     * request (Zendesk developer advocacy, community post 4408861015066); a failure carries {@code error} and
     * {@code details}. An item is matched to its record by {@code index}, else by the id Ebb sent, else by position.
     */
    static Map<Integer, RecordResult> results(WriteBatch batch, Job job, Map<Integer, String> ids, JsonNode results) {
        Map<Integer, RecordResult> answers = new LinkedHashMap<>();
        if (!results.isArray()) return answers;
        boolean byId = job.kind() == Kind.UPDATE_MANY || job.kind() == Kind.DESTROY_MANY;
        Map<String, Integer> sentIds = new HashMap<>();
        if (byId) for (int i : job.records()) sentIds.put(ids.get(i), i);
        for (int position = 0; position < results.size(); position++) {
            JsonNode item = results.get(position);
            Integer record = null;
            if (item.hasNonNull("index") && item.get("index").canConvertToInt()) {
                int index = item.get("index").asInt();
                if (index >= 0 && index < job.records().size()) record = job.records().get(index);
            }
            if (record == null && byId && item.hasNonNull("id")) record = sentIds.get(idText(item.get("id")));
            if (record == null && position < job.records().size()) record = job.records().get(position);
            if (record == null || answers.containsKey(record)) continue;
            String key = batch.records().get(record).key();
            boolean failed = item.hasNonNull("error") || item.path("status").asText("").equalsIgnoreCase("Failed")
                    || (item.has("success") && !item.path("success").asBoolean(true));
            String id = item.hasNonNull("id") && !failed ? idText(item.get("id")) : ids.get(record);
            if (!failed) {
                answers.put(record, RecordResult.accepted(key, id));
            } else if (job.kind() == Kind.DESTROY_MANY && item.path("error").asText("").equals("RecordNotFound")) {
                answers.put(record, RecordResult.accepted(key, ids.get(record))); // gone already
            } else {
                answers.put(record, RecordResult.rejected(key, itemReason(item)));
            }
        }
        return answers;
    }

    /** A failed item's reason: {@code UserUpdateError: Email: x is not properly formatted}. */
    private static String itemReason(JsonNode item) {
        String error = item.path("error").asText("");
        String details = item.path("details").isTextual() ? item.path("details").asText()
                : item.path("details").isMissingNode() || item.path("details").isNull() ? ""
                : item.path("details").toString();
        if (details.isEmpty()) details = item.path("errors").asText("");
        if (error.isEmpty()) error = item.path("status").asText("Failed");
        return details.isEmpty() ? error : error + ": " + details;
    }

    /** One record as the bulk endpoint takes it. */
    private static ObjectNode payload(ZendeskObject object, WriteBatch batch, Kind kind, int index, String id) {
        OutboundRecord record = batch.records().get(index);
        ObjectNode node = ZendeskClient.JSON.createObjectNode();
        if (kind == Kind.UPDATE_MANY) {
            node.put("id", Long.parseLong(id));
        } else {
            // The match value identifies (create_or_update_many) or is set on (create_many) the record. An update
            // by id leaves it alone: setting a user's email on update adds a secondary identity.
            node.put(batch.matchField(), record.matchValue());
        }
        ObjectNode custom = null;
        for (Map.Entry<String, Object> field : record.fields().entrySet()) {
            if (field.getKey().equals(batch.matchField()) && kind != Kind.UPDATE_MANY) continue;
            Optional<String> customKey = object.customKey(field.getKey());
            if (customKey.isPresent()) {
                if (custom == null) custom = node.putObject(object.customFields());
                put(custom, customKey.get(), field.getValue());
            } else {
                put(node, field.getKey(), field.getValue());
            }
        }
        return node;
    }

    /**
     * A value in Zendesk's JSON: numbers as numbers, booleans as booleans, dates {@code YYYY-MM-DD}, instants
     * ISO-8601, {@code null} to clear.
     */
    static void put(ObjectNode node, String name, Object value) {
        switch (value) {
            case null -> node.putNull(name);
            case String s -> node.put(name, s);
            case BigDecimal d -> node.put(name, d);
            case Long l -> node.put(name, l);
            case Integer i -> node.put(name, i);
            case Double d -> {
                if (Double.isFinite(d)) node.put(name, BigDecimal.valueOf(d));
                else node.put(name, d.toString());
            }
            case Boolean b -> node.put(name, b);
            case LocalDate d -> node.put(name, d.toString());
            case Instant i -> node.put(name, i.truncatedTo(ChronoUnit.SECONDS).toString());
            default -> node.put(name, value.toString());
        }
    }

    // ---- read ---------------------------------------------------------------------------------------------

    /**
     * Current values by external id, in one {@code GET …/show_many?external_ids=} (up to 100). Users matched by
     * email cannot be read back in one call (show_many takes ids or external ids only): that is refused.
     */
    @Override
    public List<RemoteRecord> read(String object, String matchField, Collection<String> matchValues,
                                   Collection<String> fields) throws DestinationException {
        ZendeskObject type = objectNamed(object);
        if (!matchField.equals("external_id")) {
            throw new PermanentException("Zendesk " + type.plural() + " can be read back by external_id only (show_many "
                    + "takes ids or external ids), not by " + matchField, null);
        }
        List<String> values = new ArrayList<>(new LinkedHashSet<>(matchValues));
        values.removeIf(v -> v.contains(","));
        if (values.isEmpty()) return List.of();
        Answer answer = client.send("GET", "/api/v2/" + type.plural() + "/show_many?external_ids="
                + values.stream().map(ZendeskDestination::encode).collect(Collectors.joining(",")), null);
        if (!answer.ok()) throw client.failure(answer, "the read of " + values.size() + " " + type.plural());
        Map<String, String> wanted = new HashMap<>();
        for (String value : values) wanted.putIfAbsent(value.toLowerCase(Locale.ROOT), value);
        List<RemoteRecord> records = new ArrayList<>();
        for (JsonNode record : answer.body().path(type.plural())) {
            String matchValue = wanted.get(record.path("external_id").asText("").toLowerCase(Locale.ROOT));
            if (matchValue == null) continue;
            Map<String, Object> current = new LinkedHashMap<>();
            for (String field : fields) {
                Optional<String> customKey = type.customKey(field);
                JsonNode value = customKey.isPresent() ? record.path(type.customFields()).path(customKey.get())
                        : record.path(field);
                current.put(field, scalar(value));
            }
            records.add(new RemoteRecord(matchValue, idText(record.path("id")), current));
        }
        return records;
    }

    private static Object scalar(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) return null;
        if (value.isBoolean()) return value.booleanValue();
        if (value.isNumber()) return value.decimalValue();
        String text = value.isTextual() ? value.asText() : value.toString();
        return text.isEmpty() ? null : text;
    }

    @Override
    public void close() {
        client.close();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static ZendeskObject objectNamed(String object) throws PermanentException {
        return ZendeskObject.named(object).orElseThrow(() -> new PermanentException("Zendesk has no object '"
                + object + "' that Ebb can write; use one of " + ZendeskObject.known(), null));
    }

    private static List<Integer> indexes(int size) {
        List<Integer> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) all.add(i);
        return all;
    }

    private static String singular(String object) {
        return ZendeskObject.named(object).map(ZendeskObject::singular).orElse(object);
    }

    private static String verb(Operation operation) {
        return operation == Operation.DELETE ? "deleted" : "updated";
    }

    private static String idText(JsonNode id) {
        return id.isNumber() ? id.bigIntegerValue().toString() : id.asText();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
