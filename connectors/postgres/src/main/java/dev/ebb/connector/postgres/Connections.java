package dev.ebb.connector.postgres;

import dev.ebb.spi.DestinationException;
import org.postgresql.Driver;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * Connections to one database, each used for one transaction at a time, and kept for the next when the transaction
 * ended cleanly. Not a pool library on purpose: a pool that cannot connect keeps trying until its own timeout, and a
 * connector never retries; here a failed connection attempt is answered at once, and the runtime decides whether
 * to try again. Thread-safe.
 */
final class Connections implements AutoCloseable {
    /** Idle connections kept; the runtime writes at most {@link PostgresDestination#MAX_CONCURRENCY} at once. */
    private static final int MAX_IDLE = PostgresDestination.MAX_CONCURRENCY;

    private final Driver driver = new Driver();
    private final String url;
    private final Properties properties;
    private final BlockingDeque<Connection> idle = new LinkedBlockingDeque<>(MAX_IDLE);

    Connections(String url, Properties properties) {
        this.url = url;
        this.properties = properties;
    }

    /** Work done in one transaction. */
    @FunctionalInterface
    interface Transaction<T> {
        T run(Connection connection) throws SQLException, DestinationException;
    }

    /**
     * Runs {@code work} in one transaction and commits it; on a failure rolls back and classifies it. A connection
     * whose transaction failed is closed, never reused.
     */
    <T> T inTransaction(Transaction<T> work) throws DestinationException {
        Connection connection = connect();
        boolean reusable = false;
        try {
            T result = work.run(connection);
            connection.commit();
            reusable = true;
            return result;
        } catch (SQLException e) {
            rollbackQuietly(connection);
            throw SqlFailures.ofCall(e);
        } catch (DestinationException | RuntimeException e) {
            rollbackQuietly(connection);
            throw e;
        } finally {
            if (!reusable || !idle.offerFirst(connection)) closeQuietly(connection);
        }
    }

    private Connection connect() throws DestinationException {
        Connection kept = idle.pollFirst();
        if (kept != null) return kept;
        try {
            Connection connection = driver.connect(url, properties);
            if (connection == null) throw new IllegalStateException("the PostgreSQL driver refused url " + url);
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            throw SqlFailures.ofConnect(e);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The connection is closed next; the server rolls back what it had.
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // Nothing left to release on our side.
        }
    }

    @Override
    public void close() {
        for (Connection connection = idle.pollFirst(); connection != null; connection = idle.pollFirst()) {
            closeQuietly(connection);
        }
    }
}
