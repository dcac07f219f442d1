package dev.ebb.testkit;

import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.WriteBatch;
import dev.ebb.spi.WriteResult;
import dev.ebb.spi.WriteStep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Drives a write the way the runtime does (core's engine: call {@link Destination#start}; while the step is
 * {@link WriteStep.Pending}, wait {@link WriteStep.Pending#after()}, then {@link Destination#resume}), for tests that
 * need a write's result and not its steps. It never sleeps: a wait is handed to a callback (a {@link ManualClock}'s
 * {@code advance}, so that a sandbox's jobs progress on the test's clock), or skipped.
 *
 * <p>No retries: a step that throws ends the drive with that exception, as a test wants to see it.
 */
public final class Steps {
    /** More calls than any test write needs; reaching it means a job never ended. */
    public static final int MAX_CALLS = 1_000;

    private Steps() {
    }

    /**
     * A driven write.
     *
     * @param result  the {@link WriteStep.Done} step's result
     * @param calls   how many calls it took: one {@code start} and one per {@code resume}
     * @param pending every pending step on the way, in order
     */
    public record Completed(WriteResult result, int calls, List<WriteStep.Pending> pending) {
        public Completed {
            Objects.requireNonNull(result, "result");
            pending = List.copyOf(pending);
        }
    }

    /** Writes {@code batch} to the end with zero waits between the steps, and returns its result. */
    public static WriteResult complete(Destination destination, WriteBatch batch) throws DestinationException {
        return drive(destination, batch, wait -> { }).result();
    }

    /** Writes {@code batch} to the end, handing each step's wait to {@code waiter} before resuming. */
    public static WriteResult complete(Destination destination, WriteBatch batch, Consumer<Duration> waiter)
            throws DestinationException {
        return drive(destination, batch, waiter).result();
    }

    /** Writes {@code batch} to the end, handing each step's wait to {@code waiter}; says how many calls it took. */
    public static Completed drive(Destination destination, WriteBatch batch, Consumer<Duration> waiter)
            throws DestinationException {
        WriteStep step = destination.start(batch);
        int calls = 1;
        List<WriteStep.Pending> pending = new ArrayList<>();
        while (true) {
            switch (step) {
                case WriteStep.Done done -> {
                    return new Completed(done.result(), calls, pending);
                }
                case WriteStep.Pending next -> {
                    if (calls >= MAX_CALLS) {
                        throw new AssertionError("the write did not finish in " + MAX_CALLS + " calls; last step: "
                                + next.description());
                    }
                    pending.add(next);
                    waiter.accept(next.after());
                    step = destination.resume(next);
                    calls++;
                }
            }
        }
    }
}
