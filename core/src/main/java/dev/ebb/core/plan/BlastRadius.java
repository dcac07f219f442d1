package dev.ebb.core.plan;

import dev.ebb.core.config.Guard;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.config.Threshold;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.spi.RemovalBehaviour;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The blast-radius guard: a plan that removes or changes more than the sync allows waits for approval. */
public final class BlastRadius {
    /** Share of a snapshot that a sync may remove (or forget) without approval by default. */
    static final Threshold DEFAULT_MAX_REMOVED = new Threshold(BigDecimal.TEN, true);

    private BlastRadius() {
    }

    /**
     * The guard in force: the sync's own, else the safe default, for every sync. A sync that ignores removals still
     * forgets the snapshot entries of removed rows, so a model that suddenly returns nothing would make the next run
     * send the whole model again as new: forgetting is held like removing.
     */
    public static Guard guard(SyncConfig sync) {
        if (sync.guard() != null) return sync.guard();
        return new Guard(DEFAULT_MAX_REMOVED, null, sync.location());
    }

    /**
     * Whether the plan's counts could breach the guard at all: a plan that changes (under {@code max_changed}) and
     * removes nothing is never held, whatever the snapshot's size, so the snapshot need not be counted.
     */
    public static boolean couldBreach(SyncConfig sync, PlanCounts counts) {
        Guard guard = guard(sync);
        return (guard.maxRemoved() != null && counts.removed() > 0)
                || (guard.maxChanged() != null && counts.changed() > 0);
    }

    /**
     * Why the plan must wait for approval, or {@code null} when it may go. Shares are of the records the sync has
     * delivered; a first run (an empty snapshot) is never held, since it changes and removes nothing.
     */
    public static String breach(SyncConfig sync, PlanCounts counts, long snapshotSize) {
        Guard guard = guard(sync);
        if (snapshotSize == 0) return null;
        List<String> over = new ArrayList<>();
        if (guard.maxRemoved() != null && guard.maxRemoved().exceededBy(counts.removed(), snapshotSize)) {
            boolean forgets = Operations.removal(sync) == RemovalBehaviour.IGNORE;
            over.add("it " + (forgets ? "forgets" : "removes") + " " + counts.removed() + " of " + snapshotSize
                    + " records (" + Threshold.share(counts.removed(), snapshotSize) + "), over max_removed " + guard.maxRemoved());
        }
        if (guard.maxChanged() != null && guard.maxChanged().exceededBy(counts.changed(), snapshotSize)) {
            over.add("it changes " + counts.changed() + " of " + snapshotSize + " records ("
                    + Threshold.share(counts.changed(), snapshotSize) + "), over max_changed " + guard.maxChanged());
        }
        return over.isEmpty() ? null : String.join("; ", over) + " (" + guard.location() + ")";
    }
}
