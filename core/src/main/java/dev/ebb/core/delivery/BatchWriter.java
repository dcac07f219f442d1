package dev.ebb.core.delivery;

import dev.ebb.core.state.MatchComparison;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.spi.Destination;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RateUsage;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemoteRecord;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes batches of one sync's object and says what happened to each row. The one way Ebb writes: every write,
 * whether a run's batch or a conflict's resolution, goes through {@link #write} — start, then resume after each
 * pending step's wait — and every call through the account's {@link Caller}.
 *
 * <p>A batch the destination refuses as a whole is split in halves until the records that poison it are alone: the
 * good ones are delivered, and each bad one is rejected with the vendor's reason. Thread-safe.
 */
public final class BatchWriter {
    private final Destination destination;
    private final ObjectCapabilities capabilities;
    private final String object;
    private final String matchField;
    private final Caller caller;
    private final Waiter waiter;
    private final Tally tally;
    private final MatchComparison matching;

    public BatchWriter(Destination destination, ObjectCapabilities capabilities, String matchField,
                       MatchComparison matching, Caller caller, Waiter waiter, Tally tally) {
        this.destination = destination;
        this.matching = matching;
        this.capabilities = capabilities;
        this.object = capabilities.object();
        this.matchField = matchField;
        this.caller = caller;
        this.waiter = waiter;
        this.tally = tally;
    }

    /**
     * Writes one batch, bisecting a refused one, and answers every row.
     *
     * @param outcomes the rows of {@code records}, in the same order, as they stand before the call
     */
    public List<RowOutcome> deliver(Operation operation, List<OutboundRecord> records, List<RowOutcome> outcomes)
            throws InterruptedException {
        if (operation == Operation.DELETE) return deleteWithIds(records, outcomes);
        return deliver(operation, records, outcomes, write(new WriteBatch(object, operation, matchField, records)));
    }

    /** What a replace came to: whether the destination completed it, and every row's outcome. */
    public record Replaced(boolean completed, List<RowOutcome> outcomes) {
        public Replaced {
            outcomes = List.copyOf(outcomes);
        }
    }

    /**
     * Replaces the object's membership with {@code records}, in one {@link Operation#REPLACE} batch driven to its
     * end. Never split: each half of a replace would replace the whole membership with itself, so a refusal fails
     * every row, and the membership stands as it was.
     */
    public Replaced replace(List<OutboundRecord> records, List<RowOutcome> outcomes) throws InterruptedException {
        switch (write(new WriteBatch(object, Operation.REPLACE, matchField, records))) {
            case Caller.Result.Done<WriteResult> done -> {
                tally.failedBatchesInARow.set(0);
                return new Replaced(true, answers(done.value(), outcomes));
            }
            case Caller.Result.GaveUp<WriteResult> gaveUp -> {
                if (gaveUp.stopRun()) tally.stop(gaveUp.reason(), gaveUp.why());
                String reason = "the replace did not complete, so the membership stands as it was: " + gaveUp.reason();
                return new Replaced(false, outcomes.stream().map(o -> fail(o, reason)).toList());
            }
        }
    }

    /**
     * One batch, through as many calls as the destination needs: one for a synchronous API; start, then resume
     * after each pending step's wait for an asynchronous one. Every call goes through the rate budget.
     */
    public Caller.Result<WriteResult> write(WriteBatch batch) throws InterruptedException {
        Caller.Result<WriteStep> step = caller.call(() -> destination.start(batch), BatchWriter::usage);
        while (true) {
            switch (step) {
                case Caller.Result.GaveUp<WriteStep> gaveUp -> {
                    return new Caller.Result.GaveUp<>(gaveUp.reason(), gaveUp.why());
                }
                case Caller.Result.Done<WriteStep> done -> {
                    switch (done.value()) {
                        case WriteStep.Done finished -> {
                            return new Caller.Result.Done<>(finished.result());
                        }
                        case WriteStep.Pending pending -> {
                            waiter.await(pending.after(), "the destination is processing an asynchronous job");
                            step = caller.call(() -> destination.resume(pending), BatchWriter::usage);
                        }
                    }
                }
            }
        }
    }

    private static RateUsage usage(WriteStep step) {
        return step instanceof WriteStep.Done done ? done.result().usage() : RateUsage.UNKNOWN;
    }

    /**
     * The key under which {@link #read} files a record of this match value: the value itself, or its lower case
     * where the destination compares match values case-blind.
     */
    public String matchKey(String matchValue) {
        return matching == MatchComparison.IGNORE_CASE ? matchValue.toLowerCase(java.util.Locale.ROOT) : matchValue;
    }

    /**
     * Reads records back by match value, filed by {@link #matchKey}, in chunks of the object's usual batch size (a
     * read takes no more), each
     * call through the budget; counted in the tally's read calls, each attempt as api_calls counts it.
     */
    public Caller.Result<Map<String, RemoteRecord>> read(List<String> matchValues, List<String> fields)
            throws InterruptedException {
        Map<String, RemoteRecord> current = new HashMap<>();
        int chunk = capabilities.limits().maxRecords();
        for (int from = 0; from < matchValues.size(); from += chunk) {
            List<String> part = matchValues.subList(from, Math.min(matchValues.size(), from + chunk));
            Caller.Result<List<RemoteRecord>> read = caller.call(() -> {
                tally.readCalls.incrementAndGet();
                return destination.read(object, matchField, part, fields);
            }, null);
            switch (read) {
                case Caller.Result.Done<List<RemoteRecord>> done ->
                        done.value().forEach(r -> current.put(matchKey(r.matchValue()), r));
                case Caller.Result.GaveUp<List<RemoteRecord>> gaveUp -> {
                    return new Caller.Result.GaveUp<>(gaveUp.reason(), gaveUp.why());
                }
            }
        }
        return new Caller.Result.Done<>(current);
    }

    /**
     * Deletes by destination id. A record whose id Ebb never learnt (its creation landed, but the answer was lost)
     * is looked up by its match value first, where the object can be read back by the match field; a match value
     * with no record has nothing left to delete. Where it cannot be read so, the delete goes as it is and the
     * connector finds the record by its match value, or refuses it with its reason.
     */
    private List<RowOutcome> deleteWithIds(List<OutboundRecord> records, List<RowOutcome> outcomes)
            throws InterruptedException {
        List<String> unknown = records.stream().filter(r -> r.destinationId() == null)
                .map(OutboundRecord::matchValue).toList();
        if (unknown.isEmpty() || !capabilities.readBack()) {
            return deliver(Operation.DELETE, records, outcomes,
                    write(new WriteBatch(object, Operation.DELETE, matchField, records)));
        }
        List<RowOutcome> answered = new ArrayList<>(outcomes.size());
        Map<String, RemoteRecord> found;
        switch (read(unknown, List.of())) {
            case Caller.Result.Done<Map<String, RemoteRecord>> done -> found = done.value();
            case Caller.Result.GaveUp<Map<String, RemoteRecord>> gaveUp when gaveUp.permanent() -> {
                // The object cannot be read by this match field: the connector deletes by match value, or says why not.
                return deliver(Operation.DELETE, records, outcomes,
                        write(new WriteBatch(object, Operation.DELETE, matchField, records)));
            }
            case Caller.Result.GaveUp<Map<String, RemoteRecord>> gaveUp -> {
                String reason = "could not look up the record to delete: " + gaveUp.reason();
                if (gaveUp.stopRun()) tally.stop(gaveUp.reason(), gaveUp.why());
                for (RowOutcome o : outcomes) answered.add(fail(o, reason));
                return answered;
            }
        }
        List<OutboundRecord> toDelete = new ArrayList<>();
        List<RowOutcome> toDeleteOutcomes = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            OutboundRecord record = records.get(i);
            RowOutcome outcome = outcomes.get(i);
            if (record.destinationId() != null) {
                toDelete.add(record);
                toDeleteOutcomes.add(outcome);
                continue;
            }
            RemoteRecord remote = found.get(matchKey(record.matchValue()));
            if (remote == null) {
                // The destination has no such record: what the delete asks for is already true.
                tally.delivered.incrementAndGet();
                answered.add(with(outcome, Outcome.DELIVERED, null, null));
            } else {
                toDelete.add(new OutboundRecord(record.key(), record.matchValue(), remote.destinationId(),
                        record.fields()));
                toDeleteOutcomes.add(with(outcome, outcome.outcome(), outcome.reason(), remote.destinationId()));
            }
        }
        if (!toDelete.isEmpty()) {
            answered.addAll(deliver(Operation.DELETE, toDelete, toDeleteOutcomes,
                    write(new WriteBatch(object, Operation.DELETE, matchField, toDelete))));
        }
        return answered;
    }

    private List<RowOutcome> deliver(Operation operation, List<OutboundRecord> records, List<RowOutcome> outcomes,
                                     Caller.Result<WriteResult> result) throws InterruptedException {
        List<RowOutcome> answered = new ArrayList<>(outcomes.size());
        switch (result) {
            case Caller.Result.Done<WriteResult> done -> {
                tally.failedBatchesInARow.set(0);
                answered.addAll(answers(done.value(), outcomes));
            }
            case Caller.Result.GaveUp<WriteResult> gaveUp when gaveUp.permanent() && records.size() > 1 -> {
                tally.bisections.incrementAndGet();
                int half = records.size() / 2;
                List<OutboundRecord> left = records.subList(0, half);
                List<OutboundRecord> right = records.subList(half, records.size());
                Caller.Result<WriteResult> leftResult = write(new WriteBatch(object, operation, matchField, left));
                Caller.Result<WriteResult> rightResult = write(new WriteBatch(object, operation, matchField, right));
                if (sameRefusal(gaveUp, leftResult) && sameRefusal(gaveUp, rightResult)) {
                    // Both halves refused for the very same reason: the account refuses the writes (imports
                    // disabled, a permission), not one record. Splitting further would cost ~2n calls for nothing;
                    // the rows are left failed for a later run.
                    tally.failedBatchesInARow.incrementAndGet();
                    for (RowOutcome o : outcomes) {
                        tally.failed.incrementAndGet();
                        tally.problem("failed", o.key(), gaveUp.reason());
                        answered.add(with(o, Outcome.FAILED, "refused with its whole batch: " + gaveUp.reason(),
                                null));
                    }
                } else {
                    answered.addAll(deliver(operation, left, outcomes.subList(0, half), leftResult));
                    answered.addAll(deliver(operation, right, outcomes.subList(half, outcomes.size()), rightResult));
                }
            }
            case Caller.Result.GaveUp<WriteResult> gaveUp when gaveUp.permanent() -> {
                // Alone in its batch and still refused: this record is what the vendor objects to.
                tally.rejected.incrementAndGet();
                RowOutcome o = outcomes.getFirst();
                tally.problem("rejected", o.key(), gaveUp.reason());
                answered.add(with(o, Outcome.REJECTED, gaveUp.reason(), null));
            }
            case Caller.Result.GaveUp<WriteResult> gaveUp -> {
                if (gaveUp.stopRun()
                        || tally.failedBatchesInARow.incrementAndGet() >= Tally.MAX_FAILED_BATCHES_IN_A_ROW) {
                    tally.stop(gaveUp.reason(), gaveUp.why());
                }
                for (RowOutcome o : outcomes) answered.add(fail(o, gaveUp.reason()));
            }
        }
        return answered;
    }

    /** Each row as the destination answered it; a row it did not mention is failed, to be sent again. */
    private List<RowOutcome> answers(WriteResult result, List<RowOutcome> outcomes) {
        Map<String, RecordResult> byKey = new HashMap<>();
        for (RecordResult r : result.results()) byKey.putIfAbsent(r.key(), r);
        List<RowOutcome> answered = new ArrayList<>(outcomes.size());
        for (RowOutcome o : outcomes) {
            RecordResult r = byKey.get(o.key());
            if (r == null) {
                answered.add(fail(o, "the destination's answer did not mention this record"));
                continue;
            }
            switch (r.status()) {
                case ACCEPTED -> {
                    tally.delivered.incrementAndGet();
                    answered.add(with(o, Outcome.DELIVERED, null, r.destinationId()));
                }
                case REJECTED -> {
                    tally.rejected.incrementAndGet();
                    tally.problem("rejected", o.key(), r.reason());
                    answered.add(with(o, Outcome.REJECTED, r.reason(), null));
                }
                case FAILED -> answered.add(fail(o, r.reason()));
            }
        }
        return answered;
    }

    private static boolean sameRefusal(Caller.Result.GaveUp<WriteResult> parent, Caller.Result<WriteResult> child) {
        return child instanceof Caller.Result.GaveUp<WriteResult> refused && refused.permanent()
                && refused.reason().equals(parent.reason());
    }

    /** A row left failed with its reason: the next run plans it again. */
    public RowOutcome fail(RowOutcome o, String reason) {
        tally.failed.incrementAndGet();
        tally.problem("failed", o.key(), reason);
        return with(o, Outcome.FAILED, reason, null);
    }

    /** The row with its outcome; the destination id learnt, if any, replaces the one it had. */
    public static RowOutcome with(RowOutcome o, Outcome outcome, String reason, String destinationId) {
        return new RowOutcome(o.key(), o.change(), o.operation(), outcome, reason, o.fingerprint(), o.matchValue(),
                destinationId != null ? destinationId : o.destinationId(), o.fieldHashes(), o.payload(), o.quick());
    }
}
