package dev.ebb.core.state.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.Change;
import dev.ebb.core.state.MatchComparison;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.Replan;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.StateException;
import dev.ebb.spi.Operation;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the PostgreSQL store does beyond the contract: several stores (processes) on one database, migrations, and
 * what it says when the server cannot be used.
 */
class PostgresStateStoreTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String DB = EmbeddedPostgresExtension.DEFAULT_DATABASE;

    private String schema;

    @BeforeEach
    void newSchema() {
        schema = "ebb_" + SCHEMAS.incrementAndGet();
    }

    private PostgresStateStore open(Access access) throws StateException {
        return PostgresStateStore.open(POSTGRES.jdbcUrl(DB), EmbeddedPostgresExtension.ADMIN_USER, null, schema,
                access);
    }

    private static RowOutcome delivered(String key) {
        return new RowOutcome(key, Change.ADDED, Operation.UPSERT, Outcome.DELIVERED, null, "fp-" + key, key, null);
    }

    private long count(String sql) throws Exception {
        try (Connection c = POSTGRES.admin(DB); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void anEmptySchemaIsMigratedOnceAndOpeningAgainChangesNothing() throws Exception {
        open(Access.READ_WRITE).close();
        open(Access.READ_WRITE).close();
        open(Access.READ_ONLY).close();

        assertThat(count("SELECT count(*) FROM " + schema + ".flyway_schema_history WHERE success AND version = '1'"))
                .isEqualTo(1);
        // The rate ledger's and Quartz's tables (V10, V11: the workers' migrations) are counted apart.
        assertThat(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema + "'"
                + " AND table_name NOT LIKE 'rate\\_%' AND table_name NOT LIKE 'qrtz\\_%'"))
                .as("Ebb's nine tables, ebb serve's two (V20: api_tokens, audit_log) and Flyway's history")
                .isEqualTo(12);
    }

    @Test
    void aSchemaMigratedByANewerEbbIsRefusedAndLeftAlone() throws Exception {
        open(Access.READ_WRITE).close();
        POSTGRES.execute(DB, "INSERT INTO " + schema + ".flyway_schema_history (installed_rank, version, description,"
                + " type, script, installed_by, execution_time, success) VALUES (99, '99', 'future', 'SQL',"
                + " 'V99__future.sql', 'ebb', 1, true)");

        assertThatThrownBy(() -> open(Access.READ_WRITE))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("was migrated by a newer version of Ebb (V99 are unknown to this one)")
                .satisfies(e -> assertThat(((StateException) e).kind()).isEqualTo(StateException.Kind.NEWER));
    }

    @Test
    void aSyncRunningInOneProcessIsRefusedToAnotherUntilItsLockGoes() throws Exception {
        try (PostgresStateStore worker = open(Access.READ_WRITE); PostgresStateStore other = open(Access.READ_WRITE)) {
            worker.lock("people");
            assertThatThrownBy(() -> other.lock("people"))
                    .hasMessageContaining("sync 'people' is running in another Ebb process")
                    .satisfies(e -> assertThat(((StateException) e).kind()).isEqualTo(StateException.Kind.IN_USE));
            other.lock("accounts");
            worker.unlock("people");
            other.lock("people");
            other.unlock("people");
            other.unlock("accounts");
        }
    }

    @Test
    void onlyRunsWhoseOwnerLostTheLockAreClosedAsAbandoned() throws Exception {
        try (PostgresStateStore other = open(Access.READ_WRITE)) {
            long run;
            try (PostgresStateStore worker = open(Access.READ_WRITE)) {
                worker.lock("people");
                run = worker.startRun("people", T0);
                worker.commit("people", run, List.of(delivered("a")), T0.plusSeconds(3));

                assertThat(other.closeAbandonedRuns("people", T0.plusSeconds(5))).as("its owner holds the lock")
                        .isZero();
                assertThat(other.run(run).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
                assertThat(other.run(run).orElseThrow().delivered()).as("followed by its commits").isEqualTo(1);
            }
            // the worker's process is gone, and its lock with its connection: PostgreSQL lets the lock go when the
            // backend ends, which is after the client has closed the connection
            assertThat(statusWithin(other, run, RunStatus.ABANDONED, 10_000)).isEqualTo(RunStatus.ABANDONED);
            other.lock("people");
            assertThat(other.closeAbandonedRuns("people", T0.plusSeconds(60))).isEqualTo(1);
            assertThat(other.run(run).orElseThrow().finishedAt()).isEqualTo(T0.plusSeconds(3));
        }
    }

    @Test
    void aWorkerWhoseConnectionDiesLosesItsLeaseToTheNext() throws Exception {
        try (PostgresStateStore worker = open(Access.READ_WRITE); PostgresStateStore next = open(Access.READ_WRITE)) {
            worker.lock("people");
            long run = worker.startRun("people", T0);
            POSTGRES.execute(DB, "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                    + " WHERE application_name = 'ebb-locks' AND pid = (SELECT owner_pid FROM " + schema
                    + ".runs WHERE run_id = " + run + ")");

            next.lock("people");
            assertThat(next.closeAbandonedRuns("people", T0.plusSeconds(9))).isEqualTo(1);
        }
    }

    @Test
    void aPlanAndTheRunLogCanBeReadWhileARunGoes() throws Exception {
        try (PostgresStateStore worker = open(Access.READ_WRITE)) {
            worker.lock("people");
            long run = worker.startRun("people", T0);
            worker.recordPlan(run, new PlanCounts(2, 2, 0, 0, 0, 0));
            worker.commit("people", run, List.of(delivered("a")), T0.plusSeconds(1));

            try (PostgresStateStore reader = open(Access.READ_ONLY); PlanSession plan = reader.plan("people")) {
                plan.add("a", "fp-a", "a", "p", null);
                plan.add("b", "fp-b", "b", "p", null);
                assertThat(plan.diff(Replan.CHANGES_ONLY, MatchComparison.EXACT).added()).isEqualTo(1);
                assertThat(reader.runs("people", 1).getFirst().status()).isEqualTo(RunStatus.RUNNING);
                assertThatThrownBy(() -> reader.reset("people")).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void aWrongPasswordIsToldApartFromAnUnreachableServerAndNeverShown() throws Exception {
        POSTGRES.createRole("ebb_writer", "right-password");
        assertThatThrownBy(() -> PostgresStateStore.open(POSTGRES.jdbcUrl(DB), "ebb_writer", "wrong-password",
                schema, Access.READ_WRITE))
                .hasMessageContaining("refused the sign-in of user 'ebb_writer'")
                .hasMessageContaining("check state.user and state.password")
                .hasMessageNotContaining("wrong-password")
                .satisfies(e -> assertThat(((StateException) e).kind()).isEqualTo(StateException.Kind.DENIED));

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> PostgresStateStore.open("jdbc:postgresql://localhost:" + closed + "/ebb", "ebb",
                "secret", schema, Access.READ_WRITE))
                .hasMessageContaining("cannot reach the PostgreSQL server of the state store at localhost:" + closed
                        + "/ebb")
                .satisfies(e -> assertThat(((StateException) e).kind()).isEqualTo(StateException.Kind.UNREACHABLE));

        assertThatThrownBy(() -> PostgresStateStore.open(POSTGRES.jdbcUrl("nowhere"),
                EmbeddedPostgresExtension.ADMIN_USER, null, schema, Access.READ_WRITE))
                .hasMessageContaining("the database 'nowhere' of the state store does not exist");
    }

    @Test
    void aUserWhoMayNotCreateTheSchemaIsToldWhatToAskFor() throws Exception {
        POSTGRES.createRole("ebb_reader", "pw");
        assertThatThrownBy(() -> PostgresStateStore.open(POSTGRES.jdbcUrl(DB), "ebb_reader", "pw", schema,
                Access.READ_WRITE))
                .hasMessageContaining("user 'ebb_reader' lacks a right on schema " + schema)
                .hasMessageContaining("CREATE SCHEMA IF NOT EXISTS " + schema + " AUTHORIZATION ebb_reader")
                .satisfies(e -> assertThat(((StateException) e).kind()).isEqualTo(StateException.Kind.DENIED));

        POSTGRES.execute(DB, "CREATE SCHEMA " + schema + " AUTHORIZATION ebb_reader");
        PostgresStateStore.open(POSTGRES.jdbcUrl(DB), "ebb_reader", "pw", schema, Access.READ_WRITE).close();
    }

    @Test
    void aWorkerProcessKilledMidRunLosesItsLockAndOnlyItsRunIsClosed() throws Exception {
        String launcher = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(launcher, "-cp", System.getProperty("java.class.path"),
                LockHoldingWorker.class.getName(), POSTGRES.jdbcUrl(DB), EmbeddedPostgresExtension.ADMIN_USER, schema,
                "people").redirectErrorStream(true).start();
        try (PostgresStateStore next = open(Access.READ_WRITE);
             BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                     StandardCharsets.UTF_8))) {
            String line;
            do {
                line = lines.readLine();
            } while (line != null && !line.startsWith("ready "));
            assertThat(line).as("the worker started its run").isNotNull();
            long run = Long.parseLong(line.substring("ready ".length()));

            assertThatThrownBy(() -> next.lock("people")).hasMessageContaining("running in another Ebb process");
            assertThat(next.closeAbandonedRuns("people", T0)).as("the worker is alive").isZero();

            // SIGKILL: no shutdown hook, no close; the server notices the connection go and drops its locks.
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String held = "SELECT count(*) FROM pg_locks l JOIN " + schema + ".runs r ON l.pid = r.owner_pid"
                    + " WHERE r.run_id = " + run + " AND l.locktype = 'advisory'";
            for (int i = 0; i < 100 && count(held) > 0; i++) Thread.sleep(50); // the backend sees its client go

            next.lock("people");
            assertThat(next.closeAbandonedRuns("people", T0.plusSeconds(60))).isEqualTo(1);
            assertThat(next.run(run).orElseThrow().finishedAt()).as("at its last commit")
                    .isEqualTo(Instant.parse("2026-01-01T00:00:04Z"));
            assertThat(next.snapshotSize("people")).as("what it committed stays").isEqualTo(1);
        } finally {
            child.destroyForcibly();
        }
    }

    /** The run's status once it is {@code expected}, or as it is after {@code millis}. */
    private static RunStatus statusWithin(PostgresStateStore store, long run, RunStatus expected, long millis)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        RunStatus status = store.run(run).orElseThrow().status();
        while (status != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            status = store.run(run).orElseThrow().status();
        }
        return status;
    }
}
