package dev.ebb.server;

import dev.ebb.core.config.ConnectorCatalog;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.Redaction;
import dev.ebb.core.delivery.RateBudgets;
import dev.ebb.core.delivery.RetryPolicy;
import dev.ebb.core.delivery.Waiter;
import dev.ebb.core.plan.CatalogConnectors;
import dev.ebb.core.run.RunOptions;
import dev.ebb.core.run.SyncEngine;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import dev.ebb.server.auth.StoredTokens;
import dev.ebb.server.schedule.QuartzSchedulers;
import dev.ebb.server.schedule.QuartzSyncScheduler;
import dev.ebb.server.schedule.RunQueue;
import dev.ebb.server.schedule.SyncScheduler;
import java.time.Clock;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Builds a server over a loaded project: its state store, engine, run queue, scheduler and tokens. */
public final class EbbServers {
    private EbbServers() {
    }

    /**
     * Opens the project's state store for writing and builds the server (not started yet).
     *
     * @param env the environment secrets are resolved from
     * @throws StateException when the state store cannot be opened (in use by another process, unreadable)
     */
    public static EbbServer create(ProjectConfig project, Map<String, String> env, ServerOptions options)
            throws StateException {
        Clock clock = Clock.systemUTC();
        ConnectorCatalog catalog = ConnectorCatalog.fromServiceLoader();
        StateStore state = openState(project);
        try {
            SyncEngine engine = new SyncEngine(project, state, new CatalogConnectors(project, catalog, env, clock),
                    new RateBudgets(clock), RetryPolicy.DEFAULT, Waiter.SYSTEM, clock, RandomGenerator.getDefault());
            return create(project, state, engine, Redaction.of(project, catalog, env), options, clock,
                    QuartzSchedulers.inMemory("ebb-" + project.name(), 2));
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
    }

    /** Builds the server over an engine and store made elsewhere (tests, another store). */
    public static EbbServer create(ProjectConfig project, StateStore state, SyncEngine engine, Redaction redaction,
                                   ServerOptions options, Clock clock, QuartzSchedulers schedulers) {
        RunQueue queue = new RunQueue(ticket -> engine.run(ticket.request().sync(), ticket.request().kind(),
                ticket.progress(), new RunOptions(ticket.cancellation(), ticket.request().keys())),
                options.queue(), options.concurrency(), clock);
        SyncScheduler scheduler = new QuartzSyncScheduler(project, queue, schedulers);
        ServerContext context = new ServerContext(project, engine, state, queue, scheduler,
                new StoredTokens(state, clock), redaction, Json.mapper(), clock);
        return new EbbServer(context);
    }

    /** The project's state store, opened for writing. The seam where another store kind is chosen. */
    public static StateStore openState(ProjectConfig project) throws StateException {
        return DuckDbStateStore.open(project.root().resolve(project.state().path()), Access.READ_WRITE);
    }
}
