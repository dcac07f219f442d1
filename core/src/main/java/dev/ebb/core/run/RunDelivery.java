package dev.ebb.core.run;

import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.delivery.BatchWriter;
import dev.ebb.core.delivery.Batcher;
import dev.ebb.core.delivery.CallStats;
import dev.ebb.core.delivery.Caller;
import dev.ebb.core.delivery.Tally;
import dev.ebb.core.delivery.Waiter;
import dev.ebb.core.ownership.FieldOwnership;
import dev.ebb.core.plan.Binding;
import dev.ebb.core.plan.BoundSync;
import dev.ebb.core.plan.Operations;
import dev.ebb.core.plan.Payload;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.state.Change;
import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.InvalidRow;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.spi.BatchLimits;
import dev.ebb.spi.BulkLimits;
import dev.ebb.spi.Mode;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RemoteRecord;
import dev.ebb.core.synclog.SyncLogs;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run's delivery: the plan read on the run's thread, which fills batches; full batches go out on virtual
 * threads, up to {@link #inFlight} at once, each through the {@link BatchWriter} and the account's budget, and each
 * commits its own outcomes when it is answered. A key appears once in a plan, so batches in flight never hold two
 * writes to one record, and the writes to any one record stay in order from run to run.
 *
 * <p>Every row of the plan ends with an outcome: delivered, rejected or failed with the destination's answer; skipped
 * when it needs no call; failed with the reason when the run stopped before sending it.
 */
final class RunDelivery {
    /** Batches one run keeps in flight at most (fewer if the account allows fewer concurrent calls). */
    private static final int MAX_BATCHES_IN_FLIGHT = 4;
    /** Rows answered without a call are committed in groups of this many. */
    private static final int COMMIT_EVERY = 1000;

    private final BoundSync bound;
    private final RunOptions options;
    private final StateStore state;
    private final long runId;
    private final Progress progress;
    private final Clock clock;
    private final SyncLogs.Recording log;
    final Tally tally = new Tally();
    private final BatchWriter writer;
    private final int inFlight;
    private final Semaphore slots;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicReference<Throwable> broken = new AtomicReference<>();
    /** The sync's open conflicts when the run began, as key and field joined by a unit separator. */
    private final Set<String> openConflicts = new HashSet<>();
    /** Changed rows of an audience whose old values were removed this run, so their new ones may be added. */
    private final Set<String> removedFirst = ConcurrentHashMap.newKeySet();
    long invalid;
    private long total;

    RunDelivery(BoundSync bound, StateStore state, long runId, Progress progress, Waiter waiter, Clock clock,
                SyncLogs.Recording log, RunOptions options) {
        this.options = options;
        this.bound = bound;
        this.log = log;
        this.state = state;
        this.runId = runId;
        this.progress = progress;
        this.clock = clock;
        this.writer = new BatchWriter(bound.destination(), bound.capabilities(), bound.sync().match().field(),
                bound.matching(), bound.caller(), waiter, tally);
        // The account's concurrency as ebb.yaml lowered it: a batch waiting for a call slot would already be marked
        // in flight, and a process dying then would leave more than the batches it was sending to send again.
        this.inFlight = Math.max(1, Math.min(MAX_BATCHES_IN_FLIGHT, bound.caller().maxConcurrency()));
        this.slots = new Semaphore(inFlight);
    }

    private String sync() {
        return bound.sync().name();
    }

    /** Records the plan's invalid rows: never sent, never counted as removed. */
    void recordInvalid(PlanSession plan) throws StateException {
        List<RowOutcome> outcomes = new ArrayList<>();
        try (RowCursor<InvalidRow> rows = plan.invalid()) {
            InvalidRow row;
            while ((row = rows.next()) != null) {
                invalid++;
                tally.problem("invalid", row.key(), row.reason());
                outcomes.add(new RowOutcome(row.key() == null ? "(null)" : row.key(), Change.NONE, null,
                        Outcome.INVALID, row.reason(), null, null, null));
                if (outcomes.size() == COMMIT_EVERY) {
                    commit(outcomes);
                    outcomes.clear();
                }
            }
        }
        commit(outcomes);
    }

    /**
     * Delivers the plan; returns once every batch is answered and committed. An add_remove sync delivers in two
     * passes, removals first: every removal (and every changed row's removal with its old values) is answered before
     * any addition goes, so a member is never added and then removed by the same run.
     */
    void deliver(PlanSession plan, PlanCounts counts) throws StateException, InterruptedException {
        total = options.retry() ? Math.min(counts.toSend(), options.keys().size()) : counts.toSend();
        if (bound.ownsFields()) {
            for (Conflict open : state.openConflicts(sync(), null)) {
                openConflicts.add(open.key() + '\u001f' + open.field());
            }
        }
        // Large plans take the object's bulk path where it has one (e.g. Salesforce Bulk API 2.0).
        BatchLimits writeLimits = limits(counts.added() + counts.changed());
        try {
            if (audience()) {
                total += counts.changed();
                pass(plan, Pass.REMOVALS, writeLimits, limits(counts.removed() + counts.changed()));
                awaitInFlight();
                pass(plan, Pass.ADDITIONS, writeLimits, writeLimits);
            } else {
                pass(plan, Pass.EVERY_WRITE, writeLimits, limits(counts.removed()));
            }
        } finally {
            // Every batch in flight is answered and committed (or has failed) before the run is closed.
            awaitInFlight();
            senders.shutdown();
        }
        rethrowBroken();
    }

    /**
     * Delivers a replace ({@code ebb run --replace}): every valid row of the model in one {@link Operation#REPLACE}
     * batch, within the object's replace limits, driven through start and resume like any batch. Once the destination
     * completes it, the snapshot becomes exactly the rows it accepted: rows that left the model, were invalid or were
     * refused are forgotten, since the replace dropped them. A replace that did not complete changes nothing.
     *
     * @throws SyncException when the model does not fit in one replace, or has no row to replace with
     */
    void replace(PlanSession plan) throws StateException, InterruptedException, SyncException {
        BatchLimits limits = bound.capabilities().replace().orElseThrow();
        List<OutboundRecord> records = new ArrayList<>();
        List<RowOutcome> members = new ArrayList<>();
        List<RowOutcome> dropped = new ArrayList<>();
        long bytes = 0;
        try (RowCursor<PlannedRow> rows = plan.planned()) {
            PlannedRow row;
            while ((row = rows.next()) != null) {
                if (row.change() == Change.REMOVED) {
                    dropped.add(outcome(row, Operation.REPLACE, Outcome.DELIVERED, null));
                    continue;
                }
                records.add(new OutboundRecord(row.key(), row.matchValue(), row.destinationId(),
                        Operations.fields(bound, Operation.REPLACE, row)));
                members.add(outcome(row, Operation.REPLACE, Outcome.DELIVERED, null));
                bytes += Payload.estimatedBytes(row.payload());
                if (records.size() > limits.maxRecords() || bytes > limits.maxBytes()) {
                    throw new SyncException(SyncException.Kind.INVALID, "--replace sends the whole model in one"
                            + " replace, and object '" + bound.capabilities().object() + "' takes at most "
                            + limits.maxRecords() + " records (" + limits.maxBytes() + " bytes) in one; the model has"
                            + " more, so nothing was sent. Run without --replace to add and remove members instead.");
                }
            }
        }
        if (records.isEmpty()) {
            throw new SyncException(SyncException.Kind.INVALID, "the model has no valid row, and a replace with"
                    + " none would empty the audience, so nothing was sent. Check the model, or run without"
                    + " --replace.");
        }
        total = records.size() + dropped.size();
        state.markInFlight(sync(), runId, members);
        BatchWriter.Replaced replaced = writer.replace(records, members);
        List<RowOutcome> answered = new ArrayList<>(replaced.outcomes());
        if (replaced.completed()) {
            tally.delivered.addAndGet(dropped.size());
            answered.addAll(dropped);
            Instant at = clock.instant();
            state.commitReplace(sync(), runId, answered, at);
            log.committed(answered, at);
        } else {
            for (RowOutcome o : dropped) answered.add(writer.fail(o, replaced.outcomes().getFirst().reason()));
            commit(answered);
        }
        bound.caller().flushQuota();
        tally.settled.addAndGet(answered.size());
        CallStats stats = bound.caller().stats();
        progress.delivered(tally.settled.get(), total, stats.calls.get(), stats.throttles.get());
        senders.shutdown();
    }

    /** Which planned rows a pass over the plan writes. */
    private enum Pass {
        /** Every row: the one pass of every mode but add_remove. */
        EVERY_WRITE,
        /** add_remove, first: removed rows, and changed rows' removal with the values last delivered. */
        REMOVALS,
        /** add_remove, then: added rows, and changed rows with their new values once their removal went through. */
        ADDITIONS
    }

    private boolean audience() {
        return bound.sync().mode() == Mode.ADD_REMOVE;
    }

    private void pass(PlanSession plan, Pass pass, BatchLimits writeLimits, BatchLimits removeLimits)
            throws StateException, InterruptedException {
        Batcher batcher = new Batcher();
        List<RowOutcome> noCall = new ArrayList<>();
        try (RowCursor<PlannedRow> rows = plan.planned()) {
            PlannedRow row;
            while ((row = rows.next()) != null) {
                // A retry delivers only the keys it was given; every other row stays planned for the next run.
                if (options.retry() && !options.keys().contains(row.key())) continue;
                // Between batches: a cancelled run sends nothing more, and what it did not send stays pending.
                if (options.cancellation().requested()) tally.cancel(options.cancellation().reason());
                Optional<Operation> op = operation(pass, row);
                if (op == null) continue;
                if (broken.get() != null || tally.stopped()) {
                    noCall.add(notSent(row, op.orElse(null)));
                } else if (op.isEmpty()) {
                    tally.skipped.incrementAndGet();
                    noCall.add(outcome(row, null, Outcome.SKIPPED,
                            Operations.skipReason(bound.sync(), row.change())));
                } else {
                    Operation operation = op.get();
                    OutboundRecord record = new OutboundRecord(row.key(),
                            row.matchValue() == null ? row.key() : row.matchValue(), row.destinationId(),
                            Operations.fields(bound, operation, row));
                    boolean removal = operation == Operation.DELETE;
                    Optional<Batcher.Batch> full = batcher.add(operation, record,
                            outcome(row, operation, Outcome.DELIVERED, null),
                            Payload.estimatedBytes(removal ? row.delivered() : row.payload()),
                            removal ? removeLimits : writeLimits);
                    if (full.isPresent()) dispatch(full.get());
                }
                if (noCall.size() >= COMMIT_EVERY) flushNoCall(noCall);
            }
            for (Batcher.Batch batch : batcher.drain()) {
                if (broken.get() == null) dispatch(batch);
                else for (int i = 0; i < batch.outcomes().size(); i++) noCall.add(notSent(batch.outcomes().get(i)));
            }
            flushNoCall(noCall);
        }
    }

    /**
     * The write a row becomes in this pass: empty when it needs no call, {@code null} when the row is not this
     * pass's (or, for a changed row of an audience, when its removal did not go through: that outcome stands, and
     * adding it anyway would leave its old values a member).
     */
    private Optional<Operation> operation(Pass pass, PlannedRow row) {
        return switch (pass) {
            case EVERY_WRITE -> Operations.operation(bound.sync(), row);
            case REMOVALS -> row.change() == Change.REMOVED ? Operations.operation(bound.sync(), row)
                    : Operations.removedFirst(bound.sync(), row) ? Optional.of(Operation.DELETE) : null;
            case ADDITIONS -> switch (row.change()) {
                case ADDED -> Operations.operation(bound.sync(), row);
                case CHANGED -> !Operations.removedFirst(bound.sync(), row) || removedFirst.contains(row.key())
                        ? Operations.operation(bound.sync(), row) : null;
                case REMOVED, NONE -> null;
            };
        };
    }

    /** Waits until no batch is in flight. */
    private void awaitInFlight() throws InterruptedException {
        slots.acquire(inFlight);
        slots.release(inFlight);
    }

    private void rethrowBroken() throws StateException, InterruptedException {
        Throwable failure = broken.get();
        if (failure instanceof StateException e) throw e;
        if (failure instanceof RuntimeException e) throw e;
        if (failure instanceof Error e) throw e;
        if (failure instanceof InterruptedException e) throw e;
        if (failure != null) throw new IllegalStateException(failure);
    }

    private BatchLimits limits(long records) {
        return bound.capabilities().bulk().filter(b -> records >= b.fromRecords()).map(BulkLimits::limits)
                .orElse(bound.capabilities().limits());
    }

    /** The row's outcome; an audience's additions carry the values they send, for the snapshot to keep. */
    private RowOutcome outcome(PlannedRow row, Operation operation, Outcome outcome, String reason) {
        boolean keepsValues = audience() && operation != null && operation != Operation.DELETE;
        return new RowOutcome(row.key(), row.change(), operation, outcome, reason, row.fingerprint(),
                row.matchValue(), row.destinationId(), row.fieldHashes(), keepsValues ? row.payload() : null,
                row.quick());
    }

    /** A row the run did not send because it stopped: failed, with the reason, planned again by the next run. */
    private RowOutcome notSent(PlannedRow row, Operation operation) {
        return notSent(outcome(row, operation, Outcome.FAILED, null));
    }

    private RowOutcome notSent(RowOutcome o) {
        tally.failed.incrementAndGet();
        return BatchWriter.with(o, Outcome.FAILED, "not sent: " + stopReason(), null);
    }

    private String stopReason() {
        if (tally.stopReason() != null) return tally.stopReason();
        Throwable failure = broken.get();
        return failure == null ? "the run stopped" : "the run stopped: " + failure.getMessage();
    }

    /** Commits outcomes to the state store, and hands what it committed to the sync log. */
    private void commit(List<RowOutcome> outcomes) throws StateException {
        Instant at = clock.instant();
        state.commit(sync(), runId, outcomes, at);
        log.committed(outcomes, at);
    }

    private void flushNoCall(List<RowOutcome> noCall) throws StateException {
        try {
            commit(noCall);
        } catch (StateException e) {
            if (broken.get() == null) throw e;
            // The run is failing already, for the reason thrown below; these rows stay planned for the next run.
        }
        tally.settled.addAndGet(noCall.size());
        noCall.clear();
    }

    /** Hands a full batch to a sender, waiting while {@link #inFlight} batches are out. */
    private void dispatch(Batcher.Batch batch) throws InterruptedException {
        slots.acquire();
        senders.execute(() -> {
            try {
                List<RowOutcome> answered = tally.stopped() ? batch.outcomes().stream().map(this::notSent).toList()
                        : send(batch);
                commit(answered);
                for (RowOutcome o : answered) {
                    boolean removedOldValues = o.operation() == Operation.DELETE && o.change() == Change.CHANGED;
                    if (removedOldValues && o.outcome() == Outcome.DELIVERED) removedFirst.add(o.key());
                }
                bound.caller().flushQuota();
                tally.settled.addAndGet(answered.size());
                CallStats stats = bound.caller().stats();
                progress.delivered(tally.settled.get(), total, stats.calls.get(), stats.throttles.get());
            } catch (Throwable t) {
                broken.compareAndSet(null, t);
            } finally {
                slots.release();
            }
        });
    }

    private List<RowOutcome> send(Batcher.Batch batch) throws StateException, InterruptedException {
        // Before the call: if the process dies or the answer is lost, the next run knows what may have landed.
        state.markInFlight(sync(), runId, batch.outcomes());
        if (batch.operation() == Operation.DELETE || !bound.ownsFields()) {
            return writer.deliver(batch.operation(), batch.records(), batch.outcomes());
        }
        List<RowOutcome> answered = new ArrayList<>();
        FieldOwnership.Decision decision = owned(batch, answered);
        if (decision == null) return answered;
        if (!decision.records().isEmpty()) {
            answered.addAll(writer.deliver(batch.operation(), decision.records(), decision.outcomes()));
        }
        state.recordConflicts(decision.conflicts(), clock.instant());
        state.settleConflicts(sync(), decision.settled(), clock.instant());
        return answered;
    }

    /**
     * Applies the field policies to a batch: reads the records' current values back inside the same budget, then
     * decides per owned field. A failed read-back fails the whole batch (into {@code answered}, returning
     * {@code null}), because writing blind could overwrite a person's edit.
     */
    private FieldOwnership.Decision owned(Batcher.Batch batch, List<RowOutcome> answered)
            throws InterruptedException {
        List<String> owned = bound.bindings().stream().filter(b -> b.mapping().policy() != FieldPolicy.OVERWRITE)
                .map(Binding::name).toList();
        List<String> matchValues = batch.records().stream().map(OutboundRecord::matchValue).toList();
        Map<String, RemoteRecord> current;
        switch (writer.read(matchValues, owned)) {
            case Caller.Result.Done<Map<String, RemoteRecord>> done -> current = done.value();
            case Caller.Result.GaveUp<Map<String, RemoteRecord>> gaveUp -> {
                String reason = "could not read the current values back, so nothing was written: " + gaveUp.reason();
                for (RowOutcome o : batch.outcomes()) answered.add(writer.fail(o, reason));
                if (gaveUp.stopRun()) tally.stop(gaveUp.reason(), gaveUp.why());
                return null;
            }
        }
        FieldOwnership.Decision decision = FieldOwnership.decide(sync(), runId, clock.instant(), bound.bindings(),
                batch.records(), batch.outcomes(), matchValue -> current.get(writer.matchKey(matchValue)),
                openConflicts);
        tally.skipped.addAndGet(decision.skipped().size());
        tally.conflicts.addAndGet(decision.conflicts().size());
        answered.addAll(decision.skipped());
        return decision;
    }

    /** Closes the run in the run log with what it did. */
    RunRecord finish(PlanCounts counts, RunStatus status, String message) throws StateException {
        return finish(counts, status, message, tally.delivered.get(), tally.rejected.get(), tally.failed.get(),
                tally.skipped.get());
    }

    /**
     * Closes a run that failed with the outcomes its commits recorded: a batch the destination answered but the
     * store could not record (a full disk) is not counted, since the next run sends it again.
     */
    RunRecord finishFailed(PlanCounts counts, String message) throws StateException {
        RunRecord committed = state.run(runId).orElseThrow();
        return finish(counts, RunStatus.FAILED, message, committed.delivered(), committed.rejected(),
                committed.failed(), committed.skipped());
    }

    private RunRecord finish(PlanCounts counts, RunStatus status, String message, long delivered, long rejected,
                             long failed, long skipped) throws StateException {
        bound.caller().flushQuota();
        CallStats stats = bound.caller().stats();
        PlanCounts c = counts == null ? new PlanCounts(0, 0, 0, 0, 0, 0) : counts;
        RunRecord record = new RunRecord(runId, sync(), null, clock.instant(), status, c.added(), c.changed(),
                c.removed(), c.unchanged(), c.invalid(), delivered, rejected, failed, skipped, stats.calls.get(),
                stats.throttles.get(), stats.retries.get(), message, tally.readCalls.get(), tally.conflicts.get());
        state.finishRun(record);
        return state.run(runId).orElse(record);
    }
}
