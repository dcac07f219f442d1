package dev.ebb.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.connector.salesforce.Plan.Kind;
import dev.ebb.connector.salesforce.SalesforceSession.Answer;
import dev.ebb.connector.support.AccountIds;
import dev.ebb.spi.BatchLimits;
import dev.ebb.spi.BulkLimits;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
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
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemoteRecord;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One Salesforce org, written through sObject Collections (at most 200 records a call) and, for large plans,
 * Bulk API 2.0 ingest jobs. It never waits, retries or counts: every {@link #start}, {@link #resume}, {@link #read}
 * and {@link #describe} is one API request, which the runtime's rate budget books, and a step that must wait (a Bulk
 * job processing) says how long in its {@link WriteStep.Pending}. The one other request is a sign-in at the OAuth
 * token endpoint, made inside the first call that needs a token (see {@link SalesforceSession}): it is not an API
 * call and does not count against the org's daily request allocation.
 *
 * <p>Operations:
 * <ul>
 *   <li>upsert: {@code PATCH /composite/sobjects/{Object}/{ExternalIdField}}, {@code allOrNone=false}; matched on
 *       {@code Id} it is an update (an Id only names a record that exists);</li>
 *   <li>create: {@code POST /composite/sobjects};</li>
 *   <li>update: {@code PATCH /composite/sobjects} by Salesforce Id;</li>
 *   <li>delete: {@code DELETE /composite/sobjects?ids=…&allOrNone=false}; a record already gone counts as deleted.</li>
 * </ul>
 * Update and delete address records by Id. When a record's Id is unknown (a row Ebb never wrote, matched on an
 * External ID field), one SOQL query per up to ~12 KB of match values looks the Ids up first, as its own step;
 * a value no record holds is refused for an update ({@code NOT_FOUND}) and counts as deleted for a delete.
 *
 * <p>A batch larger than one sObject Collections call (the runner builds those once a plan reaches
 * {@code bulk_threshold} records, see {@link #object}) goes through a Bulk API 2.0 ingest job ({@link BulkIngest}), one call a step: create
 * the job, upload the CSV, close it, poll its state (waiting 2 s, then doubling up to 30 s), then fetch the successful,
 * failed and (only when some were not processed) unprocessed results. Results are matched to records by the External
 * ID column, or by Id. A record in neither result file was not processed: it is answered failed, with the job's
 * counts, and the runner sends it again next run.
 *
 * <p>Record lock contention ({@code UNABLE_TO_LOCK_ROW}) in a Collections answer: when every refused record of the
 * call was refused for a lock, and resending is harmless (any operation but create, or nothing was written), the
 * call is a {@link TransientException}, so the runner backs off and repeats the batch; otherwise each locked record
 * is answered failed with Salesforce's reason (not rejected: the record is not at fault), and the next run sends it
 * again. Splitting a batch into smaller ones is the runner's bisection, which happens on a permanent failure, not
 * here.
 *
 * <p>Thread-safe: the session is, and nothing else changes after construction.
 */
final class SalesforceDestination implements Destination {
    /**
     * "The list can contain up to 200 objects", and the request counts as one call
     * (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-upsert.html,
     * LIMITS §2).
     */
    static final int MAX_COLLECTION_RECORDS = 200;
    /**
     * Salesforce publishes the record cap, not a body-size cap, for sObject Collections; 6 MB is Ebb's own bound,
     * far above 200 ordinary records, so one call never carries pathological values.
     */
    static final long MAX_COLLECTION_BYTES = 6L * 1024 * 1024;
    /**
     * "Salesforce creates a separate batch for every 10,000 records in your job data" and every batch counts against
     * the 15,000 batches a rolling 24 hours allow (LIMITS §2, datafiles_understanding_bulk2_ingest.htm and the bulk
     * limits cheat sheet); a job of at most 10,000 records costs one batch and keeps its result files small.
     */
    static final int MAX_BULK_RECORDS = 10_000;
    /**
     * One upload holds at most 150 MB of base64-encoded content, so "upload data that does not exceed 100 MB" of CSV
     * (https://developer.salesforce.com/docs/platform/api-asynch/guide/upload-job-data.html, LIMITS §2).
     */
    static final long MAX_BULK_BYTES = 100L * 1024 * 1024;
    /**
     * 25 long-running (20 s or more) requests at once in production orgs (5 in Developer Edition and trials); short
     * requests are not limited (salesforce-app-limits-platform-api.html, LIMITS §2).
     */
    static final int MAX_CONCURRENCY = 25;
    /**
     * A request's URI and headers together may hold 16,384 bytes (Salesforce help article 000386264, "Maximum
     * number of rows returned by SOQL queries over the REST API"); an Id lookup stays well below.
     */
    static final int MAX_QUERY_URI = 12_000;

    private static final Pattern STANDARD_OBJECT = Pattern.compile("[A-Z][A-Za-z0-9]*");
    private static final Pattern CUSTOM_OBJECT = Pattern.compile(
            "(?:[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__)?[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__c");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    /** Salesforce renders instants as {@code 2024-01-15T09:30:00.000+0000}. */
    private static final DateTimeFormatter SALESFORCE_DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]XX");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SalesforceSession session;
    private final SalesforceSettings settings;
    private final String accountId;
    private final BulkIngest bulk;

    SalesforceDestination(SalesforceSession session) {
        this.session = session;
        this.settings = session.settings();
        this.bulk = new BulkIngest(session, settings);
        String identity = settings.clientId() + "\n" + (settings.username() == null ? "" : settings.username());
        this.accountId = "salesforce:" + (settings.instanceUrl() != null ? settings.instanceUrl() : settings.loginUrl())
                + "#" + AccountIds.shortHash(identity);
    }

    // ---- declarations -------------------------------------------------------------------------------------

    /**
     * The instance (or login) URL and a short hash of the client id and username: stable per org and integration
     * user, known without a call, and no secret in it.
     */
    @Override
    public String accountId() {
        return accountId;
    }

    /**
     * The org's API request allocation, as configured ({@code daily_limit}; Enterprise Edition: 100,000 + 1,000 per
     * license), counted as Salesforce counts it: over a rolling 24 hours, not from a midnight, so a run that spent it
     * late in the evening finds it still spent after midnight
     * (https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-api.html).
     * And the long-running concurrency cap. Salesforce has no short request window for REST.
     */
    @Override
    public RateLimits rateLimits() {
        return new RateLimits(List.of(), MAX_CONCURRENCY, Optional.of(Quota.rolling24Hours(settings.dailyLimit())));
    }

    /**
     * Any standard object ({@code Contact}) or custom object ({@code Churn_Signal__c}) name: whether the org has it
     * is only known by describing it. Records are matched on {@code Id} or any field whose describe says
     * {@code externalId} or {@code idLookup}. Plans of {@code bulk_threshold} records or more are written in Bulk API
     * 2.0 jobs of up to 10,000 records.
     */
    @Override
    public Optional<ObjectCapabilities> object(String object) {
        if (!isObjectName(object)) return Optional.empty();
        return Optional.of(new ObjectCapabilities(object,
                Set.of(Mode.UPSERT, Mode.UPDATE, Mode.INSERT, Mode.MIRROR),
                Set.of(RemovalBehaviour.IGNORE, RemovalBehaviour.CLEAR_FIELDS, RemovalBehaviour.DELETE),
                new MatchRule(Set.of("Id"), true),
                new BatchLimits(MAX_COLLECTION_RECORDS, MAX_COLLECTION_BYTES), true,
                Optional.of(new BulkLimits(settings.bulkThreshold(),
                        new BatchLimits(MAX_BULK_RECORDS, MAX_BULK_BYTES)))));
    }

    static boolean isObjectName(String object) {
        return object != null && (STANDARD_OBJECT.matcher(object).matches() || CUSTOM_OBJECT.matcher(object).matches());
    }

    // ---- describe -----------------------------------------------------------------------------------------

    /** {@code GET /sobjects/{Object}/describe}: one call. */
    @Override
    public ObjectSchema describe(String object) throws DestinationException {
        if (!isObjectName(object)) {
            throw new PermanentException("'" + object + "' is not a Salesforce object name (e.g. Contact, "
                    + "Churn_Signal__c)", null);
        }
        Answer answer = session.json("GET", settings.dataPath() + "/sobjects/" + object + "/describe", null);
        if (answer.status() == 404) {
            throw new PermanentException("Salesforce has no object '" + object + "' the integration user can see: "
                    + SalesforceSession.reason(answer.json()), null);
        }
        if (answer.status() != 200) throw session.failure(answer, "describe of " + object);
        List<FieldSpec> fields = new ArrayList<>();
        for (JsonNode field : answer.json().path("fields")) fields.add(fieldSpec(field));
        return new ObjectSchema(answer.json().path("name").asText(object), fields);
    }

    /**
     * A described field: picklists whose values Salesforce enforces ({@code restrictedPicklist}) are enumerations;
     * other picklists take any text. A field is unique for matching when it is an External ID or an
     * {@code idLookup} field, read-only when it is neither createable nor updateable.
     */
    static FieldSpec fieldSpec(JsonNode field) {
        String type = field.path("type").asText("string");
        boolean restricted = field.path("restrictedPicklist").asBoolean(false);
        FieldType fieldType = switch (type) {
            case "double", "currency", "percent", "int", "long" -> FieldType.NUMBER;
            case "boolean" -> FieldType.BOOLEAN;
            case "date" -> FieldType.DATE;
            case "datetime" -> FieldType.DATETIME;
            case "picklist" -> restricted ? FieldType.ENUMERATION : FieldType.STRING;
            default -> FieldType.STRING;
        };
        List<String> options = new ArrayList<>();
        if (fieldType == FieldType.ENUMERATION) {
            for (JsonNode value : field.path("picklistValues")) {
                if (value.path("active").asBoolean(true)) options.add(value.path("value").asText());
            }
        }
        boolean unique = field.path("externalId").asBoolean(false) || field.path("idLookup").asBoolean(false);
        boolean readOnly = !field.path("createable").asBoolean(false) && !field.path("updateable").asBoolean(false);
        return new FieldSpec(field.path("name").asText(), fieldType, unique, readOnly, options);
    }

    // ---- writes -------------------------------------------------------------------------------------------

    /** The first call of a write; see the class comment for the steps. */
    @Override
    public WriteStep start(WriteBatch batch) throws DestinationException {
        Plan plan = prepare(batch);
        Step first = next(plan);
        return first == null ? new WriteStep.Done(result(plan, Map.of(), RateUsage.UNKNOWN)) : execute(first);
    }

    /** The next call of a write started by {@link #start}. */
    @Override
    public WriteStep resume(WriteStep.Pending pending) throws DestinationException {
        if (!(pending.state() instanceof Step step)) {
            throw new IllegalArgumentException("not a Salesforce write step: " + pending.state());
        }
        return execute(step);
    }

    private WriteStep execute(Step step) throws DestinationException {
        return switch (step) {
            case Step.Resolve resolve -> resolve(resolve.plan());
            case Step.Send send -> send(send.plan());
            case Step.CreateJob create -> bulk.createJob(create.plan());
            case Step.Upload upload -> bulk.upload(upload);
            case Step.Close close -> bulk.close(close);
            case Step.Poll poll -> bulk.poll(poll);
            case Step.Fetch fetch -> bulk.fetch(fetch);
        };
    }

    /** Decides the operation and every refusal that needs no call. */
    private Plan prepare(WriteBatch batch) throws PermanentException {
        if (!isObjectName(batch.object())) {
            throw new PermanentException("'" + batch.object() + "' is not a Salesforce object name", null);
        }
        requireFieldName(batch.matchField());
        boolean matchById = batch.matchField().equalsIgnoreCase("Id");
        Kind kind = switch (batch.operation()) {
            // An Id names a record that exists: an upsert by Id is an update (Collections upsert takes External IDs only).
            case UPSERT -> matchById ? Kind.UPDATE_BY_ID : Kind.UPSERT_BY_EXTERNAL_ID;
            case CREATE -> Kind.CREATE;
            case UPDATE -> Kind.UPDATE_BY_ID;
            case DELETE -> Kind.DELETE_BY_ID;
            case REPLACE -> throw new PermanentException("Salesforce cannot replace an object's records as a whole", null);
        };
        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, RecordResult> decided = new LinkedHashMap<>();
        for (OutboundRecord record : batch.records()) {
            for (String field : record.fields().keySet()) requireFieldName(field);
            Optional<String> unsendable = unsendable(record);
            if (unsendable.isPresent()) {
                decided.put(record.key(), RecordResult.rejected(record.key(), unsendable.get()));
                continue;
            }
            if (kind == Kind.CREATE && matchById) {
                decided.put(record.key(), RecordResult.rejected(record.key(), "not created: Salesforce assigns Ids, "
                        + "so a record to create is matched on an External ID field, not on Id"));
                continue;
            }
            if (kind.byId()) {
                String id = record.destinationId() != null ? record.destinationId() : matchById ? record.matchValue() : null;
                if (id != null) ids.put(record.key(), id);
            }
        }
        Plan plan = new Plan(batch, kind, batch.records().size() > MAX_COLLECTION_RECORDS, ids, decided, Set.of());
        return plan.unresolved().isEmpty() ? settleDuplicateIds(plan) : plan;
    }

    /** An update names each Salesforce record once: a second record of the batch with the same Id is refused. */
    private static Plan settleDuplicateIds(Plan plan) {
        if (plan.kind() != Kind.UPDATE_BY_ID) return plan;
        Map<String, String> firstById = new HashMap<>();
        Map<String, RecordResult> duplicates = new LinkedHashMap<>();
        for (OutboundRecord record : plan.toSend()) {
            String id = plan.ids().get(record.key());
            String first = firstById.putIfAbsent(id, record.key());
            if (first != null) {
                duplicates.put(record.key(), RecordResult.rejected(record.key(), "not updated: row " + first
                        + " of the same batch also updates Salesforce record " + id));
            }
        }
        return duplicates.isEmpty() ? plan : plan.with(Map.of(), duplicates, Set.of());
    }

    /** The next step, or null when every record has its answer. */
    private static Step next(Plan plan) {
        if (!plan.unresolved().isEmpty()) return new Step.Resolve(plan);
        if (plan.toSend().isEmpty()) return null;
        return plan.bulk() ? new Step.CreateJob(plan) : new Step.Send(plan);
    }

    private WriteStep continueWith(Plan plan, RateUsage usage) {
        Step step = next(plan);
        return step == null ? new WriteStep.Done(result(plan, Map.of(), usage)) : pending(step, Duration.ZERO);
    }

    static WriteStep.Pending pending(Step step, Duration after) {
        String what = switch (step) {
            case Step.Resolve r -> "looking up the Salesforce Ids of " + r.plan().unresolved().size() + " records";
            case Step.Send s -> "writing " + s.plan().toSend().size() + " records";
            case Step.CreateJob c -> "creating a Bulk API 2.0 job for " + c.plan().toSend().size() + " records";
            case Step.Upload u -> "Bulk job " + u.jobId() + ": uploading " + u.plan().toSend().size() + " records";
            case Step.Close c -> "Bulk job " + c.jobId() + ": closing the upload";
            case Step.Poll p -> "Bulk job " + p.jobId() + ": processing (poll " + (p.polls() + 1) + ")";
            case Step.Fetch f -> "Bulk job " + f.jobId() + ": " + f.counts().state() + ", fetching " + f.file().path();
        };
        return new WriteStep.Pending(step.plan().batch(), step, after, what);
    }

    static WriteResult result(Plan plan, Map<String, RecordResult> answered, RateUsage usage) {
        Map<String, RecordResult> all = new LinkedHashMap<>(plan.decided());
        answered.forEach(all::putIfAbsent);
        return new WriteResult(List.copyOf(all.values()), usage);
    }

    // ---- Id lookup ----------------------------------------------------------------------------------------

    /** One SOQL query for the Ids of as many unresolved records as fit in one request URI. */
    private WriteStep resolve(Plan plan) throws DestinationException {
        WriteBatch batch = plan.batch();
        String head = "SELECT Id, " + batch.matchField() + " FROM " + batch.object() + " WHERE " + batch.matchField()
                + " IN (";
        StringBuilder values = new StringBuilder();
        List<OutboundRecord> chunk = new ArrayList<>();
        int budget = MAX_QUERY_URI - settings.dataPath().length() - "/query?q=".length();
        for (OutboundRecord record : plan.unresolved()) {
            String literal = soqlLiteral(record.matchValue());
            String candidate = values.isEmpty() ? literal : values + "," + literal;
            if (!chunk.isEmpty() && SalesforceSession.encode(head + candidate + ")").length() > budget) break;
            values.setLength(0);
            values.append(candidate);
            chunk.add(record);
        }
        String soql = head + values + ")";
        Answer answer = session.json("GET", settings.dataPath() + "/query?q=" + SalesforceSession.encode(soql), null);
        if (answer.status() != 200) {
            throw session.failure(answer, "lookup of " + chunk.size() + " " + batch.object() + " Ids by "
                    + batch.matchField());
        }
        JsonNode body = answer.json();
        boolean complete = body.path("done").asBoolean(true);
        Map<String, List<String>> found = new HashMap<>();
        for (JsonNode row : body.path("records")) {
            String value = fieldValue(row, batch.matchField()).map(JsonNode::asText).orElse(null);
            String id = row.path("Id").asText(null);
            if (value != null && id != null) found.computeIfAbsent(fold(value), k -> new ArrayList<>()).add(id);
        }
        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, RecordResult> decided = new LinkedHashMap<>();
        Set<String> withheld = new LinkedHashSet<>();
        for (OutboundRecord record : chunk) {
            List<String> matches = found.getOrDefault(fold(record.matchValue()), List.of());
            if (matches.size() == 1) {
                ids.put(record.key(), matches.getFirst());
            } else if (matches.size() > 1) {
                decided.put(record.key(), RecordResult.rejected(record.key(), "DUPLICATE_EXTERNAL_ID: "
                        + matches.size() + " " + batch.object() + " records have " + batch.matchField() + " = "
                        + record.matchValue() + " (" + String.join(", ", matches) + "); Ebb writes one record per row"));
            } else if (!complete) {
                // The answer was cut off (more than one page): this value may exist; try again in a later run.
                withheld.add(record.key());
            } else if (plan.kind() == Kind.DELETE_BY_ID) {
                decided.put(record.key(), RecordResult.accepted(record.key(), null));
            } else {
                decided.put(record.key(), RecordResult.rejected(record.key(), "NOT_FOUND: no " + batch.object()
                        + " has " + batch.matchField() + " = " + record.matchValue() + " (an update never creates "
                        + "records)"));
            }
        }
        Plan resolved = plan.with(ids, decided, withheld);
        if (resolved.unresolved().isEmpty()) resolved = settleDuplicateIds(resolved);
        return continueWith(resolved, SalesforceSession.usage(answer.headers()));
    }

    // ---- sObject Collections ------------------------------------------------------------------------------

    private WriteStep send(Plan plan) throws DestinationException {
        WriteBatch batch = plan.batch();
        List<OutboundRecord> records = plan.toSend();
        String base = settings.dataPath() + "/composite/sobjects";
        // One entry per element of the request, in order: Salesforce answers "in the same order". A delete names
        // each Salesforce record once, whatever rows share it.
        List<List<OutboundRecord>> sent = new ArrayList<>();
        if (plan.kind() == Kind.DELETE_BY_ID) {
            Map<String, List<OutboundRecord>> byId = new LinkedHashMap<>();
            for (OutboundRecord record : records) {
                byId.computeIfAbsent(plan.ids().get(record.key()), k -> new ArrayList<>()).add(record);
            }
            sent.addAll(byId.values());
        } else {
            records.forEach(record -> sent.add(List.of(record)));
        }
        Answer answer = switch (plan.kind()) {
            case UPSERT_BY_EXTERNAL_ID -> session.json("PATCH", base + "/" + batch.object() + "/" + batch.matchField(),
                    recordsBody(plan, records));
            case CREATE -> session.json("POST", base, recordsBody(plan, records));
            case UPDATE_BY_ID -> session.json("PATCH", base, recordsBody(plan, records));
            case DELETE_BY_ID -> session.call("DELETE", base + "?ids=" + String.join(",", sent.stream()
                    .map(group -> SalesforceSession.encode(plan.ids().get(group.getFirst().key()))).toList())
                    + "&allOrNone=false", null, null, "application/json");
        };
        String what = switch (plan.kind()) {
            case UPSERT_BY_EXTERNAL_ID -> "upsert";
            case CREATE -> "create";
            case UPDATE_BY_ID -> "update";
            case DELETE_BY_ID -> "delete";
        } + " of " + sent.size() + " " + batch.object();
        if (answer.status() != 200) throw session.failure(answer, what);
        JsonNode results = answer.json();
        if (!results.isArray()) {
            throw new PermanentException("Salesforce answered the " + what + " with no result list: "
                    + SalesforceSession.reason(results), null);
        }
        Map<String, RecordResult> answered = new LinkedHashMap<>();
        int written = 0;
        int refused = 0;
        int locked = 0;
        for (int i = 0; i < sent.size() && i < results.size(); i++) {
            JsonNode result = results.get(i);
            for (OutboundRecord record : sent.get(i)) {
                String id = result.path("id").asText(plan.ids().get(record.key()));
                if (result.path("success").asBoolean(false)) {
                    answered.put(record.key(), RecordResult.accepted(record.key(), id));
                    written++;
                    continue;
                }
                List<String> codes = SalesforceSession.errorCodes(result.path("errors"));
                if (plan.kind() == Kind.DELETE_BY_ID && codes.contains("ENTITY_IS_DELETED")) {
                    // Deleted before (by a person, or by this very call when the runner repeats it).
                    answered.put(record.key(), RecordResult.accepted(record.key(), id));
                    continue;
                }
                boolean lockedOut = !codes.isEmpty() && codes.stream().allMatch("UNABLE_TO_LOCK_ROW"::equals);
                String reason = SalesforceSession.reason(result.path("errors"));
                // A locked row is not the record's fault: failed, and sent again by the next run.
                answered.put(record.key(), lockedOut ? RecordResult.failed(record.key(), reason)
                        : RecordResult.rejected(record.key(), reason));
                refused++;
                if (lockedOut) locked++;
            }
        }
        if (refused > 0 && locked == refused && (written == 0 || plan.kind().idempotent())) {
            throw new TransientException("Salesforce could not lock " + locked + " of " + sent.size() + " records of the "
                    + what + " (UNABLE_TO_LOCK_ROW: another process was writing them); the call can be repeated as "
                    + "a whole", null, false);
        }
        return new WriteStep.Done(result(plan, answered, SalesforceSession.usage(answer.headers())));
    }

    /** {@code {"allOrNone": false, "records": [{"attributes": {"type": …}, …}]}}. */
    private static ObjectNode recordsBody(Plan plan, List<OutboundRecord> records) {
        WriteBatch batch = plan.batch();
        ObjectNode body = JSON.createObjectNode().put("allOrNone", false);
        ArrayNode array = body.putArray("records");
        for (OutboundRecord record : records) {
            ObjectNode node = array.addObject();
            node.putObject("attributes").put("type", batch.object());
            if (plan.kind() == Kind.UPDATE_BY_ID) node.put("id", plan.ids().get(record.key()));
            record.fields().forEach((field, value) -> putJson(node, field, value));
            if (plan.kind() != Kind.UPDATE_BY_ID) node.put(batch.matchField(), record.matchValue());
        }
        return body;
    }

    // ---- read ---------------------------------------------------------------------------------------------

    /**
     * One SOQL query: {@code SELECT Id, match, fields FROM Object WHERE match IN (…)}. Instants come back in
     * Salesforce's {@code +0000} form and are returned as ISO-8601 instants; numbers as {@link BigDecimal}.
     */
    @Override
    public List<RemoteRecord> read(String object, String matchField, Collection<String> matchValues,
                                   Collection<String> fields) throws DestinationException {
        if (matchValues.isEmpty()) return List.of();
        if (!isObjectName(object)) throw new PermanentException("'" + object + "' is not a Salesforce object name", null);
        requireFieldName(matchField);
        Set<String> select = new LinkedHashSet<>();
        select.add("Id");
        select.add(matchField);
        for (String field : fields) {
            requireFieldName(field);
            select.add(field);
        }
        List<String> literals = new LinkedHashSet<>(matchValues).stream().map(SalesforceDestination::soqlLiteral).toList();
        String soql = "SELECT " + String.join(", ", dedupeFolded(select)) + " FROM " + object + " WHERE " + matchField
                + " IN (" + String.join(",", literals) + ")";
        if (literals.size() > MAX_COLLECTION_RECORDS || SalesforceSession.encode(soql).length() > MAX_QUERY_URI) {
            // Answering for only some values would make the others look absent, and a field policy would then
            // write over what a person typed: refuse instead. (A Bulk-sized batch must be read back in chunks.)
            throw new PermanentException("a read-back of " + literals.size() + " " + object + " records does not fit "
                    + "one query (at most " + MAX_COLLECTION_RECORDS + " values and a " + MAX_QUERY_URI
                    + "-byte request URI); read back in smaller chunks", null);
        }
        Answer answer = session.json("GET", settings.dataPath() + "/query?q=" + SalesforceSession.encode(soql), null);
        if (answer.status() != 200) throw session.failure(answer, "read of " + object);
        Map<String, String> wanted = new HashMap<>();
        for (String value : matchValues) {
            wanted.put(value, value);
            wanted.putIfAbsent(fold(value), value);
        }
        List<RemoteRecord> records = new ArrayList<>();
        for (JsonNode row : answer.json().path("records")) {
            String found = matchField.equalsIgnoreCase("Id") ? row.path("Id").asText("")
                    : fieldValue(row, matchField).map(JsonNode::asText).orElse("");
            String matchValue = wanted.getOrDefault(found, wanted.get(fold(found)));
            if (matchValue == null) continue;
            Map<String, Object> values = new LinkedHashMap<>();
            for (String field : fields) values.put(field, javaValue(fieldValue(row, field).orElse(null)));
            records.add(new RemoteRecord(matchValue, row.path("Id").asText(), values));
        }
        return records;
    }

    @Override
    public void close() {
        session.close();
    }

    // ---- values -------------------------------------------------------------------------------------------

    /** Why a record cannot be sent at all (a number JSON and Salesforce cannot hold), or empty. */
    private static Optional<String> unsendable(OutboundRecord record) {
        for (Map.Entry<String, Object> field : record.fields().entrySet()) {
            if ((field.getValue() instanceof Double d && !Double.isFinite(d))
                    || (field.getValue() instanceof Float f && !Float.isFinite(f))) {
                return Optional.of("not sent: " + field.getKey() + " = " + field.getValue()
                        + " is not a finite number, and Salesforce number fields take only finite numbers");
            }
        }
        return Optional.empty();
    }

    /** A value in a JSON record: {@code null} clears the field; dates {@code YYYY-MM-DD}; instants ISO-8601 UTC. */
    static void putJson(ObjectNode node, String field, Object value) {
        switch (value) {
            case null -> node.putNull(field);
            case String s -> node.put(field, s);
            case BigDecimal d -> node.put(field, d);
            case Long l -> node.put(field, l);
            case Integer i -> node.put(field, i);
            case Double d -> node.put(field, BigDecimal.valueOf(d));
            case Float f -> node.put(field, new BigDecimal(Float.toString(f)));
            case Boolean b -> node.put(field, b);
            case LocalDate d -> node.put(field, d.toString());
            case Instant i -> node.put(field, i.truncatedTo(ChronoUnit.MILLIS).toString());
            default -> node.put(field, value.toString());
        }
    }

    /** A value in a Bulk CSV: {@code #N/A} sets a field to null (datafiles_prepare_csv.htm). */
    static String csvText(Object value) {
        return switch (value) {
            case null -> "#N/A";
            case BigDecimal d -> d.toPlainString();
            case Double d -> BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            case Float f -> new BigDecimal(Float.toString(f)).stripTrailingZeros().toPlainString();
            case Instant i -> i.truncatedTo(ChronoUnit.MILLIS).toString();
            default -> value.toString();
        };
    }

    private static Object javaValue(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) return null;
        if (value.isBoolean()) return value.booleanValue();
        if (value.isNumber()) return value.decimalValue();
        String text = value.asText();
        if (text.length() >= 20 && text.charAt(10) == 'T' && (text.endsWith("+0000") || text.endsWith("Z"))) {
            try {
                return OffsetDateTime.parse(text, SALESFORCE_DATETIME).toInstant().toString();
            } catch (DateTimeParseException e) {
                return text;
            }
        }
        return text;
    }

    /** A field of a query row, by name regardless of case (Salesforce field names are case-insensitive). */
    private static Optional<JsonNode> fieldValue(JsonNode row, String field) {
        JsonNode exact = row.get(field);
        if (exact != null) return Optional.of(exact);
        for (var it = row.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getKey().equalsIgnoreCase(field)) return Optional.of(entry.getValue());
        }
        return Optional.empty();
    }

    private static List<String> dedupeFolded(Set<String> names) {
        Map<String, String> byFolded = new TreeMap<>();
        List<String> out = new ArrayList<>();
        for (String name : names) if (byFolded.putIfAbsent(fold(name), name) == null) out.add(name);
        return out;
    }

    /**
     * A SOQL string literal: quotes and backslashes escaped, as are line breaks and tabs
     * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm).
     */
    static String soqlLiteral(String value) {
        StringBuilder out = new StringBuilder("'");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    private static void requireFieldName(String field) throws PermanentException {
        if (field == null || !FIELD.matcher(field).matches()) {
            throw new PermanentException("'" + field + "' is not a Salesforce field name", null);
        }
    }

    static int indexOf(List<String> header, String column) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).equalsIgnoreCase(column)) return i;
        }
        return -1;
    }

    private static String fold(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
