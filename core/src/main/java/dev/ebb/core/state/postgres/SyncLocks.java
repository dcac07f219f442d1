package dev.ebb.core.state.postgres;

import dev.ebb.core.state.StateException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The locks that keep two runs of one sync from overlapping across processes: a PostgreSQL advisory lock per sync,
 * held by a connection of its own, outside the pool. When the process dies its connection goes, and the server
 * releases its locks: that is the lease a dead worker loses, and how {@link PostgresRunLog} tells a live run from an
 * abandoned one (the run records the session, {@link #pid}, that holds its lock).
 *
 * <p>Thread-safe: the connection is used under this object's monitor. Advisory locks stack within a session, so the
 * store keeps its own set of running syncs in front of them.
 */
final class SyncLocks implements AutoCloseable {
    private final Connection connection;
    /** The server's process id of the lock connection: the owner that runs record. */
    final int pid;

    private SyncLocks(Connection connection, int pid) {
        this.connection = connection;
        this.pid = pid;
    }

    static SyncLocks open(String url, String user, String password, PostgresFailures failures)
            throws StateException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) properties.setProperty("password", password);
        properties.setProperty("ApplicationName", "ebb-locks");
        properties.setProperty("tcpKeepAlive", "true");
        try {
            Connection connection = DriverManager.getConnection(url, properties);
            try (var st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return new SyncLocks(connection, rs.getInt(1));
            }
        } catch (SQLException e) {
            throw failures.opening(e);
        }
    }

    /**
     * The advisory lock key of a sync in a schema: 64 bits of SHA-256 over both, so that projects sharing one
     * database in schemas of their own never lock each other's syncs.
     */
    static long key(String schema, String sync) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((schema + '\u001f' + sync).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Takes the lock without waiting; false when another session holds it. */
    synchronized boolean tryLock(long key) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    synchronized void unlock(long key) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, key);
            ps.executeQuery().close();
        }
    }

    /** Closes the connection, which releases every lock it holds. */
    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the server releases the locks with the session in any case
        }
    }
}
