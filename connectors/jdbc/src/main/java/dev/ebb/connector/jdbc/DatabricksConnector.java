package dev.ebb.connector.jdbc;

import dev.ebb.connector.jdbc.internal.JdbcSourceConnector;
import dev.ebb.connector.jdbc.internal.SqlProblem;
import dev.ebb.connector.jdbc.internal.VendorCodes;
import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.SqlEngine;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code type: databricks} (Databricks SQL warehouses), through the Databricks JDBC driver
 * (https://docs.databricks.com/en/integrations/jdbc/index.html): the workspace host and the warehouse's HTTP path,
 * a personal access token ({@code AuthMech=3}, user {@code token}), the Unity Catalog catalog and schema.
 * Stateless and thread-safe.
 *
 * <pre>
 * sources:
 *   lake: { type: databricks, host: dbc-a1b2c3d4-e5f6.cloud.databricks.com,
 *           http_path: /sql/1.0/warehouses/abc123, token: "${env:DATABRICKS_TOKEN}", catalog: main, schema: marts }
 * </pre>
 */
public final class DatabricksConnector extends JdbcSourceConnector {
    static final String HTTP_PATH = "http_path";
    static final String TOKEN = "token";
    static final String CATALOG = "catalog";
    static final String EXAMPLE = "jdbc:databricks://dbc-a1b2c3d4-e5f6.cloud.databricks.com:443;"
            + "httpPath=/sql/1.0/warehouses/abc123";

    @Override
    public String type() {
        return "databricks";
    }

    @Override
    protected String driverClass() {
        return "com.databricks.client.jdbc.Driver";
    }

    @Override
    protected String driverCoordinates() {
        return "com.databricks:databricks-jdbc";
    }

    @Override
    protected String urlPrefix() {
        return "jdbc:databricks:";
    }

    @Override
    protected String urlExample() {
        return EXAMPLE;
    }

    @Override
    protected String dialect() {
        return SqlEngine.DATABRICKS;
    }

    @Override
    protected List<ConnectorOption> vendorOptions() {
        return List.of(
                ConnectorOption.optional(Address.HOST, "the workspace's host name, when no url is set"),
                ConnectorOption.optional(HTTP_PATH, "the SQL warehouse's HTTP path (its connection details)"),
                new ConnectorOption(TOKEN, false, true, "a personal access token (e.g. \"${env:DATABRICKS_TOKEN}\")"),
                ConnectorOption.optional(CATALOG, "the Unity Catalog catalog of the models' tables"));
    }

    @Override
    protected List<String> addressParts() {
        return List.of(Address.HOST, HTTP_PATH);
    }

    @Override
    protected boolean userRequired() {
        return false;
    }

    @Override
    protected String url(Settings settings) {
        String path = settings.optional(HTTP_PATH).orElseThrow(() -> settings.problem("set http_path (the SQL"
                + " warehouse's HTTP path, e.g. /sql/1.0/warehouses/abc123) with host, or url"));
        return "jdbc:databricks://" + Address.hostAndPort(settings, 443, EXAMPLE) + ";httpPath=" + path;
    }

    @Override
    protected void properties(Settings settings, Properties properties) {
        settings.optional(TOKEN).ifPresent(token -> {
            properties.setProperty("AuthMech", "3");
            properties.setProperty("UID", "token");
            properties.setProperty("PWD", token);
        });
        settings.optional(CATALOG).ifPresent(value -> properties.setProperty("ConnCatalog", value));
        settings.optional(SCHEMA).ifPresent(value -> properties.setProperty("ConnSchema", value));
    }

    /**
     * Databricks' error conditions carry their own SQLSTATEs
     * (https://docs.databricks.com/en/error-messages/sqlstates.html): SCHEMA_NOT_FOUND is 42704 and
     * TABLE_OR_VIEW_NOT_FOUND 42P01 (the standard rules catch that one).
     */
    @Override
    protected VendorCodes codes() {
        return e -> "42704".equals(e.getSQLState()) ? Optional.of(SqlProblem.MISSING_SCHEMA) : Optional.empty();
    }
}
