package dev.ebb.server;

import dev.ebb.core.config.ConfigException;
import dev.ebb.core.config.ConnectorCatalog;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.Redaction;
import dev.ebb.core.delivery.RateBudgets;
import dev.ebb.core.delivery.RetryPolicy;
import dev.ebb.core.delivery.Waiter;
import dev.ebb.core.plan.CatalogConnectors;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.run.RunKind;
import dev.ebb.core.run.RunOptions;
import dev.ebb.core.run.RunReport;
import dev.ebb.core.run.StateStores;
import dev.ebb.core.run.SyncEngine;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.postgres.PostgresRateLedger;
import dev.ebb.core.state.postgres.PostgresStateStore;
import dev.ebb.server.cluster.ClusteredSchedulers;
import dev.ebb.server.auth.StoredTokens;
import dev.ebb.server.schedule.QuartzSchedulers;
import dev.ebb.server.schedule.QuartzSyncScheduler;
import dev.ebb.server.schedule.RunQueue;
import dev.ebb.server.schedule.RunTicket;
import dev.ebb.server.schedule.SyncScheduler;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
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
        return create(project, env, options, Clock.systemUTC());
    }

    /** Like {@link #create(ProjectConfig, Map, ServerOptions)} on {@code clock} (tokens' expiry, the run log). */
    public static EbbServer create(ProjectConfig project, Map<String, String> env, ServerOptions options, Clock clock)
            throws StateException {
        return create(project, env, options, clock, ClusteredSchedulers.Timing.DEFAULT);
    }

    /**
     * As {@link #create(ProjectConfig, Map, ServerOptions, Clock)}; on a PostgreSQL state store the server is one of
     * the project's workers: its schedule is Quartz's clustered store in the state store, swept for abandoned runs at
     * {@code cluster}'s pace, and its calls are booked in the store's rate ledger.
     */
    public static EbbServer create(ProjectConfig project, Map<String, String> env, ServerOptions options, Clock clock,
                                   ClusteredSchedulers.Timing cluster) throws StateException {
        ConnectorCatalog catalog = ConnectorCatalog.fromServiceLoader();
        StateStore state = openState(project, env);
        try {
            // Workers on one PostgreSQL store share each account's rate budget through its ledger.
            RateBudgets budgets = state instanceof PostgresStateStore postgres
                    ? new RateBudgets(clock, PostgresRateLedger.of(postgres)) : new RateBudgets(clock);
            SyncEngine engine = new SyncEngine(project, state, new CatalogConnectors(project, catalog, env, clock),
                    budgets, RetryPolicy.DEFAULT, Waiter.SYSTEM, clock, RandomGenerator.getDefault());
            QuartzSchedulers clustered = ClusteredSchedulers.on(project, state, 2, cluster);
            return create(project, state, engine, budgets, env, Redaction.of(project, catalog, env), options, clock,
                    clustered != null ? clustered : QuartzSchedulers.inMemory("ebb-" + project.name(), 2));
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
    }

    /** Builds the server over an engine and store made elsewhere (tests, another store). */
    public static EbbServer create(ProjectConfig project, StateStore state, SyncEngine engine, RateBudgets budgets,
                                   Map<String, String> env, Redaction redaction, ServerOptions options, Clock clock,
                                   QuartzSchedulers schedulers) {
        RunQueue queue = new RunQueue(ticket -> run(engine, ticket), options.queue(), options.concurrency(), clock);
        SyncScheduler scheduler = new QuartzSyncScheduler(project, queue, schedulers);
        ServerContext context = new ServerContext(project, engine, state, queue, scheduler,
                new StoredTokens(state, clock), redaction, Json.mapper(), clock, budgets, Map.copyOf(env));
        return new EbbServer(context);
    }

    private static RunReport run(SyncEngine engine, RunTicket ticket) throws SyncException, InterruptedException {
        RunTicket.Request r = ticket.request();
        return switch (r.action()) {
            case RUN -> engine.run(r.sync(), RunKind.CHANGES, ticket.progress(),
                    new RunOptions(ticket.cancellation(), Set.of()));
            case RETRY -> engine.run(r.sync(), RunKind.CHANGES, ticket.progress(),
                    new RunOptions(ticket.cancellation(), r.keys()));
            case APPROVE -> engine.approve(r.ofRun(), ticket.progress(), ticket.cancellation());
        };
    }

    /** The project's state store, opened for writing. The seam where another store kind is chosen. */
    public static StateStore openState(ProjectConfig project) throws StateException {
        return openState(project, System.getenv());
    }

    /** The project's state store, opened for writing; a PostgreSQL store's secrets are resolved from {@code env}. */
    public static StateStore openState(ProjectConfig project, Map<String, String> env) throws StateException {
        try {
            return StateStores.open(project, Access.READ_WRITE, env);
        } catch (ConfigException e) {
            throw new StateException("the state store's settings cannot be used: " + e.getMessage(), e);
        }
    }
}
