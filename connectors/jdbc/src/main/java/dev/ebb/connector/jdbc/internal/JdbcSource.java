package dev.ebb.connector.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.ebb.spi.Column;
import dev.ebb.spi.RowStream;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SqlEngine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Optional;

/**
 * A source on a pool of JDBC connections. Each model runs in its own read-only transaction (auto-commit off, the
 * connection marked read-only), forward-only, fetched {@link JdbcProfile#fetchSize()} rows at a time, so a result is
 * never held whole in memory. A model is nested as a subquery ({@code SELECT * FROM (model) ebb_model}), so it must be
 * exactly one query: a second statement, or a data-modifying one, does not parse there.
 *
 * <p>Its {@link #engine()} hands Ebb's own SQL (the warehouse-native diff) a connection of its own, made for it and
 * closed with it (not pooled: its temporary tables and settings end with it), set up as the models' are, and not
 * read-only: the snapshot tables of {@code state: { store: warehouse }} live in a schema of the source. Models stay
 * read-only whatever the user's grants.
 *
 * <p>Not thread-safe: the runtime calls it from one thread, one call at a time (see {@link Source}). Starting a
 * query closes the stream of the previous one.
 */
public final class JdbcSource implements Source {
    private final String name;
    private final HikariDataSource pool;
    private final DirectConnections direct;
    private final JdbcProfile profile;
    private JdbcRowStream current;
    private boolean closed;

    JdbcSource(String name, HikariDataSource pool, DirectConnections direct, JdbcProfile profile) {
        this.name = name;
        this.pool = pool;
        this.direct = direct;
        this.profile = profile;
    }

    /**
     * Describes the model from its prepared statement's metadata, which the driver asks the server for without
     * running the query; a driver that cannot (it answers {@code null}) runs it with {@code WHERE 1 = 0}, which
     * reads no row.
     */
    @Override
    public List<Column> describe(String sql) throws SourceException {
        closeCurrent();
        String query = nested(name, sql);
        Connection connection = connect();
        try {
            startReadOnly(connection);
            try (PreparedStatement statement = connection.prepareStatement(query)) {
                ResultSetMetaData metadata = statement.getMetaData();
                if (metadata != null) return columns(metadata);
            }
            try (PreparedStatement statement = connection.prepareStatement(query + " WHERE 1 = 0");
                 ResultSet empty = statement.executeQuery()) {
                return columns(empty.getMetaData());
            }
        } catch (SQLException e) {
            throw SqlProblems.ofQuery(name, e, profile.codes());
        } finally {
            release(name, connection, null, null);
        }
    }

    @Override
    public RowStream query(String sql) throws SourceException {
        closeCurrent();
        String query = nested(name, sql);
        Connection connection = connect();
        PreparedStatement statement = null;
        try {
            startReadOnly(connection);
            statement = connection.prepareStatement(query, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(profile.fetchSize());
            ResultSet result = statement.executeQuery();
            current = new JdbcRowStream(name, profile.codes(), connection, statement, result,
                    JdbcTypes.columns(result.getMetaData(), profile.types()));
            return current;
        } catch (SQLException e) {
            SourceException failure = SqlProblems.ofQuery(name, e, profile.codes());
            try {
                release(name, connection, statement, null);
            } catch (SourceException closing) {
                failure.addSuppressed(closing);
            }
            throw failure;
        }
    }

    @Override
    public Optional<SqlEngine> engine() {
        return Optional.of(engine);
    }

    private final SqlEngine engine = new SqlEngine() {
        @Override
        public String dialect() {
            return profile.dialect();
        }

        @Override
        public String modelQuery(String sql) throws SourceException {
            return model(name, sql);
        }

        @Override
        public int fetchSize() {
            return profile.fetchSize();
        }

        @Override
        public Connection connect() throws SourceException {
            if (closed) throw new SourceException("source '" + name + "' is closed", null);
            try {
                Connection connection = direct.open();
                if (connection == null) throw new SourceException("source '" + name + "': the driver no longer"
                        + " takes the source's url", null, true);
                return connection;
            } catch (SQLException e) {
                throw SqlProblems.ofConnect(name, e, profile.codes());
            }
        }
    };

    private List<Column> columns(ResultSetMetaData metadata) throws SQLException {
        return JdbcTypes.columns(metadata, profile.types()).stream().map(JdbcTypes.TypedColumn::column).toList();
    }

    /** A connection from the pool; a failure here is the connection's, never the model's. */
    Connection connect() throws SourceException {
        if (closed) throw new SourceException("source '" + name + "' is closed", null);
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw SqlProblems.ofConnect(name, e, profile.codes());
        }
    }

    /**
     * Auto-commit off (without it most drivers, PostgreSQL's among them, fetch the whole result at once) and
     * read-only, which PostgreSQL's driver turns into {@code BEGIN READ ONLY}; the pool restores both when the
     * connection comes back. A driver that supports neither is left as it is.
     */
    private static void startReadOnly(Connection connection) throws SQLException {
        try {
            connection.setAutoCommit(false);
        } catch (SQLFeatureNotSupportedException e) {
            // A driver without transactions (ClickHouse's) streams without one; its role's grants keep it read-only.
        }
        try {
            connection.setReadOnly(true);
        } catch (SQLFeatureNotSupportedException e) {
            // A hint some drivers do not take; the role's grants are what keep such a source read-only.
        }
    }

    /** The model as one query nested in Ebb's select; line breaks keep a trailing comment from eating the ')'. */
    static String nested(String source, String sql) throws SourceException {
        return "SELECT * FROM (\n" + model(source, sql) + "\n) ebb_model";
    }

    /** The model's SQL without trailing semicolons. */
    public static String model(String source, String sql) throws SourceException {
        String trimmed = sql == null ? "" : sql.strip();
        while (trimmed.endsWith(";")) trimmed = trimmed.substring(0, trimmed.length() - 1).stripTrailing();
        if (trimmed.isEmpty()) throw new SourceException("source '" + source + "': the model's SQL is empty", null);
        return trimmed;
    }

    /** Closes the result and statement, ends the read-only transaction and gives the connection back. */
    static void release(String source, Connection connection, PreparedStatement statement, ResultSet result)
            throws SourceException {
        SQLException failure = null;
        List<SqlStep> steps = List.of(
                () -> { if (result != null) result.close(); },
                () -> { if (statement != null) statement.close(); },
                () -> { if (!connection.isClosed() && !connection.getAutoCommit()) connection.rollback(); },
                connection::close);
        for (SqlStep step : steps) {
            try {
                step.run();
            } catch (SQLException e) {
                if (failure == null) failure = e;
            }
        }
        if (failure != null) {
            throw new SourceException("source '" + source + "': closing the result failed: "
                    + SqlProblems.message(failure), failure);
        }
    }

    @FunctionalInterface
    private interface SqlStep {
        void run() throws SQLException;
    }

    private void closeCurrent() throws SourceException {
        if (current != null) {
            JdbcRowStream stream = current;
            current = null;
            stream.close();
        }
    }

    @Override
    public void close() throws SourceException {
        if (closed) return;
        try {
            closeCurrent();
        } finally {
            closed = true;
            pool.close();
        }
    }
}
