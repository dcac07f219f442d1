package dev.ebb.core.state;

/**
 * Ebb's state: snapshots, the run log, conflicts, quota counts, and the planner that diffs a model against a
 * snapshot. One implementation today, the embedded DuckDB file ({@code state.duckdb}); the engine sees only these
 * interfaces.
 *
 * <p>Implementations are thread-safe. Within a process, {@link #lock} keeps two runs of one sync from overlapping;
 * across processes the store keeps one writer at a time.
 */
public interface StateStore extends Snapshots, RunLog, ConflictLog, QuotaLedger, Planner, ServerLog, AutoCloseable {

    /** How the store was opened. */
    Access access();

    /** Marks {@code sync} as running in this process; a second caller is refused until {@link #unlock}. */
    void lock(String sync) throws StateException;

    void unlock(String sync);

    @Override
    void close();
}
