package dev.ebb.connector.jdbc.internal;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

/**
 * Connections made straight from the driver, outside the pool, each set up as a pooled one is (schema, session
 * SQL): for the check when a source opens, and for Ebb's own SQL, whose temporary tables and session settings must
 * not outlive the connection into the next borrower of a pooled one. Thread-safe.
 *
 * @param schema set on each connection when the vendor takes it so ({@link JdbcSourceConnector#setsSchema()})
 * @param setup  SQL run once on each connection
 */
record DirectConnections(Driver driver, String url, Properties properties, Optional<String> schema,
                         Optional<String> setup) {
    /**
     * A new connection, or {@code null} when the driver does not take the URL.
     *
     * @throws SQLException as the driver reports it, for {@link SqlProblems} to classify
     */
    Connection open() throws SQLException {
        Connection connection = driver.connect(url, properties);
        if (connection == null) return null;
        try {
            if (schema.isPresent()) connection.setSchema(schema.get());
            if (setup.isPresent()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(setup.get());
                }
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
}
