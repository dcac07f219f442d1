package dev.ebb.cli;

import dev.ebb.core.delivery.Waiter;
import dev.ebb.core.run.Progress;
import java.time.Duration;

/**
 * Waits as {@link Waiter#SYSTEM} does, first telling the progress of the command's current run how long and why,
 * so that a start held back by throttling says so instead of keeping silent. Thread-safe.
 */
final class ReportingWaiter implements Waiter {
    private volatile Progress progress = Progress.NONE;

    /** Where the next waits are told; {@link Progress#NONE} to tell nobody. */
    void reportTo(Progress progress) {
        this.progress = progress;
    }

    @Override
    public void await(Duration duration) throws InterruptedException {
        Waiter.SYSTEM.await(duration);
    }

    @Override
    public void await(Duration duration, String reason) throws InterruptedException {
        if (duration.isPositive()) progress.waiting(duration, reason);
        Waiter.SYSTEM.await(duration);
    }
}
