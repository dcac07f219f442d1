package dev.ebb.core.ownership;

import dev.ebb.core.delivery.BatchWriter;
import dev.ebb.core.delivery.Caller;
import dev.ebb.core.delivery.Tally;
import dev.ebb.core.delivery.Waiter;
import dev.ebb.core.plan.BoundSync;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.Resolution;
import dev.ebb.core.state.SnapshotEntry;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settles a conflict (respect_manual_edits) as the user decides. Taking the warehouse's value writes it over the
 * person's, through the same batch writer and budget as a run (so asynchronous destinations work too), and makes the
 * field Ebb's again; keeping the destination's value makes it the base, so that Ebb writes the field again only when
 * the warehouse value changes while the person leaves it alone.
 */
public final class ConflictResolver {
    private final StateStore state;
    private final Waiter waiter;
    private final Clock clock;

    public ConflictResolver(StateStore state, Waiter waiter, Clock clock) {
        this.state = state;
        this.waiter = waiter;
        this.clock = clock;
    }

    public Conflict resolve(BoundSync bound, String key, String field, Resolution resolution)
            throws SyncException, StateException, InterruptedException {
        String sync = bound.sync().name();
        Conflict conflict = state.openConflicts(sync, key).stream().filter(c -> c.field().equals(field)).findFirst()
                .orElseThrow(() -> new SyncException(SyncException.Kind.INVALID, "there is no open conflict on "
                        + "field '" + field + "' of row " + key + " in sync '" + sync + "' (see 'ebb conflicts "
                        + sync + "')"));
        FieldSpec spec = bound.schema().field(field).orElseThrow(() -> new SyncException(
                SyncException.Kind.INVALID, "object '" + bound.sync().object() + "' no longer has field '" + field
                + "'"));
        boolean takeWarehouse = resolution == Resolution.WAREHOUSE;
        Object value = ValueHashes.lenient(takeWarehouse ? conflict.warehouseValue() : conflict.destinationValue(),
                spec);
        if (takeWarehouse) writeWarehouseValue(bound, key, field, value);
        state.resolveConflict(sync, key, field, resolution, ValueHashes.valueHash(value),
                takeWarehouse ? null : ValueHashes.valueHash(ValueHashes.lenient(conflict.warehouseValue(), spec)),
                clock.instant());
        return state.conflicts(sync, key).stream().filter(c -> c.field().equals(field)).findFirst().orElseThrow();
    }

    private void writeWarehouseValue(BoundSync bound, String key, String field, Object value)
            throws SyncException, StateException, InterruptedException {
        String sync = bound.sync().name();
        SnapshotEntry entry = state.snapshotEntry(sync, key).orElseThrow(() -> new SyncException(
                SyncException.Kind.INVALID, "row " + key + " is not in the snapshot of '" + sync + "' (it left the "
                + "model, or was never delivered), so Ebb does not write its record; keep the person's value with "
                + "--take destination"));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(field, value);
        WriteBatch write = new WriteBatch(bound.sync().object(), Operation.UPDATE, bound.sync().match().field(),
                List.of(new OutboundRecord(key, entry.matchValue() == null ? key : entry.matchValue(),
                        entry.destinationId(), fields)));
        BatchWriter writer = new BatchWriter(bound.destination(), bound.capabilities(), bound.sync().match().field(),
                bound.matching(), bound.caller(), waiter, new Tally());
        String refusal = switch (writer.write(write)) {
            case Caller.Result.GaveUp<WriteResult> gaveUp -> gaveUp.reason();
            case Caller.Result.Done<WriteResult> done -> done.value().results().stream()
                    .filter(r -> !r.accepted()).map(RecordResult::reason).findFirst()
                    .orElse(done.value().results().isEmpty() ? "no answer for the record" : null);
        };
        if (refusal != null) {
            throw new SyncException(SyncException.Kind.UNAVAILABLE, "the destination did not take the warehouse "
                    + "value, so the conflict stays open: " + refusal);
        }
    }
}
