package dev.ebb.core.run;

import java.util.Set;

/**
 * How a run goes beyond its sync and kind.
 *
 * @param cancellation checked between batches; {@link Cancellation#NEVER} for a run nobody cancels
 * @param keys         when not empty, the run delivers only these keys' planned rows (a retry of a run's failed rows);
 *                     every other planned row is left as it is, for the next run. Such a run is not held by the
 *                     blast-radius guard: it sends again only rows an earlier run already tried to send
 */
public record RunOptions(Cancellation cancellation, Set<String> keys) {
    public static final RunOptions DEFAULT = new RunOptions(Cancellation.NEVER, Set.of());

    public RunOptions {
        keys = Set.copyOf(keys);
    }

    public boolean retry() {
        return !keys.isEmpty();
    }
}
