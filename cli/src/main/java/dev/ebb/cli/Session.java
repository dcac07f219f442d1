package dev.ebb.cli;

import dev.ebb.core.config.ConfigException;
import dev.ebb.core.config.ConnectorCatalog;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.ProjectLoader;
import dev.ebb.core.delivery.RateBudgets;
import dev.ebb.core.delivery.RetryPolicy;
import dev.ebb.core.plan.CatalogConnectors;
import dev.ebb.core.run.StateStores;
import dev.ebb.core.run.SyncEngine;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.random.RandomGenerator;

/** A loaded project with its state store and engine, for one command. */
final class Session implements AutoCloseable {
    final ProjectConfig project;
    final StateStore state;
    final SyncEngine engine;
    /** The engine's waiter: point it at a run's progress line to have its waits shown. */
    final ReportingWaiter waits;

    private Session(ProjectConfig project, StateStore state, SyncEngine engine, ReportingWaiter waits) {
        this.project = project;
        this.state = state;
        this.engine = engine;
        this.waits = waits;
    }

    /** {@code progress}, which from now on also hears the engine's waits. */
    <P extends dev.ebb.core.run.Progress> P report(P progress) {
        waits.reportTo(progress);
        return progress;
    }

    /** Thrown with the exit code a command should end with and the message to print. */
    static final class Failure extends Exception {
        final int exitCode;

        Failure(int exitCode, String message, Throwable cause) {
            super(message, cause);
            this.exitCode = exitCode;
        }
    }

    static ProjectConfig load(Path root) throws Failure {
        Path dir = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("ebb.yaml"))) {
            throw new Failure(ExitCode.INVALID, dir + " is not an Ebb project: it has no ebb.yaml (run 'ebb init' "
                    + "to create one, or pass --project DIR)", null);
        }
        try {
            return ProjectLoader.load(dir, ConnectorCatalog.fromServiceLoader());
        } catch (ConfigException e) {
            throw new Failure(ExitCode.INVALID, "the project's configuration is invalid:\n" + e.getMessage(), e);
        }
    }

    static Session open(Path root, Access access, Map<String, String> env) throws Failure {
        return open(root, access, env, false);
    }

    /**
     * Opens the project and its state store.
     *
     * @param runLogWhileInUse whether, while a run in another process writes the store, the run log it publishes
     *                         will do (for {@code ebb runs}); otherwise the command is refused with the reason
     */
    static Session open(Path root, Access access, Map<String, String> env, boolean runLogWhileInUse)
            throws Failure {
        ProjectConfig project = load(root);
        StateStore state;
        try {
            state = StateStores.open(project, access, env);
        } catch (ConfigException e) {
            throw new Failure(ExitCode.INVALID, "the state store's settings cannot be resolved:\n" + e.getMessage(), e);
        } catch (StateException e) {
            // Only the embedded store is ever in use by another process as a whole: PostgreSQL takes everyone.
            if (!(runLogWhileInUse && e.kind() == StateException.Kind.IN_USE)) {
                throw new Failure(ExitCode.UNAVAILABLE, e.getMessage(), e);
            }
            try {
                state = DuckDbStateStore.openPublished(stateFile(project));
            } catch (StateException published) {
                throw new Failure(ExitCode.UNAVAILABLE, published.getMessage(), published);
            }
        }
        Clock clock = Clock.systemUTC();
        ReportingWaiter waits = new ReportingWaiter();
        SyncEngine engine = new SyncEngine(project, state, new CatalogConnectors(project,
                ConnectorCatalog.fromServiceLoader(), env, clock), SHARED_BUDGETS, RetryPolicy.DEFAULT, waits,
                clock, RandomGenerator.getDefault());
        return new Session(project, state, engine, waits);
    }

    /** The embedded store's file; {@code null} for a PostgreSQL store. */
    static Path stateFile(ProjectConfig project) {
        if (project.state().path() == null) return null;
        return project.root().resolve(project.state().path());
    }

    /** Every sync in this process shares one budget per destination account. */
    private static final RateBudgets SHARED_BUDGETS = new RateBudgets(Clock.systemUTC());

    @Override
    public void close() {
        state.close();
    }
}
