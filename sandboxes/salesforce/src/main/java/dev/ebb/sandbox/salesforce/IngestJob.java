package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One Bulk API 2.0 ingest job and its results
 * (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_info.htm). Not thread-safe:
 * {@link SalesforceSandbox} guards it with its data lock.
 */
final class IngestJob {
    private static final ObjectMapper JSON = new ObjectMapper();

    final String id;
    final String object;
    final String operation;
    final String externalIdFieldName;
    final String lineEnding;
    final String columnDelimiter;
    final String apiVersion;
    final String createdById;
    final Instant createdDate;
    Instant systemModstamp;
    String state = "Open";
    String data;
    String errorMessage;
    /** Job-info reads left that answer {@code InProgress} before the job is processed. */
    int pollsLeft;
    long processed;
    long failed;
    long processingMillis;
    List<String> header = List.of();
    final List<List<String>> successful = new ArrayList<>();
    final List<List<String>> failures = new ArrayList<>();
    final List<List<String>> unprocessed = new ArrayList<>();

    IngestJob(String id, String object, String operation, String externalIdFieldName, String lineEnding,
              String columnDelimiter, String apiVersion, String createdById, Instant createdDate) {
        this.id = id;
        this.object = object;
        this.operation = operation;
        this.externalIdFieldName = externalIdFieldName;
        this.lineEnding = lineEnding;
        this.columnDelimiter = columnDelimiter;
        this.apiVersion = apiVersion;
        this.createdById = createdById;
        this.createdDate = createdDate;
        this.systemModstamp = createdDate;
    }

    char delimiter() {
        return switch (columnDelimiter) {
            case "BACKQUOTE" -> '`';
            case "CARET" -> '^';
            case "PIPE" -> '|';
            case "SEMICOLON" -> ';';
            case "TAB" -> '\t';
            default -> ',';
        };
    }

    boolean terminal() {
        return state.equals("JobComplete") || state.equals("Failed") || state.equals("Aborted");
    }

    /**
     * The job info: the create answer has no counts ({@code full == false}); Get Job Info adds them.
     */
    ObjectNode info(boolean full) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        node.put("operation", operation);
        node.put("object", object);
        node.put("createdById", createdById);
        node.put("createdDate", FieldValues.SALESFORCE_DATETIME.format(createdDate));
        node.put("systemModstamp", FieldValues.SALESFORCE_DATETIME.format(systemModstamp));
        node.put("state", state);
        if (externalIdFieldName != null) node.put("externalIdFieldName", externalIdFieldName);
        node.put("concurrencyMode", "Parallel");
        node.put("contentType", "CSV");
        node.put("apiVersion", Double.parseDouble(apiVersion));
        if (!full) node.put("contentUrl", "services/data/v" + apiVersion + "/jobs/ingest/" + id + "/batches");
        node.put("lineEnding", lineEnding);
        node.put("columnDelimiter", columnDelimiter);
        if (full) {
            node.put("jobType", "V2Ingest");
            node.put("numberRecordsProcessed", processed);
            node.put("numberRecordsFailed", failed);
            node.put("retries", 0);
            node.put("totalProcessingTime", processingMillis);
            node.put("apiActiveProcessingTime", processingMillis);
            node.put("apexProcessingTime", 0);
            if (errorMessage != null) node.put("errorMessage", errorMessage);
        }
        return node;
    }
}
