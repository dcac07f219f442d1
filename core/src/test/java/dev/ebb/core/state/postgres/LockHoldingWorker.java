package dev.ebb.core.state.postgres;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.Change;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.spi.Operation;
import java.time.Instant;
import java.util.List;

/**
 * A worker process for {@code PostgresStateStoreTest}: opens the store, takes a sync's lock, starts a run, commits one
 * batch, says {@code ready <run id>} and waits to be killed.
 *
 * <p>Arguments: JDBC URL, user, schema, sync.
 */
public final class LockHoldingWorker {
    private LockHoldingWorker() {
    }

    public static void main(String[] args) throws Exception {
        PostgresStateStore store = PostgresStateStore.open(args[0], args[1], null, args[2], Access.READ_WRITE);
        store.lock(args[3]);
        long run = store.startRun(args[3], Instant.parse("2026-01-01T00:00:00Z"));
        store.commit(args[3], run, List.of(new RowOutcome("a", Change.ADDED, Operation.UPSERT, Outcome.DELIVERED,
                null, "fp-a", "a", null)), Instant.parse("2026-01-01T00:00:04Z"));
        System.out.println("ready " + run);
        System.out.flush();
        Thread.sleep(120_000); // a worker mid-run, until the test kills it
    }
}
