package dev.ebb.core.ownership;

import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.plan.Binding;
import dev.ebb.core.plan.Values;
import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.ConflictStatus;
import dev.ebb.core.state.FieldHashes;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RemoteRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The field policies (DESIGN §6) as a pure function: given a batch about to be written and its records' current
 * values, which fields each record still writes, which conflicts a person's edits make, which open conflicts no
 * longer stand, and which records are left with nothing to write.
 *
 * <p>{@code respect_manual_edits} is a three-way check: the snapshot keeps, per field, a hash of the value Ebb last
 * wrote (the base). A destination value equal to the warehouse's needs no write; one equal to the base is Ebb's to
 * change; anything else is a person's edit, kept and recorded as a conflict until it is resolved.
 */
public final class FieldOwnership {
    private FieldOwnership() {
    }

    /**
     * What the policies decide for one batch.
     *
     * @param records  what is still to write, with only the fields the policies let through
     * @param outcomes their rows, with the field hashes they will have once written
     * @param conflicts the persons' edits found
     * @param settled  the open conflicts (key, field) that no longer stand
     * @param skipped  rows left with nothing to write, answered as skipped
     */
    public record Decision(List<OutboundRecord> records, List<RowOutcome> outcomes, List<Conflict> conflicts,
                           List<Map.Entry<String, String>> settled, List<RowOutcome> skipped) {
    }

    /**
     * Applies the policies.
     *
     * @param current       the records' current values, found by {@code remoteOf} from a match value; a record
     *                      absent from it does not exist yet
     * @param openConflicts the sync's open conflicts when the run began, as key and field joined by a unit separator
     */
    public static Decision decide(String sync, long runId, Instant now, List<Binding> bindings,
                                  List<OutboundRecord> records, List<RowOutcome> outcomes,
                                  Function<String, RemoteRecord> current, Set<String> openConflicts) {
        List<OutboundRecord> toWrite = new ArrayList<>();
        List<RowOutcome> toWriteOutcomes = new ArrayList<>();
        List<Conflict> conflicts = new ArrayList<>();
        List<Map.Entry<String, String>> settled = new ArrayList<>();
        List<RowOutcome> skipped = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            OutboundRecord record = records.get(i);
            RowOutcome outcome = outcomes.get(i);
            RemoteRecord remote = current.apply(record.matchValue());
            Map<String, Object> fields = new LinkedHashMap<>(record.fields());
            Map<String, String> hashes = FieldHashes.decode(outcome.fieldHashes());
            for (Binding b : bindings) {
                String name = b.name();
                if (b.mapping().policy() == FieldPolicy.OVERWRITE || !fields.containsKey(name)) continue;
                Object ours = fields.get(name);
                Object theirs = remote == null ? null : ValueHashes.lenient(remote.fields().get(name), b.field());
                switch (b.mapping().policy()) {
                    case OVERWRITE -> {
                    }
                    case IF_EMPTY -> {
                        if (remote != null && !ValueHashes.empty(theirs)) fields.remove(name);
                    }
                    case CREATE_ONLY -> {
                        if (remote != null) fields.remove(name);
                    }
                    case RESPECT_MANUAL_EDITS -> {
                        if (remote == null) {
                            hashes.put(name, ValueHashes.valueHash(ours)); // a new record: every field is Ebb's
                            continue;
                        }
                        Conflict conflict = respectManualEdits(sync, runId, now, record.key(), name, ours, theirs,
                                fields, hashes);
                        if (conflict != null) {
                            conflicts.add(conflict);
                        } else if (openConflicts.contains(record.key() + '\u001f' + name)) {
                            settled.add(Map.entry(record.key(), name));
                        }
                    }
                }
            }
            RowOutcome decided = new RowOutcome(outcome.key(), outcome.change(), outcome.operation(),
                    outcome.outcome(), outcome.reason(), outcome.fingerprint(), outcome.matchValue(),
                    remote != null && outcome.destinationId() == null ? remote.destinationId()
                            : outcome.destinationId(), FieldHashes.encode(hashes), outcome.payload(), outcome.quick());
            boolean nothingLeft = fields.isEmpty() && !record.fields().isEmpty();
            if (nothingLeft && remote != null) {
                skipped.add(new RowOutcome(decided.key(), decided.change(), null, Outcome.SKIPPED,
                        "nothing to write: every field is kept by its policy", decided.fingerprint(),
                        decided.matchValue(), decided.destinationId(), decided.fieldHashes(), decided.payload(),
                        decided.quick()));
                continue;
            }
            toWrite.add(new OutboundRecord(record.key(), record.matchValue(), record.destinationId(), fields));
            toWriteOutcomes.add(decided);
        }
        return new Decision(toWrite, toWriteOutcomes, conflicts, settled, skipped);
    }

    /**
     * The three-way check of one field; updates {@code fields} (drops what is not written) and {@code hashes}.
     *
     * @return the conflict a person's edit makes, or {@code null}
     */
    private static Conflict respectManualEdits(String sync, long runId, Instant now, String key, String name,
                                               Object ours, Object theirs, Map<String, Object> fields,
                                               Map<String, String> hashes) {
        String oursHash = ValueHashes.valueHash(ours);
        String theirsHash = ValueHashes.valueHash(theirs);
        String base = hashes.get(name);
        String keptAgainst = hashes.get(FieldHashes.keptAgainst(name));
        if (theirsHash.equals(oursHash)) {
            fields.remove(name); // already what the warehouse says
            hashes.put(name, oursHash);
            hashes.remove(FieldHashes.keptAgainst(name));
        } else if (oursHash.equals(keptAgainst) && theirsHash.equals(base)) {
            // Resolved for the person's value over this very warehouse value: it stays until the warehouse says
            // something new (another column changing is no reason).
            fields.remove(name);
        } else if (base == null ? ValueHashes.empty(theirs) : base.equals(theirsHash)) {
            hashes.put(name, oursHash); // untouched since Ebb wrote it: Ebb's to change
            hashes.remove(FieldHashes.keptAgainst(name));
        } else {
            // A person changed it: keep theirs, keep the old base, and say so.
            fields.remove(name);
            return new Conflict(sync, key, name, base, theirs == null ? null : Values.text(theirs),
                    ours == null ? null : Values.text(ours), runId, now, ConflictStatus.OPEN, null);
        }
        return null;
    }
}
