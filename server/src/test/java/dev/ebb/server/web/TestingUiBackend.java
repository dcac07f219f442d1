package dev.ebb.server.web;

import dev.ebb.core.config.ConnectorCatalog;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.ProjectLoader;
import dev.ebb.core.config.Redaction;
import dev.ebb.core.delivery.RateBudgets;
import dev.ebb.core.delivery.RetryPolicy;
import dev.ebb.core.delivery.Waiter;
import dev.ebb.core.plan.CatalogConnectors;
import dev.ebb.core.plan.PlanReport;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.run.Progress;
import dev.ebb.core.run.SyncEngine;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.ConflictLog;
import dev.ebb.core.state.Resolution;
import dev.ebb.core.state.RunLog;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

/**
 * A {@link UiBackend} over a real engine and embedded state store, without the server's scheduler: a trigger runs the
 * sync on a virtual thread of its own, one run per sync at a time. Tokens are a fixed map. Thread-safe.
 */
final class TestingUiBackend implements UiBackend, AutoCloseable {
    final ProjectConfig project;
    final StateStore state;
    final SyncEngine engine;
    final Redaction redaction;
    final Map<String, UiUser> tokens;
    /** What operators did, as "who action target". */
    final List<String> audit = new CopyOnWriteArrayList<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    TestingUiBackend(Path projectDir, Map<String, String> env, Map<String, UiUser> tokens) throws Exception {
        ConnectorCatalog catalog = ConnectorCatalog.fromServiceLoader();
        this.project = ProjectLoader.load(projectDir, catalog);
        this.state = DuckDbStateStore.open(projectDir.resolve(project.state().path()), Access.READ_WRITE);
        Clock clock = Clock.systemUTC();
        this.engine = new SyncEngine(project, state, new CatalogConnectors(project, catalog, env, clock),
                new RateBudgets(clock), RetryPolicy.DEFAULT, Waiter.SYSTEM, clock, RandomGenerator.getDefault());
        this.redaction = Redaction.of(project, catalog, env);
        this.tokens = tokens;
    }

    @Override
    public ProjectConfig project() {
        return project;
    }

    @Override
    public RunLog runs() {
        return state;
    }

    @Override
    public ConflictLog conflicts() {
        return state;
    }

    @Override
    public Redaction redaction() {
        return redaction;
    }

    @Override
    public Optional<UiUser> authenticate(String token) {
        return Optional.ofNullable(tokens.get(token));
    }

    @Override
    public Optional<Instant> nextRun(String sync) {
        return Optional.empty();
    }

    @Override
    public boolean paused(String sync) {
        return false;
    }

    @Override
    public Optional<Long> trigger(String sync, UiUser by) throws Refused {
        if (!running.add(sync)) throw new Refused("sync " + sync + " is running already");
        audit.add(by.name() + " triggered " + sync);
        threads.add(Thread.ofVirtual().start(() -> {
            try {
                engine.run(sync, Progress.NONE);
            } catch (SyncException | InterruptedException e) {
                // the run log says how it ended
            } finally {
                running.remove(sync);
            }
        }));
        return Optional.empty();
    }

    @Override
    public void approve(long runId, UiUser by) throws Refused {
        audit.add(by.name() + " approved " + runId);
        try {
            engine.approve(runId, Progress.NONE);
        } catch (SyncException | InterruptedException e) {
            throw new Refused(e.getMessage());
        }
    }

    @Override
    public void reject(long runId, UiUser by) throws Refused {
        audit.add(by.name() + " rejected " + runId);
        try {
            engine.reject(runId);
        } catch (SyncException e) {
            throw new Refused(e.getMessage());
        }
    }

    @Override
    public void resolve(String sync, String key, String field, Resolution resolution, UiUser by) throws Refused {
        audit.add(by.name() + " resolved " + sync + " " + key + " " + field);
        try {
            engine.resolve(sync, key, field, resolution);
        } catch (SyncException | InterruptedException e) {
            throw new Refused(e.getMessage());
        }
    }

    @Override
    public PlanReport plan(String sync, int samplesPerKind) throws Refused {
        try {
            return engine.plan(sync, samplesPerKind, Progress.NONE);
        } catch (SyncException | InterruptedException e) {
            throw new Refused(e.getMessage());
        }
    }

    /** Waits for the runs this backend started. */
    void awaitRuns() throws InterruptedException {
        for (Thread t : threads) t.join();
    }

    @Override
    public void close() throws InterruptedException {
        awaitRuns();
        state.close();
    }
}
