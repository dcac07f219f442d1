package dev.ebb.connector.duckdb;

import dev.ebb.spi.SourceException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.duckdb.DuckDBConnection;

/**
 * The connections a source that keeps Ebb's warehouse-native state lends to Ebb's SQL: the state's commits come from
 * the delivery's threads while a plan's rows are read, so each borrower needs a connection of its own, on the one
 * database instance the process may hold for the file. DuckDB keeps the file search path and the file views per
 * connection but locks the configuration of the whole database, so no connection opened after the lock could resolve
 * the model's relative paths: these are duplicated from the session and prepared with it, before the lock (see
 * {@link DuckDbSession#prepare}), a fixed number of them, and lent and given back. Thread-safe.
 */
final class StateConnections implements AutoCloseable {
    /**
     * The state's writer, and two per plan while its model is typed and loaded: enough for {@code ebb serve}'s default
     * of two runs at once with room to spare. A DuckDB connection costs little beside the database it shares.
     */
    static final int COUNT = 8;

    private final String name;
    private final List<Connection> all;
    private final Deque<Connection> idle;

    private StateConnections(String name, List<Connection> all) {
        this.name = name;
        this.all = List.copyOf(all);
        this.idle = new ArrayDeque<>(all);
    }

    /** Duplicates {@code session} {@link #COUNT} times; prepare each with the session, then {@link #of} them. */
    static List<Connection> duplicate(Connection session, String name) throws SourceException {
        List<Connection> duplicates = new ArrayList<>();
        try {
            DuckDBConnection driver = session.unwrap(DuckDBConnection.class);
            for (int i = 0; i < COUNT; i++) duplicates.add(driver.duplicate());
            return duplicates;
        } catch (SQLException e) {
            SourceException failure = new SourceException("source '" + name + "': cannot open a connection for"
                    + " Ebb's state: " + e.getMessage(), e, true);
            close(duplicates, failure);
            throw failure;
        }
    }

    /** The prepared duplicates, to lend; closing this closes them. */
    static StateConnections of(String name, List<Connection> prepared) {
        return new StateConnections(name, prepared);
    }

    /** Closes connections that will not be lent, keeping what goes wrong beside {@code failure}. */
    static void close(List<Connection> connections, Exception failure) {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException closing) {
                failure.addSuppressed(closing);
            }
        }
    }

    /**
     * An idle connection, lent until the borrower closes it.
     *
     * @throws SourceException when all of them are lent: more plans of this source run at once than it serves
     */
    synchronized Connection lend() throws SourceException {
        Connection connection = idle.poll();
        if (connection == null) {
            throw new SourceException("source '" + name + "': all " + COUNT + " of its connections for Ebb's"
                    + " warehouse-native state are in use; run fewer syncs of this source at once (ebb serve"
                    + " --concurrency)", null);
        }
        return LentConnection.of(connection, () -> giveBack(connection));
    }

    /**
     * Takes a connection back as it was lent: no transaction open, no temporary table of the borrower's left (its
     * rows would hold memory until the next borrower); the file views stay. One that cannot be reset is closed.
     */
    private void giveBack(Connection connection) throws SQLException {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            List<String> tables = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet temporary = statement.executeQuery("SELECT database_name, schema_name, table_name"
                         + " FROM duckdb_tables() WHERE temporary")) {
                while (temporary.next()) {
                    tables.add(DuckDbSession.identifier(temporary.getString(1)) + "."
                            + DuckDbSession.identifier(temporary.getString(2)) + "."
                            + DuckDbSession.identifier(temporary.getString(3)));
                }
                for (String table : tables) statement.execute("DROP TABLE " + table);
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        synchronized (this) {
            idle.push(connection);
        }
    }

    @Override
    public void close() throws SourceException {
        SourceException failure = new SourceException("source '" + name + "': closing its connections for Ebb's"
                + " state failed", null);
        close(all, failure);
        if (failure.getSuppressed().length > 0) throw failure;
    }
}
