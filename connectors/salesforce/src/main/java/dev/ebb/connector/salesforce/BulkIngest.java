package dev.ebb.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ebb.connector.salesforce.Plan.Kind;
import dev.ebb.connector.salesforce.SalesforceSession.Answer;
import dev.ebb.connector.salesforce.Step.JobCounts;
import dev.ebb.connector.salesforce.Step.ResultFile;
import dev.ebb.connector.salesforce.internal.Csv;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteStep;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Bulk API 2.0 steps of a large write, one call each: create the job, upload the CSV, close it, poll its state
 * (waiting 2 s, then doubling up to 30 s), then fetch the successful, failed and (only when some were not processed)
 * unprocessed results. Thread-safe: it keeps no state of its own; each step carries the job's.
 */
final class BulkIngest {
    /** The first wait after closing a job; Salesforce mandates no polling interval (creating_bulk_requests.htm). */
    static final Duration FIRST_POLL = Duration.ofSeconds(2);
    static final Duration LONGEST_POLL = Duration.ofSeconds(30);
    /**
     * How long to wait for a job before leaving its records failed for a later run: a batch has 5 minutes and is
     * retried up to 20 times (LIMITS §2), so a one-batch job is done well within this.
     */
    static final Duration GIVE_UP_AFTER = Duration.ofHours(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SalesforceSession session;
    private final SalesforceSettings settings;

    BulkIngest(SalesforceSession session, SalesforceSettings settings) {
        this.session = session;
        this.settings = settings;
    }

    String jobPath(String jobId) {
        return settings.dataPath() + "/jobs/ingest/" + SalesforceSession.encode(jobId);
    }

    /** {@code POST /jobs/ingest} (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/create_job.htm). */
    WriteStep createJob(Plan plan) throws DestinationException {
        WriteBatch batch = plan.batch();
        ObjectNode job = JSON.createObjectNode()
                .put("object", batch.object())
                .put("operation", plan.kind().bulkOperation())
                .put("contentType", "CSV")
                .put("lineEnding", "LF")
                .put("columnDelimiter", "COMMA");
        if (plan.kind() == Kind.UPSERT_BY_EXTERNAL_ID) job.put("externalIdFieldName", batch.matchField());
        Answer answer = session.json("POST", settings.dataPath() + "/jobs/ingest", job);
        if (answer.status() != 200 && answer.status() != 201) {
            throw session.failure(answer, "creation of a Bulk " + plan.kind().bulkOperation() + " job on "
                    + batch.object());
        }
        String jobId = answer.json().path("id").asText("");
        if (jobId.isEmpty()) throw new PermanentException("Salesforce created a Bulk job without an id", null);
        return SalesforceDestination.pending(new Step.Upload(plan, jobId), Duration.ZERO);
    }

    /** {@code PUT /jobs/ingest/{id}/batches}: the whole CSV at once. */
    WriteStep upload(Step.Upload step) throws DestinationException {
        byte[] csv = csv(step.plan()).getBytes(StandardCharsets.UTF_8);
        Answer answer = session.call("PUT", jobPath(step.jobId()) + "/batches", "text/csv", csv, "application/json");
        if (answer.status() != 201 && answer.status() != 200) {
            throw session.failure(answer, "upload to Bulk job " + step.jobId());
        }
        return SalesforceDestination.pending(new Step.Close(step.plan(), step.jobId()), Duration.ZERO);
    }

    /** {@code PATCH /jobs/ingest/{id}} with {@code {"state":"UploadComplete"}}. */
    WriteStep close(Step.Close step) throws DestinationException {
        Answer answer = session.json("PATCH", jobPath(step.jobId()),
                JSON.createObjectNode().put("state", "UploadComplete"));
        // A repeated close (the first one's answer was lost) finds the job closed already: polling tells.
        boolean closedBefore = answer.status() == 400
                && SalesforceSession.errorCodes(answer.json()).contains("INVALIDJOBSTATE");
        if (answer.status() != 200 && !closedBefore) {
            throw session.failure(answer, "close of Bulk job " + step.jobId());
        }
        return SalesforceDestination.pending(new Step.Poll(step.plan(), step.jobId(), 0, FIRST_POLL), FIRST_POLL);
    }

    /** {@code GET /jobs/ingest/{id}}. */
    WriteStep poll(Step.Poll step) throws DestinationException {
        Answer answer = session.json("GET", jobPath(step.jobId()), null);
        if (answer.status() != 200) throw session.failure(answer, "status of Bulk job " + step.jobId());
        JsonNode info = answer.json();
        String state = info.path("state").asText("");
        RateUsage usage = SalesforceSession.usage(answer.headers());
        switch (state) {
            case "UploadComplete", "InProgress" -> {
                if (step.waited().compareTo(GIVE_UP_AFTER) >= 0) {
                    // Its records get no result: failed in this run, sent again by the next.
                    return new WriteStep.Done(SalesforceDestination.result(step.plan(), Map.of(), usage));
                }
                int polls = step.polls() + 1;
                Duration wait = FIRST_POLL.multipliedBy(1L << Math.min(polls - 1, 4));
                if (wait.compareTo(LONGEST_POLL) > 0) wait = LONGEST_POLL;
                return SalesforceDestination.pending(new Step.Poll(step.plan(), step.jobId(), polls, step.waited().plus(wait)), wait);
            }
            case "JobComplete", "Failed", "Aborted" -> {
                // rows() holds the header first.
                JobCounts counts = new JobCounts(state, rows(step.plan()).size() - 1,
                        info.path("numberRecordsProcessed").asLong(0), info.path("numberRecordsFailed").asLong(0),
                        info.path("errorMessage").asText(""));
                return nextFile(step.plan(), step.jobId(), null, counts, Map.of(), usage);
            }
            default -> throw new PermanentException("Bulk job " + step.jobId() + " is " + (state.isEmpty() ? "in no state"
                    : state) + " after it was closed", null);
        }
    }

    /**
     * The next result file worth a call: successful results only if some succeeded, failed results only if some
     * failed, unprocessed records only if the job did not process them all.
     */
    private WriteStep nextFile(Plan plan, String jobId, ResultFile after, JobCounts counts,
                               Map<String, RecordResult> answered, RateUsage usage) {
        for (ResultFile file : ResultFile.values()) {
            if (after != null && file.ordinal() <= after.ordinal()) continue;
            boolean needed = switch (file) {
                case SUCCESSFUL -> counts.processed() - counts.failed() > 0;
                case FAILED -> counts.failed() > 0;
                case UNPROCESSED -> counts.processed() < counts.uploaded();
            };
            if (needed) return SalesforceDestination.pending(new Step.Fetch(plan, jobId, file, counts, answered), Duration.ZERO);
        }
        // A record in neither result file was not processed (the job failed or was aborted part way): failed, and
        // sent again by the next run.
        Map<String, RecordResult> all = new LinkedHashMap<>(answered);
        for (OutboundRecord record : plan.toSend()) {
            all.computeIfAbsent(record.key(), key -> RecordResult.failed(key, "Bulk job " + jobId
                    + " ended " + counts.state() + " without processing this record (" + counts.processed() + " of "
                    + counts.uploaded() + " processed)"));
        }
        return new WriteStep.Done(SalesforceDestination.result(plan, all, usage));
    }

    /** {@code GET /jobs/ingest/{id}/successfulResults|failedResults|unprocessedrecords} (CSV). */
    WriteStep fetch(Step.Fetch step) throws DestinationException {
        Answer answer = session.call("GET", jobPath(step.jobId()) + "/" + step.file().path(), null, null, "text/csv");
        if (answer.status() != 200) {
            throw session.failure(answer, step.file().path() + " of Bulk job " + step.jobId());
        }
        List<List<String>> table;
        try {
            table = Csv.parse(answer.body() == null ? "" : answer.body());
        } catch (IllegalArgumentException e) {
            throw new PermanentException("Salesforce's " + step.file().path() + " of Bulk job " + step.jobId()
                    + " is not CSV: " + e.getMessage(), e);
        }
        Map<String, RecordResult> answered = new LinkedHashMap<>(step.answered());
        if (!table.isEmpty() && step.file() != ResultFile.UNPROCESSED) {
            Plan plan = step.plan();
            List<String> header = table.getFirst();
            String keyColumn = plan.kind().byId() ? "Id" : plan.batch().matchField();
            int keyAt = SalesforceDestination.indexOf(header, keyColumn);
            int idAt = SalesforceDestination.indexOf(header, "sf__Id");
            int errorAt = SalesforceDestination.indexOf(header, "sf__Error");
            if (keyAt < 0) {
                throw new PermanentException(step.file().path() + " of Bulk job " + step.jobId() + " has no "
                        + keyColumn + " column to match results to records", null);
            }
            Map<String, List<OutboundRecord>> byKeyValue = new HashMap<>();
            for (OutboundRecord record : plan.toSend()) {
                String value = plan.kind().byId() ? plan.ids().get(record.key()) : record.matchValue();
                byKeyValue.computeIfAbsent(value, k -> new ArrayList<>()).add(record);
            }
            for (List<String> row : table.subList(1, table.size())) {
                if (keyAt >= row.size()) continue;
                String id = idAt >= 0 && idAt < row.size() && !row.get(idAt).isEmpty() ? row.get(idAt) : null;
                for (OutboundRecord record : byKeyValue.getOrDefault(row.get(keyAt), List.of())) {
                    RecordResult result;
                    if (step.file() == ResultFile.SUCCESSFUL) {
                        result = RecordResult.accepted(record.key(), id != null ? id : plan.ids().get(record.key()));
                    } else {
                        String error = errorAt >= 0 && errorAt < row.size() ? row.get(errorAt) : "";
                        result = plan.kind() == Kind.DELETE_BY_ID && error.startsWith("ENTITY_IS_DELETED:")
                                ? RecordResult.accepted(record.key(), id)
                                : error.startsWith("UNABLE_TO_LOCK_ROW:")
                                ? RecordResult.failed(record.key(), bulkReason(error))
                                : RecordResult.rejected(record.key(), bulkReason(error));
                    }
                    answered.putIfAbsent(record.key(), result);
                }
            }
        }
        return nextFile(step.plan(), step.jobId(), step.file(), step.counts(), answered,
                SalesforceSession.usage(answer.headers()));
    }

    /**
     * {@code REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --} (Bulk's {@code sf__Error}:
     * code, message, fields) in the form Collections errors get.
     */
    static String bulkReason(String error) {
        String text = error.strip();
        if (text.endsWith("--")) text = text.substring(0, text.length() - 2).strip();
        int first = text.indexOf(':');
        if (first < 0) return text.isEmpty() ? "refused without a reason" : text;
        String code = text.substring(0, first);
        String rest = text.substring(first + 1);
        int last = rest.lastIndexOf(':');
        String message = last < 0 ? rest : rest.substring(0, last);
        String fields = last < 0 ? "" : rest.substring(last + 1).strip();
        return code + ": " + message.strip() + (fields.isEmpty() ? "" : " (fields: " + fields + ")");
    }

    /** The job's CSV rows (header first): deterministic, so a repeated upload sends the same bytes. */
    private static List<List<String>> rows(Plan plan) {
        WriteBatch batch = plan.batch();
        List<OutboundRecord> records = plan.toSend();
        Set<String> fields = new LinkedHashSet<>();
        records.forEach(r -> fields.addAll(r.fields().keySet()));
        List<String> header = new ArrayList<>();
        switch (plan.kind()) {
            case UPSERT_BY_EXTERNAL_ID -> {
                header.add(batch.matchField());
                fields.stream().filter(f -> !f.equalsIgnoreCase(batch.matchField())).forEach(header::add);
            }
            case CREATE -> {
                header.addAll(fields);
                if (fields.stream().noneMatch(f -> f.equalsIgnoreCase(batch.matchField()))) header.add(batch.matchField());
            }
            case UPDATE_BY_ID -> {
                header.add("Id");
                fields.stream().filter(f -> !f.equalsIgnoreCase("Id")).forEach(header::add);
            }
            case DELETE_BY_ID -> header.add("Id");
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        Set<String> seenIds = new LinkedHashSet<>();
        for (OutboundRecord record : records) {
            if (plan.kind() == Kind.DELETE_BY_ID) {
                if (seenIds.add(plan.ids().get(record.key()))) rows.add(List.of(plan.ids().get(record.key())));
                continue;
            }
            List<String> row = new ArrayList<>();
            for (String column : header) {
                if (column.equalsIgnoreCase("Id") && plan.kind() == Kind.UPDATE_BY_ID) {
                    row.add(plan.ids().get(record.key()));
                } else if (column.equalsIgnoreCase(batch.matchField()) && plan.kind() != Kind.UPDATE_BY_ID) {
                    row.add(record.matchValue());
                } else if (record.fields().containsKey(column)) {
                    row.add(SalesforceDestination.csvText(record.fields().get(column)));
                } else {
                    // Bulk ignores an empty value on update and leaves it empty on insert.
                    row.add("");
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private static String csv(Plan plan) {
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows(plan)) out.append(Csv.line(row));
        return out.toString();
    }
}
