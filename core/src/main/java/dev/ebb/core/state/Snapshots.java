package dev.ebb.core.state;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What each sync last delivered: per key, a fingerprint of the mapped values (never the values, but for add_remove
 * syncs, whose removals send them again: see {@link RowOutcome#payload()}), the match value,
 * the destination's id and the hashes of owned fields; and the sync's spec, whose change makes the fingerprints
 * meaningless. The snapshot advances only through {@link #commit}, batch by batch, for acknowledged rows.
 */
public interface Snapshots {

    /** The hash of the mapping, mode and identifier the snapshot was built with, if any. */
    Optional<String> specHash(String sync) throws StateException;

    /** Records the sync's spec, keeping the snapshot's fingerprints (a first run, or the same spec). */
    void saveSpec(String sync, String specHash, String spec, Instant now) throws StateException;

    /**
     * Records a changed spec and forgets every fingerprint of the sync (keys and destination ids stay), so that the
     * next plan sends every row again under the new spec.
     */
    void replaceSpec(String sync, String specHash, String spec, Instant now) throws StateException;

    /**
     * Forgets the sync's snapshot and spec: its next run is a full sync. The hashes of the values Ebb last wrote to
     * owned fields stay, so that the full sync does not take Ebb's own writes for a person's edits. Returns the
     * entries forgotten.
     */
    long reset(String sync) throws StateException;

    Optional<SnapshotEntry> snapshotEntry(String sync, String key) throws StateException;

    long snapshotSize(String sync) throws StateException;

    /**
     * Records, before a batch is sent, that its rows are in flight: from now on the destination may hold what the
     * batch carries whatever the snapshot says, until {@link #commit} advances the snapshot for them. A process that
     * dies mid-call, or an answer lost after the vendor applied the write, leaves the marks behind, and the next plan
     * sends those rows again (or removes their records) even if the model went back to the snapshot's values in the
     * meantime, or dropped a row whose record the snapshot never knew.
     *
     * <p>A row already marked by an earlier run keeps that mark: that attempt's effect is still unknown.
     *
     * @param rows the batch's rows: their keys and the match values they are sent with
     */
    void markInFlight(String sync, long runId, List<RowOutcome> rows) throws StateException;

    /**
     * Records the outcomes of one batch (or of rows never sent) and advances the snapshot for the rows the
     * destination acknowledged, in one transaction: all of it is stored, or none.
     *
     * <p>Delivered rows with a fingerprint replace their snapshot entry; delivered removals, and removals that needed
     * no call, drop it. Every other outcome leaves the entry as it was, so the next run plans the row again. Where the
     * snapshot advances, the row's in-flight mark goes. A rejection settles only the mark this run made (the vendor
     * refused this write, so it changed nothing); a failed row keeps its mark, since its call may have landed.
     */
    void commit(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException;

    /**
     * Commits the outcomes of a replace the destination completed ({@code ebb run --replace}) and, in the same
     * transaction, forgets every other entry of the sync and every in-flight mark: the replace made the object's
     * membership exactly the rows it accepted, so the snapshot becomes exactly those.
     */
    void commitReplace(String sync, long runId, List<RowOutcome> outcomes, Instant now) throws StateException;
}
