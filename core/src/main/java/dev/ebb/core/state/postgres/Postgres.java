package dev.ebb.core.state.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.ebb.core.state.StateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The pool of connections behind a {@link PostgresStateStore}, every one with the store's schema as its search path,
 * and the one place its failures are told apart ({@link PostgresFailures}).
 *
 * <p>Thread-safe. Each unit of work borrows a connection and gives it back; {@link #transaction} commits all of its
 * work or none. Nothing here waits or retries: a failed statement fails the call.
 */
final class Postgres implements AutoCloseable {

    /** Work on a connection that may fail with an {@link SQLException}. */
    @FunctionalInterface
    interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    /** Work that returns nothing. */
    @FunctionalInterface
    interface Action {
        void on(Connection connection) throws SQLException;
    }

    /** A pool large enough for a run's four batches in flight, its plan, and a reader beside them. */
    static final int POOL_SIZE = 8;

    private final HikariDataSource pool;
    private final boolean readOnly;
    final PostgresFailures failures;

    private Postgres(HikariDataSource pool, boolean readOnly, PostgresFailures failures) {
        this.pool = pool;
        this.readOnly = readOnly;
        this.failures = failures;
    }

    /**
     * Opens the pool; its first connection is made now, so that an unreachable server or a refused sign-in is told
     * at once, in the words of {@link PostgresFailures}.
     */
    static Postgres open(PostgresFailures failures, String url, String user, String password, String schema,
                         boolean readOnly) throws StateException {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ebb-state");
        config.setJdbcUrl(url);
        config.setUsername(user);
        if (password != null) config.setPassword(password);
        config.setSchema(schema);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        // The first connection decides: fail at open, never later in the middle of a run.
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(10_000);
        config.addDataSourceProperty("ApplicationName", "ebb");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        try {
            return new Postgres(new HikariDataSource(config), readOnly, failures);
        } catch (HikariPool.PoolInitializationException e) {
            throw failures.opening(e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e));
        }
    }

    /** The pool, for Flyway's migrations. */
    javax.sql.DataSource dataSource() {
        return pool;
    }

    /** A connection of the pool; the caller closes it (which gives it back). */
    Connection connect() throws SQLException {
        return pool.getConnection();
    }

    /** Runs {@code work} on a connection of the pool, in auto-commit mode: each statement stands alone. */
    <T> T read(Work<T> work) throws StateException {
        try (Connection c = connect()) {
            return work.on(c);
        } catch (SQLException e) {
            throw failures.failed(e);
        }
    }

    /** Runs {@code action} in one transaction: all of it is stored, or none. Refused on a store opened read-only. */
    void transaction(Action action) throws StateException {
        if (readOnly) {
            throw new IllegalStateException("the state store was opened read-only; this command writes nothing");
        }
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                action.on(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failures.failed(e);
        }
    }

    /** An instant as PostgreSQL's {@code timestamptz} takes it. */
    static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    @Override
    public void close() {
        pool.close();
    }
}
