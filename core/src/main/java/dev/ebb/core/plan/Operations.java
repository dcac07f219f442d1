package dev.ebb.core.plan;

import dev.ebb.core.config.NullPolicy;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.state.Change;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.spi.Mode;
import dev.ebb.spi.Operation;
import dev.ebb.spi.RemovalBehaviour;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What each planned row becomes under the sync's mode: the operation, and the fields it sends. */
public final class Operations {
    private Operations() {
    }

    /** What a removed row does: a mirror or an audience deletes, whatever {@code on_removed} says. */
    public static RemovalBehaviour removal(SyncConfig sync) {
        boolean deletes = sync.mode() == Mode.MIRROR || sync.mode() == Mode.ADD_REMOVE;
        return deletes ? RemovalBehaviour.DELETE : sync.onRemoved();
    }

    /** The write a planned row becomes under the sync's mode, or empty when it needs no call. */
    public static Optional<Operation> operation(SyncConfig sync, PlannedRow row) {
        return switch (row.change()) {
            case ADDED -> Optional.of(switch (sync.mode()) {
                case UPSERT, MIRROR, ADD_REMOVE -> Operation.UPSERT;
                case UPDATE -> Operation.UPDATE;
                case INSERT -> Operation.CREATE;
            });
            case CHANGED -> switch (sync.mode()) {
                case UPSERT, MIRROR, ADD_REMOVE -> Optional.of(Operation.UPSERT);
                case UPDATE -> Optional.of(Operation.UPDATE);
                case INSERT -> Optional.empty();
            };
            // A removed row whose match value now belongs to another row must not touch that row's record.
            case REMOVED -> row.rematched() ? Optional.empty() : switch (removal(sync)) {
                case IGNORE -> Optional.empty();
                case CLEAR_FIELDS -> Optional.of(Operation.UPDATE);
                case DELETE -> Optional.of(Operation.DELETE);
            };
            case NONE -> Optional.empty();
        };
    }

    /** Why a planned row needs no call. */
    public static String skipReason(SyncConfig sync, Change change) {
        return switch (change) {
            case CHANGED -> "mode insert never updates a record it created";
            case REMOVED -> removal(sync) == RemovalBehaviour.IGNORE ? "on_removed: ignore"
                    : "another row of the model now has this match value";
            case ADDED, NONE -> "nothing to send";
        };
    }

    /**
     * Whether a changed row is first removed with the values last delivered for it, then added with its new ones:
     * an audience (mode add_remove) holds members, not records to update in place. A row whose delivered values are
     * unknown (a snapshot written before they were kept) is only added.
     */
    public static boolean removedFirst(SyncConfig sync, PlannedRow row) {
        return sync.mode() == Mode.ADD_REMOVE && row.change() == Change.CHANGED && row.delivered() != null;
    }

    /**
     * The fields a planned row sends for {@code op}: its values now; for a delete, nothing, except in an add_remove
     * sync, whose removal carries the values last delivered for the row (see {@link dev.ebb.spi.OutboundRecord}).
     */
    public static Map<String, Object> fields(BoundSync bound, Operation op, PlannedRow row) {
        if (op == Operation.DELETE) {
            boolean audience = bound.sync().mode() == Mode.ADD_REMOVE;
            return audience && row.delivered() != null ? sent(bound, Payload.decode(row.delivered())) : Map.of();
        }
        if (row.payload() == null) {
            // on_removed: clear_fields — every mapped field but the one that identifies the record.
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Binding b : bound.bindings()) {
                if (!b.name().equals(bound.sync().match().field())) fields.put(b.name(), null);
            }
            return fields;
        }
        return sent(bound, Payload.decode(row.payload()));
    }

    /** The fields a row with these converted values sends: every mapped field, but nulls the mapping skips. */
    public static Map<String, Object> sent(BoundSync bound, Map<String, Object> values) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Binding b : bound.bindings()) {
            Object value = values.get(b.name());
            if (value == null && b.mapping().nulls() == NullPolicy.SKIP) continue;
            fields.put(b.name(), value);
        }
        return fields;
    }
}
