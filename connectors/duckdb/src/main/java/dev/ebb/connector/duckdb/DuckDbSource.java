package dev.ebb.connector.duckdb;

import dev.ebb.spi.Column;
import dev.ebb.spi.DuckDbAttachment;
import dev.ebb.spi.RowStream;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SqlEngine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * An open DuckDB session. Not thread-safe: the runtime calls it from one thread, one call at a time (see {@link
 * Source}). Starting a query closes the stream of the previous one, which DuckDB would otherwise invalidate.
 */
final class DuckDbSource implements Source {
    /** DuckDB produces rows in vectors of 2048; asking for one vector at a time keeps the heap flat. */
    static final int FETCH_SIZE = 2048;

    private final String name;
    private final Connection connection;
    private final DuckDbEngine engine;
    private final Optional<StateConnections> stateConnections;
    private DuckDbRowStream current;

    /** @param stateConnections the connections of Ebb's warehouse-native state, when the source keeps it */
    DuckDbSource(String name, Connection connection, DuckDbAttachment attachment,
                 Optional<StateConnections> stateConnections) {
        this.name = name;
        this.connection = connection;
        this.stateConnections = stateConnections;
        this.engine = new DuckDbEngine(name, connection, attachment, this::closeCurrent, stateConnections);
    }

    @Override
    public Optional<SqlEngine> engine() {
        return Optional.of(engine);
    }

    @Override
    public List<Column> describe(String sql) throws SourceException {
        closeCurrent();
        String query = ModelQuery.check(connection, name, sql);
        // Preparing binds the query and types its result without reading a row.
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            return DuckDbTypes.columns(statement.getMetaData()).stream().map(DuckDbTypes.TypedColumn::column)
                    .toList();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public RowStream query(String sql) throws SourceException {
        closeCurrent();
        String query = ModelQuery.check(connection, name, sql);
        PreparedStatement statement = null;
        try {
            statement = connection.prepareStatement(query, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(FETCH_SIZE);
            ResultSet result = statement.executeQuery();
            current = new DuckDbRowStream(name, statement, result, DuckDbTypes.columns(result.getMetaData()));
            return current;
        } catch (SQLException e) {
            SourceException failure = failure(e);
            if (statement != null) {
                try {
                    statement.close();
                } catch (SQLException closing) {
                    failure.addSuppressed(closing);
                }
            }
            throw failure;
        }
    }

    void closeCurrent() throws SourceException {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** DuckDB's message names the error's kind, and the line and column of the SQL it concerns. */
    private SourceException failure(SQLException e) {
        return new SourceException("source '" + name + "': " + e.getMessage(), e);
    }

    @Override
    public void close() throws SourceException {
        try {
            closeCurrent();
            if (stateConnections.isPresent()) stateConnections.get().close();
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new SourceException("source '" + name + "': closing DuckDB failed: " + e.getMessage(), e);
            }
        }
    }
}
