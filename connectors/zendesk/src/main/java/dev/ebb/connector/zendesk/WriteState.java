package dev.ebb.connector.zendesk;

import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RecordResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where one asynchronous Zendesk write stands between two calls: the state of a {@link dev.ebb.spi.WriteStep.Pending}
 * step. Records are named by their position in the batch. Immutable, so a step the runtime retries (after a throttle
 * or a transient failure) makes the same call again.
 *
 * @param stage    what the next call is
 * @param lookup   for {@link Stage#LOOKUP}: the records to look up by {@code external_id}
 * @param ids      the Zendesk id of each record known so far (from earlier writes or the lookup)
 * @param answered each record's answer so far
 * @param jobs     the jobs still to run, in order; the first is the one to submit or being polled
 * @param jobId    for {@link Stage#POLL}: the {@code job_status} id
 * @param polls    for {@link Stage#POLL}: how many times the job has been polled
 * @param usage    the account's budget as the last answer reported it
 */
record WriteState(Stage stage, List<Integer> lookup, Map<Integer, String> ids, Map<Integer, RecordResult> answered,
                  List<Job> jobs, String jobId, int polls, RateUsage usage) {

    /** The next call. */
    enum Stage {
        /** {@code GET …/show_many?external_ids=}: learn the ids of records matched by external id. */
        LOOKUP,
        /** {@code POST|PUT|DELETE …/*_many}: queue the first of {@link #jobs}. */
        SUBMIT,
        /** {@code GET /api/v2/job_statuses/{id}}: ask how the job is doing. */
        POLL,
        /** No call: every job has ended. */
        DONE
    }

    /** The bulk endpoints, each answered by a {@code job_status}. */
    enum Kind {
        CREATE_OR_UPDATE_MANY("POST", "create_or_update_many"),
        CREATE_MANY("POST", "create_many"),
        UPDATE_MANY("PUT", "update_many"),
        DESTROY_MANY("DELETE", "destroy_many");

        final String method;
        final String endpoint;

        Kind(String method, String endpoint) {
            this.method = method;
            this.endpoint = endpoint;
        }
    }

    /** One job: an endpoint and the records (by position in the batch) it carries, in the order sent. */
    record Job(Kind kind, List<Integer> records) {
        Job {
            Objects.requireNonNull(kind, "kind");
            records = List.copyOf(records);
        }
    }

    WriteState {
        Objects.requireNonNull(stage, "stage");
        lookup = List.copyOf(lookup);
        ids = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ids));
        answered = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(answered));
        jobs = List.copyOf(jobs);
        Objects.requireNonNull(usage, "usage");
    }

    /** The state that submits {@code jobs} (or is done when there are none). */
    static WriteState submitting(Map<Integer, String> ids, Map<Integer, RecordResult> answered, List<Job> jobs,
                                 RateUsage usage) {
        return new WriteState(jobs.isEmpty() ? Stage.DONE : Stage.SUBMIT, List.of(), ids, answered, jobs, null, 0,
                usage);
    }

    WriteState polling(String jobId, int polls, RateUsage usage) {
        return new WriteState(Stage.POLL, List.of(), ids, answered, jobs, jobId, polls, usage);
    }

    /** The current job is over with these answers; on to the next one, if any. */
    WriteState jobEnded(Map<Integer, RecordResult> jobAnswers, RateUsage usage) {
        Map<Integer, RecordResult> all = new LinkedHashMap<>(answered);
        all.putAll(jobAnswers);
        return submitting(ids, all, jobs.subList(1, jobs.size()), usage);
    }

    Job currentJob() {
        return jobs.getFirst();
    }
}
