package dev.ebb.server.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * When syncs run by themselves: each sync's {@code schedule:} ({@code every}, {@code cron} in a time zone,
 * {@code after} another sync, or {@code manual}), and pausing and resuming a sync. Thread-safe.
 */
public interface SyncScheduler extends AutoCloseable {
    /** Starts firing schedules. */
    void start();

    /** The next time the sync runs by itself; empty for a manual, {@code after}, or paused sync. */
    Optional<Instant> nextRun(String sync);

    /** Stops the sync's schedule (and {@code after} chains and triggers) until {@link #resume}. */
    void pause(String sync);

    void resume(String sync);

    boolean paused(String sync);

    /** Stops firing; runs already queued are the queue's. */
    @Override
    void close();
}
