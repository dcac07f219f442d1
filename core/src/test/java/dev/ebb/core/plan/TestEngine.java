package dev.ebb.core.plan;

import dev.ebb.spi.SourceException;
import dev.ebb.spi.SqlEngine;
import java.sql.Connection;
import java.sql.SQLException;

/** A source's engine for tests: a dialect, a fetch size, and where its connections come from. */
record TestEngine(String dialect, int fetchSize, Connections connections) implements SqlEngine {

    /** Makes a connection, or fails as a driver does. */
    interface Connections {
        Connection open() throws SQLException;
    }

    @Override
    public String modelQuery(String sql) {
        return sql;
    }

    @Override
    public Connection connect() throws SourceException {
        try {
            return connections.open();
        } catch (SQLException e) {
            throw new SourceException(e.getMessage(), e);
        }
    }
}
