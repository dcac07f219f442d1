package dev.ebb.core.state.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Statement;

/**
 * Publishes the run log beside the state file ({@code state.duckdb.runs.parquet}) for readers in other processes.
 * DuckDB lets one process write a database file, or several read it, never both; so while a run holds the store, a
 * reader ({@code ebb runs}) reads this copy instead, which the writer replaces after every commit of the run log: the
 * live run's committed counts, and the history before it.
 *
 * <p>The copy is written to a temporary file and renamed over the old one, so a reader sees the old copy or the new,
 * never half of one. Publishing is best effort: a failure (a full disk) never fails the commit it follows, and
 * removes the copy rather than leave a stale one. Commits close together publish once per {@link #INTERVAL_NANOS}.
 *
 * <p>Thread-safe.
 */
final class RunLogPublisher {
    /** The newest runs a reader can see while the store is in use. */
    static final int RUNS = 1_000;
    private static final long INTERVAL_NANOS = 250_000_000L;

    private final DuckDb db;
    private final Path target;
    private final Path scratch;
    private long lastNanos;
    private boolean published;

    RunLogPublisher(DuckDb db, Path stateFile) {
        this.db = db;
        this.target = publishedFile(stateFile);
        this.scratch = target.resolveSibling(target.getFileName() + ".tmp");
    }

    /** Where the run log of {@code stateFile} is published. */
    static Path publishedFile(Path stateFile) {
        Path absolute = stateFile.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + ".runs.parquet");
    }

    /**
     * Publishes the run log as committed now.
     *
     * @param force publish even if the last copy is younger than the interval (a run starts, is planned or ends)
     */
    synchronized void publish(boolean force) {
        long now = System.nanoTime();
        if (!force && published && now - lastNanos < INTERVAL_NANOS) return;
        try {
            db.read(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("COPY (SELECT * FROM runs ORDER BY run_id DESC LIMIT " + RUNS + ") TO "
                            + DuckDb.literal(scratch) + " (FORMAT parquet)");
                }
                return null;
            });
            Files.move(scratch, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            lastNanos = now;
            published = true;
        } catch (Exception e) {
            try {
                Files.deleteIfExists(scratch);
                Files.deleteIfExists(target);
            } catch (IOException ignored) {
                // a reader then hears that the store is in use, which stays true
            }
            published = false;
        }
    }
}
