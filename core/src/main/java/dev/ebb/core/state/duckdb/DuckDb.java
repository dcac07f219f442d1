package dev.ebb.core.state.duckdb;

import dev.ebb.core.state.StateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The open database behind a {@link DuckDbStateStore}: a connection per reader, one kept-open writer connection
 * that every commit goes through (commits come after every batch), and the sequence of snapshot-log entries.
 *
 * <p>Thread-safe: writes are serialised on the writer; readers use their own connections.
 */
final class DuckDb implements AutoCloseable {

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

    private final Connection root;
    private final Object writerLock = new Object();
    private Connection writer;
    /** The order of snapshot-log entries: the newest entry of a key wins. */
    final AtomicLong seq = new AtomicLong();

    DuckDb(Connection root) {
        this.root = root;
    }

    /** A new connection, for work that needs its own (temporary tables are per connection). */
    Connection connect() throws SQLException {
        return ((DuckDBConnection) root).duplicate();
    }

    /** Runs {@code work} on a connection of its own, closed afterwards, in auto-commit mode. */
    <T> T read(Work<T> work) throws StateException {
        try (Connection c = connect()) {
            return work.on(c);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Runs {@code action} on a connection of its own in one transaction: all of it is stored, or none. */
    void transaction(Action action) throws StateException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            action.on(c);
            c.commit();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * Runs {@code action} on the writer connection in one transaction, rolled back if it fails. Writers are
     * serialised: batch commits from concurrent senders never interleave.
     */
    void write(Action action) throws StateException {
        synchronized (writerLock) {
            try {
                if (writer == null) {
                    writer = connect();
                    writer.setAutoCommit(false);
                }
                try {
                    action.on(writer);
                    writer.commit();
                } catch (SQLException | RuntimeException e) {
                    writer.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw failed(e);
            }
        }
    }

    /** DuckDB's fast path for rows, in the connection's open transaction. */
    static DuckDBAppender appender(Connection c, String schema, String table) throws SQLException {
        return ((DuckDBConnection) c).createAppender(schema, table);
    }

    static StateException failed(SQLException e) {
        return new StateException("the state store failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            synchronized (writerLock) {
                if (writer != null) writer.close();
            }
            root.close();
        } catch (SQLException ignored) {
            // closing a DuckDB connection only fails if it is already closed
        }
    }
}
