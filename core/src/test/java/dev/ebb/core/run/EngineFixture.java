package dev.ebb.core.run;

import dev.ebb.core.config.FieldMapping;
import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.config.Location;
import dev.ebb.core.config.Match;
import dev.ebb.core.config.ModelConfig;
import dev.ebb.core.config.NullPolicy;
import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.Schedule;
import dev.ebb.core.config.StateConfig;
import dev.ebb.core.config.SyncConfig;
import dev.ebb.core.delivery.RateBudgets;
import dev.ebb.core.delivery.RetryPolicy;
import dev.ebb.core.delivery.Waiter;
import dev.ebb.core.plan.Connectors;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import dev.ebb.spi.Column;
import dev.ebb.spi.ColumnType;
import dev.ebb.spi.Destination;
import dev.ebb.spi.Mode;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.Source;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/** A project with one sync of a list source into a {@link MemoryDestination}, with a fake clock. */
final class EngineFixture implements AutoCloseable {
    final ListSource source = new ListSource(List.of(new Column("email", ColumnType.STRING),
            new Column("score", ColumnType.DECIMAL), new Column("plan", ColumnType.STRING)));
    final MemoryDestination destination = new MemoryDestination();
    final Path stateFile;
    final FakeClock clock = new FakeClock();
    /** Why the engine waited, in order (waits of no time left out). */
    final List<String> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
    Mode mode = Mode.UPSERT;
    RemovalBehaviour onRemoved = RemovalBehaviour.IGNORE;
    List<FieldMapping> fields = List.of(mapping("score", "score"), mapping("plan", "plan"));
    DuckDbStateStore state;
    /** The sync's own guard; {@code null} for the engine's defaults. */
    dev.ebb.core.config.Guard guard;
    /** The source entry as ebb.yaml would have it, for sync logs (the rows still come from {@link #source}). */
    dev.ebb.core.config.ConnectionConfig lake;
    /** {@code sync_logs:} of that source; {@code null} for none. */
    dev.ebb.core.config.SyncLogConfig syncLogs;
    /** The destination's {@code limits:} in ebb.yaml; {@code null} for none. */
    dev.ebb.core.config.DestinationLimits limits;
    /** The folder the project lives in. */
    final Path dir;

    EngineFixture(Path dir) throws StateException {
        this.dir = dir;
        this.stateFile = dir.resolve("state.duckdb");
        this.state = DuckDbStateStore.open(stateFile, Access.READ_WRITE);
    }

    /** A guard that never holds a plan. */
    static dev.ebb.core.config.Guard noGuard() {
        return dev.ebb.core.config.Guard.none(new Location(Path.of("syncs/people.yaml"), 12));
    }

    static FieldMapping mapping(String column, String field) {
        return new FieldMapping(column, null, field, FieldPolicy.OVERWRITE, NullPolicy.CLEAR,
                new Location(Path.of("syncs/people.yaml"), 9));
    }

    void row(String email, String score, String plan) {
        source.rows.add(new Object[]{email, score == null ? null : new BigDecimal(score), plan});
    }

    void set(String email, String score, String plan) {
        source.rows.removeIf(r -> email.equals(r[0]));
        row(email, score, plan);
    }

    ProjectConfig project() {
        Location loc = new Location(Path.of("syncs/people.yaml"), 1);
        SyncConfig sync = new SyncConfig("people", "people", List.of("email"), "crm", "people", mode, onRemoved,
                new Match("email", "email", new Location(Path.of("syncs/people.yaml"), 7)), fields,
                Schedule.MANUAL, loc, guard);
        ModelConfig model = new ModelConfig("people", "select * from people", "lake", List.of(),
                new Location(Path.of("models/people.sql"), 0));
        Map<String, dev.ebb.core.config.ConnectionConfig> destinations = limits == null ? Map.of()
                : Map.of("crm", new dev.ebb.core.config.ConnectionConfig("crm", "memory", Map.of(), loc, limits));
        if (syncLogs != null) {
            return new ProjectConfig(dir, "test", StateConfig.embeddedDefault(), Map.of("lake", lake), destinations,
                    Map.of("people", model), new TreeMap<>(Map.of("people", sync)), null, Map.of("lake", syncLogs),
                    dev.ebb.core.config.AlertsConfig.NONE);
        }
        return new ProjectConfig(Path.of("."), "test", StateConfig.embeddedDefault(), Map.of(), destinations,
                Map.of("people", model), new TreeMap<>(Map.of("people", sync)));
    }

    SyncEngine engine() {
        return engine(RetryPolicy.DEFAULT);
    }

    SyncEngine engine(RetryPolicy policy) {
        Connectors connectors = new Connectors() {
            @Override
            public Source openSource(String name) {
                return source;
            }

            @Override
            public Destination openDestination(String name) {
                return destination;
            }
        };
        ProjectConfig project = project();
        return new SyncEngine(project, state, connectors, new RateBudgets(clock), policy, waiter(), clock,
                RandomGenerator.of("L64X128MixRandom"), dev.ebb.core.synclog.SyncLogs.of(project, Map.of(), clock));
    }

    RunReportView run() throws Exception {
        return new RunReportView(engine().run("people", Progress.NONE));
    }

    /** Waits on the fake clock, keeping each wait's reason. */
    private Waiter waiter() {
        return new Waiter() {
            @Override
            public void await(Duration duration) {
                clock.advance(duration);
            }

            @Override
            public void await(Duration duration, String reason) {
                if (duration.isPositive()) waits.add(reason);
                clock.advance(duration);
            }
        };
    }

    /** A reopened state store whose writer commits through {@code committer} (a full disk, say). */
    void reopen(DuckDbStateStore.Committer committer) throws StateException {
        state.close();
        state = DuckDbStateStore.open(stateFile, Access.READ_WRITE, committer);
    }

    /** A reopened state store, as a new process would see it. */
    void reopen() throws StateException {
        state.close();
        state = DuckDbStateStore.open(stateFile, Access.READ_WRITE);
    }

    @Override
    public void close() {
        state.close();
    }

    record RunReportView(RunReport report) {
        long delivered() {
            return report.record().delivered();
        }
    }

    /** A clock that only moves when the engine waits. */
    static final class FakeClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Duration waited = Duration.ZERO;

        void advance(Duration d) {
            now = now.plus(d);
            waited = waited.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
