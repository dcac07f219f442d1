package dev.ebb.core.plan;

import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.config.ModelConfig;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.delivery.Caller;
import dev.ebb.core.state.MatchComparison;
import dev.ebb.spi.Destination;
import dev.ebb.spi.ObjectCapabilities;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceException;
import java.util.List;

/**
 * A sync bound to its source and destination, checked against both: the model's key, match and mapped columns
 * located; the object, mode, removal, match field and mapped fields known to the destination; the caller that keeps
 * to the account's budget. Owns the open source and destination, and closes them.
 *
 * @param keyColumns  the model columns of the key, in order
 * @param matchColumn the model column of the match value
 * @param spec        what, if changed, makes the snapshot's fingerprints meaningless (see {@link SyncSpec})
 */
public record BoundSync(SyncConfig sync, ModelConfig model, Source source, Destination destination,
                        ObjectCapabilities capabilities, ObjectSchema schema, Caller caller, int[] keyColumns,
                        int matchColumn, List<Binding> bindings, SyncSpec spec) implements AutoCloseable {

    public BoundSync {
        bindings = List.copyOf(bindings);
    }

    /** The destination fields mapped, in the sync's order. */
    public List<String> fieldNames() {
        return bindings.stream().map(Binding::name).toList();
    }

    /** Whether any mapping has a policy other than overwrite, so batches are read back before writing. */
    public boolean ownsFields() {
        return bindings.stream().anyMatch(b -> b.mapping().policy() != FieldPolicy.OVERWRITE);
    }

    /** How the destination compares the sync's match values. */
    public MatchComparison matching() {
        return capabilities.match().ignoresCase(sync.match().field()) ? MatchComparison.IGNORE_CASE
                : MatchComparison.EXACT;
    }

    @Override
    public void close() {
        close(source, destination);
    }

    /** Closes what a binding opened; either may be {@code null}. */
    static void close(Source source, Destination destination) {
        if (destination != null) destination.close();
        if (source != null) {
            try {
                source.close();
            } catch (SourceException ignored) {
                // nothing was written through it; a failed close loses nothing
            }
        }
    }
}
