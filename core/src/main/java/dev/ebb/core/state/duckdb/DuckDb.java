package dev.ebb.core.state.duckdb;

import dev.ebb.core.state.StateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import dev.ebb.spi.DuckDbAttachment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    private final DuckDbStateStore.Committer committer;
    private final Object writerLock = new Object();
    private Connection writer;
    /** The order of snapshot-log entries: the newest entry of a key wins. */
    final AtomicLong seq = new AtomicLong();

    DuckDb(Connection root) {
        this(root, Connection::commit);
    }

    DuckDb(Connection root, DuckDbStateStore.Committer committer) {
        this.root = root;
        this.committer = committer;
    }

    /** The folders and files models may read once the database hosts plans of DuckDB sources; null until then. */
    private List<String> admittedDirectories;
    private List<String> admittedPaths;
    /** The store's file, or null for a store in memory. */
    private java.nio.file.Path file;

    void file(java.nio.file.Path file) {
        this.file = file;
    }

    /**
     * Lets this database run the models of a DuckDB source, under the source's own lockdown: the first source's
     * readable folders and files (with the store's own folder) become the only ones this database may touch, and
     * external access is off from then on (DuckDB cannot widen it again). Returns why a later source, which needs
     * more, cannot be admitted; its plan then runs in the JVM.
     */
    synchronized Optional<String> admit(DuckDbAttachment source) throws SQLException {
        List<String> directories = new ArrayList<>(source.allowedDirectories());
        List<String> paths = new ArrayList<>(source.allowedPaths());
        source.database().ifPresent(database -> paths.add(database.toAbsolutePath().toString()));
        if (admittedDirectories != null) {
            return admittedDirectories.containsAll(directories) && admittedPaths.containsAll(paths) ? Optional.empty()
                    : Optional.of("the state store's DuckDB already reads the files of another source, and DuckDB"
                    + " cannot let it read more");
        }
        List<String> all = new ArrayList<>(directories);
        if (file != null) {
            java.nio.file.Path folder = file.toAbsolutePath().getParent();
            all.add(folder + folder.getFileSystem().getSeparator());
        }
        try (Statement st = root.createStatement()) {
            st.execute("SET allowed_directories = " + list(all));
            if (!paths.isEmpty()) st.execute("SET allowed_paths = " + list(paths));
            st.execute("SET enable_external_access = false");
        }
        admittedDirectories = all;
        admittedPaths = paths;
        return Optional.empty();
    }

    private static String list(List<String> values) {
        return "[" + String.join(", ", values.stream().map(v -> "'" + v.replace("'", "''") + "'").toList()) + "]";
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
            begin(c);
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
                    begin(writer);
                    action.on(writer);
                    committer.commit(writer);
                } catch (SQLException | RuntimeException e) {
                    rollback(e);
                    throw e;
                }
            } catch (SQLException e) {
                throw failed(e);
            }
        }
    }

    /**
     * Opens the connection's transaction with a statement. DuckDB's JDBC driver begins a transaction only when a
     * statement runs; an appender used first commits its rows by itself, outside the transaction that follows, so a
     * failure later in it (a full disk) would keep half a commit.
     */
    private static void begin(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT 1");
        }
    }

    /**
     * Rolls the writer's transaction back after {@code failure}. A failed commit (a full disk) has rolled it back
     * already, and DuckDB then answers "no transaction is active": that must not hide why the commit failed.
     */
    private void rollback(Exception failure) {
        try {
            writer.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** DuckDB's fast path for rows, in the connection's open transaction. */
    static DuckDBAppender appender(Connection c, String schema, String table) throws SQLException {
        return ((DuckDBConnection) c).createAppender(schema, table);
    }

    /**
     * What a failed statement means for the user. DuckDB's JDBC driver gives no error codes, only its message, so
     * the message is read here, in this one place: a full disk (or file-size limit), and a damaged file.
     */
    static StateException failed(SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left on device") || message.contains("File too large")
                || message.contains("Disk quota exceeded")) {
            return new StateException(StateException.Kind.DISK_FULL, "the disk of the state store is full ("
                    + firstLine(message) + "): free some space, then run again. Nothing the destination "
                    + "acknowledged is lost: rows whose outcome could not be recorded are sent again by the next run.",
                    e);
        }
        if (damaged(message)) {
            return new StateException(StateException.Kind.DAMAGED, "the state store is damaged ("
                    + firstLine(message) + "). " + StateFiles.RECOVERY, e);
        }
        return new StateException("the state store failed: " + message, e);
    }

    /** Whether DuckDB's message says the file's bytes are not what it wrote (checksums, truncation). */
    static boolean damaged(String message) {
        return message != null && (message.contains("Corrupt database file")
                || message.contains("Could not read enough bytes") || message.contains("not a valid DuckDB database"));
    }

    /** A file's absolute path as a SQL string literal. */
    static String literal(java.nio.file.Path path) {
        return "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
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
