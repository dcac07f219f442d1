package dev.ebb.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a write stands after one call. Most APIs answer a batch in the same call ({@link Done}); asynchronous ones
 * (Salesforce Bulk API 2.0 ingest jobs, Zendesk's {@code job_status}) need further calls: upload, close, poll,
 * fetch results. A {@link Pending} step tells the runtime to call {@link Destination#resume} after {@link
 * Pending#after()}, so that every call still goes through the runtime's rate budget, one at a time, and the
 * connector never waits itself.
 */
public sealed interface WriteStep permits WriteStep.Done, WriteStep.Pending {

    /** The write is over: every record has its answer. */
    record Done(WriteResult result) implements WriteStep {
        public Done {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * The vendor is still working, or the write needs another call.
     *
     * @param batch       the batch being written
     * @param state       the connector's own note of where it is (a job id and a phase); opaque to the runtime
     * @param after       how long to wait before the next call (zero for a next step that need not wait)
     * @param description what is pending, for progress lines and logs ("Bulk job 750… InProgress")
     */
    record Pending(WriteBatch batch, Object state, Duration after, String description) implements WriteStep {
        public Pending {
            Objects.requireNonNull(batch, "batch");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(description, "description");
        }
    }
}
