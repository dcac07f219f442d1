package dev.ebb.connector.salesforce;

import dev.ebb.spi.RecordResult;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a write stands between two calls: the {@code state} of a {@link dev.ebb.spi.WriteStep.Pending}. Each step is
 * exactly one HTTP call; all are immutable, so the runner may repeat a step after a transient failure.
 */
sealed interface Step {

    /** The plan the step works on. */
    Plan plan();

    /** Looks up the Salesforce Ids of the next records that are written by Id (one SOQL query). */
    record Resolve(Plan plan) implements Step {
    }

    /** Writes every record left in one sObject Collections call. */
    record Send(Plan plan) implements Step {
    }

    /** Creates the Bulk API 2.0 ingest job. */
    record CreateJob(Plan plan) implements Step {
    }

    /** Uploads the job's CSV ({@code PUT …/batches}). */
    record Upload(Plan plan, String jobId) implements Step {
    }

    /** Closes the job for processing ({@code state: UploadComplete}). */
    record Close(Plan plan, String jobId) implements Step {
    }

    /**
     * Reads the job's state.
     *
     * @param polls  how many polls were made before this one
     * @param waited how long the runner has waited for the job so far
     */
    record Poll(Plan plan, String jobId, int polls, Duration waited) implements Step {
    }

    /**
     * Fetches one of the job's result files.
     *
     * @param file      which one
     * @param counts    what the job reported when it finished
     * @param answered  results read from earlier files, by record key
     */
    record Fetch(Plan plan, String jobId, ResultFile file, JobCounts counts, Map<String, RecordResult> answered)
            implements Step {
        public Fetch {
            answered = Collections.unmodifiableMap(new LinkedHashMap<>(answered));
        }
    }

    /** The result files of an ingest job, in the order they are fetched. */
    enum ResultFile {
        SUCCESSFUL("successfulResults"),
        FAILED("failedResults"),
        UNPROCESSED("unprocessedrecords");

        private final String path;

        ResultFile(String path) {
            this.path = path;
        }

        String path() {
            return path;
        }
    }

    /**
     * A finished job's counts (Get Job Info).
     *
     * @param state     {@code JobComplete}, {@code Failed} or {@code Aborted}
     * @param uploaded  records in the uploaded CSV
     * @param processed {@code numberRecordsProcessed}
     * @param failed    {@code numberRecordsFailed}
     * @param error     {@code errorMessage}, or empty
     */
    record JobCounts(String state, int uploaded, long processed, long failed, String error) {
    }
}
