package dev.ebb.core.state;

/**
 * Ebb's state: snapshots, the run log, conflicts, quota counts, and the planner that diffs a model against a
 * snapshot. Two implementations: the embedded DuckDB file ({@code state.duckdb}) and a PostgreSQL schema; the engine
 * sees only these interfaces.
 *
 * <p>Implementations are thread-safe. {@link #lock} keeps two runs of one sync from overlapping: within a process for
 * the embedded store (whose file admits one writing process at a time), across processes for PostgreSQL.
 */
public interface StateStore extends Snapshots, RunLog, ConflictLog, QuotaLedger, Planner, ServerLog, AutoCloseable {

    /** How the store was opened. */
    Access access();

    /**
     * Marks {@code sync} as running in this process; a second caller is refused until {@link #unlock}, with a {@link
     * StateException} of kind {@link StateException.Kind#IN_USE} when it is another process's run.
     */
    void lock(String sync) throws StateException;

    void unlock(String sync);

    @Override
    void close();
}
