package dev.ebb.core.delivery;

import dev.ebb.core.state.RowOutcome;
import dev.ebb.spi.BatchLimits;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Groups planned records into batches, one open batch per operation, each within the object's limits (records and
 * bytes). Used by one thread.
 */
public final class Batcher {

    /** One write call's worth of records, with their rows in the same order. */
    public record Batch(Operation operation, List<OutboundRecord> records, List<RowOutcome> outcomes) {
        public Batch {
            records = List.copyOf(records);
            outcomes = List.copyOf(outcomes);
        }
    }

    private final Map<Operation, Open> open = new EnumMap<>(Operation.class);

    /**
     * Adds a record to its operation's batch.
     *
     * @param bytes  the record's estimated size on the wire
     * @param limits the limits of the batch it joins
     * @return the batch that was full and must go out before this record could join it, if any
     */
    public Optional<Batch> add(Operation operation, OutboundRecord record, RowOutcome outcome, int bytes,
                               BatchLimits limits) {
        Open batch = open.computeIfAbsent(operation, o -> new Open());
        Optional<Batch> full = Optional.empty();
        if (!batch.records.isEmpty() && (batch.records.size() >= limits.maxRecords()
                || batch.bytes + bytes > limits.maxBytes())) {
            full = Optional.of(batch.take(operation));
        }
        batch.records.add(record);
        batch.outcomes.add(outcome);
        batch.bytes += bytes;
        return full;
    }

    /** The batches still open, emptied; in the order of the operations. */
    public List<Batch> drain() {
        List<Batch> rest = new ArrayList<>();
        open.forEach((operation, batch) -> {
            if (!batch.records.isEmpty()) rest.add(batch.take(operation));
        });
        return rest;
    }

    private static final class Open {
        final List<OutboundRecord> records = new ArrayList<>();
        final List<RowOutcome> outcomes = new ArrayList<>();
        long bytes;

        Batch take(Operation operation) {
            Batch batch = new Batch(operation, records, outcomes);
            records.clear();
            outcomes.clear();
            bytes = 0;
            return batch;
        }
    }
}
