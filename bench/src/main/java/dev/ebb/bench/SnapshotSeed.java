package dev.ebb.bench;

import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.delivery.Callers;
import dev.ebb.core.delivery.QuotaGate;
import dev.ebb.core.delivery.RateBudgets;
import dev.ebb.core.delivery.RetryPolicy;
import dev.ebb.core.delivery.Waiter;
import dev.ebb.core.plan.BoundSync;
import dev.ebb.core.plan.Connectors;
import dev.ebb.core.plan.Extraction;
import dev.ebb.core.plan.Operations;
import dev.ebb.core.plan.SyncBinder;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.core.state.Replan;
import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.StateStore;
import dev.ebb.spi.Mode;
import dev.ebb.spi.Operation;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;

/**
 * Seeds a sync's snapshot as a full sync whose every batch the destination acknowledged would leave it, without a
 * destination: Ebb's own plan of the model against the empty snapshot ({@link Extraction#extractAndDiff}, exactly
 * as {@code ebb run} plans), then each planned row's delivered outcome, as the run builds it, committed through
 * {@link StateStore#commit} batch by batch, and the run closed ({@link StateStore#finishRun}, which folds the
 * embedded store's snapshot log). What the snapshot holds afterwards (spec, keys, fingerprints, match values) is
 * what such a run commits. Skipped, because they leave no trace in the snapshot of a run whose every batch was
 * acknowledged: the records built from each row's payload, the call, and the in-flight marks (every one is settled by
 * the batch's commit). A batch is committed on another thread while the next is read from the plan, as a run's
 * senders commit while its plan is read. Not thread-safe.
 */
final class SnapshotSeed {
    /** Rows per commit by default: 200 commits per 10,000,000 rows, each batch's outcomes in the heap. */
    static final int BATCH = 50_000;

    private final ProjectConfig project;
    private final StateStore state;
    private final Connectors connectors;
    private final Clock clock;
    private final int batchRecords;

    /** @param batchRecords rows per commit */
    SnapshotSeed(ProjectConfig project, StateStore state, Connectors connectors, Clock clock, int batchRecords) {
        this.project = project;
        this.state = state;
        this.connectors = connectors;
        this.clock = clock;
        this.batchRecords = batchRecords;
    }

    /** What a seed did. */
    record Seeded(PlanCounts counts, long committed, long commits, long apiCalls, List<String> warnings) {
    }

    /**
     * Seeds the sync's snapshot, which must be empty: every row of the model is planned as added.
     *
     * @throws IllegalStateException when a planned row is not a write (the benchmark's syncs write every row)
     */
    Seeded seed(String syncName) throws Exception {
        Callers callers = new Callers(new RateBudgets(clock), RetryPolicy.DEFAULT, Waiter.SYSTEM,
                RandomGenerator.of("L64X128MixRandom"), clock, NO_QUOTA);
        SyncBinder binder = new SyncBinder(project, connectors, callers);
        SyncConfig sync = binder.sync(syncName);
        List<String> warnings = new ArrayList<>();
        state.lock(sync.name());
        ExecutorService committer = Executors.newSingleThreadExecutor();
        try (BoundSync bound = binder.bind(sync); PlanSession plan = state.plan(sync.name())) {
            Instant started = clock.instant();
            state.closeAbandonedRuns(sync.name(), started);
            if (state.specHash(sync.name()).isEmpty()) {
                state.saveSpec(sync.name(), bound.spec().hash(), bound.spec().text(), started);
            }
            long runId = state.startRun(sync.name(), started);
            PlanCounts counts = Extraction.extractAndDiff(bound, plan, Replan.CHANGES_ONLY, rows -> { },
                    reason -> warnings.add("the model's rows were planned in the JVM, not in the state store: "
                            + reason));
            state.recordPlan(runId, counts);
            long committed = 0;
            long commits = 0;
            Future<?> previous = null;
            List<RowOutcome> batch = new ArrayList<>(batchRecords);
            try (RowCursor<PlannedRow> rows = plan.planned()) {
                PlannedRow row;
                while ((row = rows.next()) != null) {
                    batch.add(delivered(sync, row));
                    if (batch.size() == batchRecords) {
                        previous = commit(committer, previous, sync.name(), runId, batch);
                        committed += batch.size();
                        commits++;
                        batch = new ArrayList<>(batchRecords);
                    }
                }
            }
            if (!batch.isEmpty()) {
                previous = commit(committer, previous, sync.name(), runId, batch);
                committed += batch.size();
                commits++;
            }
            if (previous != null) previous.get();
            long calls = bound.caller().stats().calls.get();
            state.finishRun(new RunRecord(runId, sync.name(), null, clock.instant(), RunStatus.SUCCEEDED,
                    counts.added(), counts.changed(), counts.removed(), counts.unchanged(), counts.invalid(),
                    committed, 0, 0, 0, calls, 0, 0, null));
            return new Seeded(counts, committed, commits, calls, warnings);
        } finally {
            committer.shutdownNow();
            state.unlock(sync.name());
        }
    }

    /** The outcome a run commits for a planned row that the destination acknowledged (no id in the answer). */
    private static RowOutcome delivered(SyncConfig sync, PlannedRow row) {
        Operation operation = Operations.operation(sync, row).orElseThrow(() -> new IllegalStateException(
                "the seed writes every planned row, and row " + row.key() + " (" + row.change() + ") is not a write"));
        if (operation == Operation.DELETE || operation == Operation.REPLACE) {
            throw new IllegalStateException("the seed plans into an empty snapshot, and row " + row.key()
                    + " became a " + operation);
        }
        // An add_remove sync's outcome keeps the values it sent, for its removals to send again.
        String sent = sync.mode() == Mode.ADD_REMOVE ? row.payload() : null;
        return new RowOutcome(row.key(), row.change(), operation, Outcome.DELIVERED, null, row.fingerprint(),
                row.matchValue(), row.destinationId(), row.fieldHashes(), sent, row.quick());
    }

    /** Commits {@code batch} on the committer once the previous batch is committed, so at most one waits. */
    private Future<?> commit(ExecutorService committer, Future<?> previous, String sync, long runId,
                             List<RowOutcome> batch) throws Exception {
        if (previous != null) previous.get();
        return committer.submit(() -> {
            state.commit(sync, runId, batch, clock.instant());
            return null;
        });
    }

    /** The accepting destination declares no daily quota, so nothing is ever counted. */
    private static final QuotaGate.Ledger NO_QUOTA = new QuotaGate.Ledger() {
        @Override
        public long used(String account, LocalDate day) {
            return 0;
        }

        @Override
        public void add(String account, LocalDate day, long calls) {
            throw new UnsupportedOperationException("the seeding destination has no daily quota");
        }

        @Override
        public long usedSince(String account, Instant from) {
            return 0;
        }

        @Override
        public void addHourly(String account, Instant hour, long calls) {
            throw new UnsupportedOperationException("the seeding destination has no daily quota");
        }
    };
}
