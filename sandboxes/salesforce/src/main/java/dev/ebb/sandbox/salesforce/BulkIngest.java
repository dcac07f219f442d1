package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.sandbox.SandboxRequest;
import dev.ebb.sandbox.SandboxResponse;
import dev.ebb.sandbox.SlidingWindow;
import dev.ebb.sandbox.salesforce.FieldValues.SaveErrorException;
import dev.ebb.sandbox.salesforce.Org.SaveResult;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.ebb.sandbox.salesforce.RestAnswers.error;
import static dev.ebb.sandbox.salesforce.RestAnswers.methodNotAllowed;
import static dev.ebb.sandbox.salesforce.RestAnswers.notFound;
import static dev.ebb.sandbox.salesforce.RestAnswers.readJson;
import static dev.ebb.sandbox.salesforce.SObjectCollections.duplicateKey;
import static dev.ebb.sandbox.salesforce.SalesforceSandbox.MAX_UPLOAD_BYTES;
import static dev.ebb.sandbox.salesforce.SalesforceSandbox.RECORDS_PER_BATCH;

/**
 * Bulk API 2.0 ingest jobs, as "Bulk API 2.0 and Bulk API Developer Guide" describes them
 * (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/): create a job, upload its CSV
 * once, close it (UploadComplete), watch it move InProgress → JobComplete (or Failed), read its successful, failed
 * and unprocessed results. A closed job takes its batches (one per 10,000 records) from the org's rolling
 * allocation and saves row by row as REST would.
 *
 * <p>Guarded by the sandbox's data lock: every method runs with it held, or takes it.
 */
final class BulkIngest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Object data;
    private final Org org;
    private final SlidingWindow batches;
    private final int bulkPolls;
    private final Clock clock;
    private final Map<String, IngestJob> jobs = new LinkedHashMap<>();
    private long nextJob = 1;

    /**
     * @param data      the sandbox's data lock
     * @param batches   the org's Bulk API batches per rolling 24 hours
     * @param bulkPolls how many Get Job Info reads answer InProgress before a closed job is processed
     */
    BulkIngest(Object data, Org org, SlidingWindow batches, int bulkPolls, Clock clock) {
        this.data = data;
        this.org = org;
        this.batches = batches;
        this.bulkPolls = bulkPolls;
        this.clock = clock;
    }

    /** The jobs, oldest first; with the data lock held. */
    List<IngestJob> jobs() {
        return new ArrayList<>(jobs.values());
    }

    /** Processes every closed job now, whatever polls it would still wait for; with the data lock held. */
    void processClosedJobs() {
        for (IngestJob job : jobs.values()) {
            if (job.state.equals("UploadComplete") || job.state.equals("InProgress")) process(job);
        }
    }

    SandboxResponse ingest(SandboxRequest request, List<String> rest, String apiVersion) {
        String method = request.method();
        if (rest.isEmpty()) {
            return switch (method) {
                case "POST" -> createJob(request, apiVersion);
                case "GET" -> listJobs();
                default -> methodNotAllowed(method, "GET,POST");
            };
        }
        IngestJob job;
        synchronized (data) {
            job = jobs.get(rest.getFirst());
        }
        if (job == null) return error(404, "NOT_FOUND", "The requested resource does not exist");
        if (rest.size() == 1) {
            return switch (method) {
                case "GET" -> jobInfo(job);
                case "PATCH" -> changeJobState(request, job);
                case "DELETE" -> deleteJob(job);
                default -> methodNotAllowed(method, "GET,PATCH,DELETE");
            };
        }
        if (rest.size() == 2) {
            return switch (rest.get(1)) {
                case "batches" -> method.equals("PUT") ? upload(request, job) : methodNotAllowed(method, "PUT");
                case "successfulResults", "failedResults", "unprocessedrecords" ->
                        method.equals("GET") ? results(job, rest.get(1)) : methodNotAllowed(method, "GET");
                default -> notFound();
            };
        }
        return notFound();
    }

    /** {@code POST /jobs/ingest} (create_job.htm): 200 with the job, state {@code Open}. */
    private SandboxResponse createJob(SandboxRequest request, String apiVersion) {
        JsonNode body = readJson(request);
        String object = body.path("object").asText("");
        String operation = body.path("operation").asText("");
        String contentType = body.path("contentType").asText("CSV");
        String lineEnding = body.path("lineEnding").asText("LF");
        String delimiter = body.path("columnDelimiter").asText("COMMA");
        String externalId = body.hasNonNull("externalIdFieldName") ? body.get("externalIdFieldName").asText() : null;
        if (!Set.of("insert", "update", "upsert", "delete", "hardDelete").contains(operation)) {
            return error(400, "INVALIDJOB", "Invalid value for operation: '" + operation
                    + "'; use insert, update, upsert, delete or hardDelete");
        }
        if (!contentType.equals("CSV")) return error(400, "INVALIDJOB", "Invalid content type: " + contentType);
        if (!lineEnding.equals("LF") && !lineEnding.equals("CRLF")) {
            return error(400, "INVALIDJOB", "Invalid line ending: " + lineEnding);
        }
        if (!Set.of("BACKQUOTE", "CARET", "COMMA", "PIPE", "SEMICOLON", "TAB").contains(delimiter)) {
            return error(400, "INVALIDJOB", "Invalid column delimiter: " + delimiter);
        }
        synchronized (data) {
            SObjectType type = org.type(object).orElse(null);
            if (type == null) {
                return error(400, "INVALIDENTITY", "Entity '" + object + "' is not supported by the Bulk API.");
            }
            if (operation.equals("upsert")) {
                if (externalId == null || externalId.isBlank()) {
                    return error(400, "INVALIDJOB", "External ID was blank for " + type.name
                            + ". An External ID must be specified for upsert.");
                }
                SalesforceField field = type.field(externalId).orElse(null);
                if (field == null || (field.type() != SalesforceField.Type.ID && !field.canMatch())) {
                    return error(400, "INVALIDJOB", "Field name provided, " + externalId
                            + " is not an External ID or indexed field for " + type.name);
                }
                externalId = field.name();
            }
            String id = SalesforceIds.make("750", nextJob++);
            IngestJob job = new IngestJob(id, type.name, operation, externalId, lineEnding, delimiter, apiVersion,
                    org.userId, clock.instant());
            jobs.put(id, job);
            return SandboxResponse.json(200, job.info(false));
        }
    }

    private SandboxResponse listJobs() {
        ObjectNode body = JSON.createObjectNode().put("done", true);
        ArrayNode records = body.putArray("records");
        synchronized (data) {
            jobs.values().forEach(j -> records.add(j.info(false)));
        }
        body.putNull("nextRecordsUrl");
        return SandboxResponse.json(200, body);
    }

    /**
     * {@code GET /jobs/ingest/{id}}: a closed job answers {@code InProgress} to the next {@code bulk_polls} reads,
     * and is processed at the read after them.
     */
    private SandboxResponse jobInfo(IngestJob job) {
        synchronized (data) {
            if (job.state.equals("UploadComplete") || job.state.equals("InProgress")) {
                if (job.pollsLeft > 0) {
                    job.pollsLeft--;
                    job.state = "InProgress";
                    job.systemModstamp = clock.instant();
                } else {
                    process(job);
                }
            }
            return SandboxResponse.json(200, job.info(true));
        }
    }

    /** {@code PUT /jobs/ingest/{id}/batches}: once per job, while it is Open; 201 Created. */
    private SandboxResponse upload(SandboxRequest request, IngestJob job) {
        byte[] body = request.body();
        synchronized (data) {
            if (!job.state.equals("Open")) {
                return error(400, "INVALIDJOBSTATE", "Job with id " + job.id + " is not in Open state");
            }
            if (job.data != null) {
                return error(400, "BULK_API_ERROR", "Found multiple contents for job: <" + job.id + ">, please "
                        + "'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only "
                        + "do 'PUT' once on a given Job.");
            }
            if (body.length > MAX_UPLOAD_BYTES) {
                return error(400, "INVALIDDATA", "The upload exceeds 150 MB once base64-encoded; upload at most "
                        + "100 MB of CSV per job");
            }
            job.data = new String(body, StandardCharsets.UTF_8);
            job.systemModstamp = clock.instant();
            return SandboxResponse.empty(201);
        }
    }

    /** {@code PATCH /jobs/ingest/{id}} with {@code UploadComplete} (close) or {@code Aborted}. */
    private SandboxResponse changeJobState(SandboxRequest request, IngestJob job) {
        String state = readJson(request).path("state").asText("");
        synchronized (data) {
            switch (state) {
                case "UploadComplete" -> {
                    if (!job.state.equals("Open")) {
                        return error(400, "INVALIDJOBSTATE", "Job with id " + job.id + " is in state " + job.state
                                + " and cannot be closed");
                    }
                    job.state = "UploadComplete";
                    job.pollsLeft = bulkPolls;
                }
                case "Aborted" -> {
                    if (job.terminal()) {
                        return error(400, "INVALIDJOBSTATE", "Job with id " + job.id + " is in state " + job.state
                                + " and cannot be aborted");
                    }
                    job.state = "Aborted";
                }
                default -> {
                    return error(400, "INVALIDJOBSTATE", "Invalid state: '" + state + "'; use UploadComplete or Aborted");
                }
            }
            job.systemModstamp = clock.instant();
            return SandboxResponse.json(200, job.info(false));
        }
    }

    private SandboxResponse deleteJob(IngestJob job) {
        synchronized (data) {
            if (job.state.equals("Open") || job.state.equals("InProgress")) {
                return error(400, "INVALIDJOBSTATE", "Job with id " + job.id + " is in state " + job.state
                        + "; close or abort it before deleting it");
            }
            jobs.remove(job.id);
            return SandboxResponse.empty(204);
        }
    }

    /** A job's result CSV; empty (headers only) until the job is processed. */
    private SandboxResponse results(IngestJob job, String which) {
        StringBuilder csv = new StringBuilder();
        synchronized (data) {
            char delimiter = job.delimiter();
            String ending = job.lineEnding.equals("CRLF") ? "\r\n" : "\n";
            List<String> header = new ArrayList<>();
            List<List<String>> rows = switch (which) {
                case "successfulResults" -> {
                    header.addAll(List.of("sf__Id", "sf__Created"));
                    yield job.successful;
                }
                case "failedResults" -> {
                    header.addAll(List.of("sf__Id", "sf__Error"));
                    yield job.failures;
                }
                default -> job.unprocessed;
            };
            header.addAll(job.header);
            if (!job.header.isEmpty()) {
                csv.append(quotedLine(header, delimiter, ending));
                rows.forEach(row -> csv.append(quotedLine(row, delimiter, ending)));
            }
        }
        return new SandboxResponse(200, Map.of("Content-Type", List.of("text/csv")),
                csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Salesforce quotes every value of a result file. */
    private static String quotedLine(List<String> values, char delimiter, String ending) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) line.append(delimiter);
            line.append('"').append(values.get(i) == null ? "" : values.get(i).replace("\"", "\"\"")).append('"');
        }
        return line.append(ending).toString();
    }

    /**
     * Processes a closed job: checks the CSV header, takes its batches from the rolling allocation (one per 10,000
     * records), then saves row by row as REST would and records each row's result.
     */
    private void process(IngestJob job) {
        Instant started = clock.instant();
        SObjectType type = org.type(job.object).orElse(null);
        List<List<String>> table;
        try {
            table = job.data == null ? List.of() : UploadedCsv.rows(job.data, job.delimiter());
        } catch (IllegalArgumentException e) {
            failJob(job, "ClientInputError : " + e.getMessage(), List.of());
            return;
        }
        if (type == null || table.isEmpty()) {
            job.state = "JobComplete";
            job.systemModstamp = clock.instant();
            return;
        }
        job.header = List.copyOf(table.getFirst());
        List<List<String>> rows = table.subList(1, table.size());
        List<SalesforceField> columns = new ArrayList<>();
        for (String column : job.header) {
            Optional<SalesforceField> field = type.field(column.trim());
            if (field.isEmpty()) {
                failJob(job, "InvalidBatch : Field name not found : " + column, rows);
                return;
            }
            columns.add(field.get());
        }
        boolean byId = job.operation.equals("update") || job.operation.equals("delete")
                || job.operation.equals("hardDelete");
        if (byId && columns.stream().noneMatch(f -> f.type() == SalesforceField.Type.ID)) {
            failJob(job, "InvalidBatch : Id is required for " + job.operation, rows);
            return;
        }
        SalesforceField ext = job.externalIdFieldName == null ? null : type.field(job.externalIdFieldName).orElseThrow();
        if (ext != null && !columns.contains(ext)) {
            failJob(job, "InvalidBatch : Field name not found : " + ext.name() + " (the External ID of the upsert)", rows);
            return;
        }
        long needed = Math.max(1, (rows.size() + RECORDS_PER_BATCH - 1) / RECORDS_PER_BATCH);
        if (!batches.tryTake(needed)) {
            failJob(job, "Exceeded the Bulk API batch allocation (" + batches.limit() + " batches per rolling 24 hours)",
                    rows);
            return;
        }
        Map<String, Integer> valueCounts = new HashMap<>();
        if (ext != null) {
            int at = columns.indexOf(ext);
            for (List<String> row : rows) {
                if (at < row.size() && !row.get(at).isEmpty()) valueCounts.merge(duplicateKey(ext, row.get(at)), 1, Integer::sum);
            }
        }
        for (List<String> row : rows) {
            String id = "";
            SaveResult result;
            try {
                Map<String, Object> values = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    SalesforceField field = columns.get(i);
                    String text = i < row.size() ? row.get(i) : "";
                    if (field.type() == SalesforceField.Type.ID) {
                        id = text;
                        continue;
                    }
                    // An empty value leaves the field as it is; #N/A empties it (datafiles_prepare_csv.htm).
                    if (text.isEmpty()) continue;
                    Object value = FieldValues.fromText(field, text);
                    if (value instanceof String s && s.isEmpty()) value = null;
                    values.put(field.name(), value);
                }
                result = switch (job.operation) {
                    case "insert" -> org.create(type, values, null);
                    case "update" -> id.isEmpty() ? SaveResult.failed(SaveError.missingId())
                            : org.update(type, id, values, null);
                    case "upsert" -> {
                        Object value = values.get(ext.name());
                        yield value != null && valueCounts.getOrDefault(duplicateKey(ext, FieldValues.text(value)), 0) > 1
                                ? SaveResult.failed(SaveError.duplicateInRequest(FieldValues.text(value)))
                                : org.upsert(type, ext, values, null);
                    }
                    default -> org.delete(type, id, null);
                };
            } catch (SaveErrorException e) {
                result = SaveResult.failed(e.error);
            }
            List<String> original = new ArrayList<>(row);
            while (original.size() < job.header.size()) original.add("");
            if (result.success()) {
                List<String> line = new ArrayList<>(List.of(result.id(), String.valueOf(result.created())));
                line.addAll(original);
                job.successful.add(line);
            } else {
                String failedId = result.id() != null ? result.id() : SalesforceIds.normalize(id).orElse("");
                List<String> line = new ArrayList<>(List.of(failedId, result.errors().getFirst().bulkText()));
                line.addAll(original);
                job.failures.add(line);
                job.failed++;
            }
            job.processed++;
        }
        job.state = "JobComplete";
        job.processingMillis = Math.max(1, Duration.between(started, clock.instant()).toMillis());
        job.systemModstamp = clock.instant();
    }

    private void failJob(IngestJob job, String message, List<List<String>> rows) {
        job.state = "Failed";
        job.errorMessage = message;
        rows.forEach(row -> job.unprocessed.add(List.copyOf(row)));
        job.systemModstamp = clock.instant();
    }
}
