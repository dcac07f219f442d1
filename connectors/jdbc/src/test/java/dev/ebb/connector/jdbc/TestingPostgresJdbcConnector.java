package dev.ebb.connector.jdbc;

import dev.ebb.connector.jdbc.internal.JdbcSourceConnector;
import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorOption;
import java.util.List;

/**
 * The generic JDBC path on PostgreSQL's driver, found by its class name as a user's driver is: no vendor types, no
 * vendor codes, the schema set on each pooled connection. What every vendor shares runs here for real.
 */
final class TestingPostgresJdbcConnector extends JdbcSourceConnector {
    @Override
    public String type() {
        return "testing-postgres";
    }

    @Override
    protected String driverClass() {
        return "org.postgresql.Driver";
    }

    @Override
    protected String driverCoordinates() {
        return "org.postgresql:postgresql";
    }

    @Override
    protected String urlPrefix() {
        return "jdbc:postgresql:";
    }

    @Override
    protected String urlExample() {
        return "jdbc:postgresql://localhost:5432/db";
    }

    @Override
    protected String dialect() {
        return "postgres";
    }

    @Override
    protected List<ConnectorOption> vendorOptions() {
        return List.of();
    }

    @Override
    protected String url(Settings settings) {
        throw settings.problem("set url");
    }

    @Override
    protected boolean setsSchema() {
        return true;
    }
}
