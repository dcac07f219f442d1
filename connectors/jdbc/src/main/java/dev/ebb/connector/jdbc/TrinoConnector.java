package dev.ebb.connector.jdbc;

import dev.ebb.connector.jdbc.internal.JdbcSourceConnector;
import dev.ebb.connector.jdbc.internal.SqlProblem;
import dev.ebb.connector.jdbc.internal.VendorCodes;
import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.SqlEngine;
import java.util.List;
import java.util.Optional;

/**
 * {@code type: trino} (Trino and Starburst), through Trino's JDBC driver (https://trino.io/docs/current/client/jdbc.html):
 * {@code jdbc:trino://host:port/catalog/schema}. Stateless and thread-safe.
 *
 * <pre>
 * sources:
 *   lake: { type: trino, host: trino.example.com, catalog: hive, schema: marts, user: ebb,
 *           password: "${env:TRINO_PASSWORD}", properties: "SSL=true" }
 * </pre>
 */
public final class TrinoConnector extends JdbcSourceConnector {
    static final String CATALOG = "catalog";
    static final String EXAMPLE = "jdbc:trino://trino.example.com:443/hive/marts";

    @Override
    public String type() {
        return "trino";
    }

    @Override
    protected String driverClass() {
        return "io.trino.jdbc.TrinoDriver";
    }

    @Override
    protected String driverCoordinates() {
        return "io.trino:trino-jdbc";
    }

    @Override
    protected String urlPrefix() {
        return "jdbc:trino:";
    }

    @Override
    protected String urlExample() {
        return EXAMPLE;
    }

    @Override
    protected String dialect() {
        return SqlEngine.TRINO;
    }

    @Override
    protected List<ConnectorOption> vendorOptions() {
        return List.of(
                ConnectorOption.optional(Address.HOST, "the coordinator's host name, when no url is set"),
                ConnectorOption.optional(Address.PORT, "the coordinator's port (default 443)"),
                ConnectorOption.optional(CATALOG, "the catalog of the models' tables"));
    }

    @Override
    protected String url(Settings settings) {
        String url = "jdbc:trino://" + Address.hostAndPort(settings, 443, EXAMPLE);
        var catalog = settings.optional(CATALOG);
        var schema = settings.optional(SCHEMA);
        if (schema.isPresent() && catalog.isEmpty()) throw settings.problem("set catalog with schema");
        return url + catalog.map(c -> "/" + Address.segment(c) + schema.map(s -> "/" + Address.segment(s)).orElse(""))
                .orElse("");
    }

    /**
     * Trino's standard error codes (io.trino.spi.StandardErrorCode): PERMISSION_DENIED 4, CATALOG_NOT_FOUND 44,
     * SCHEMA_NOT_FOUND 45, TABLE_NOT_FOUND 46.
     */
    @Override
    protected VendorCodes codes() {
        return e -> switch (e.getErrorCode()) {
            case 4 -> Optional.of(SqlProblem.PERMISSION);
            case 44 -> Optional.of(SqlProblem.MISSING_DATABASE);
            case 45 -> Optional.of(SqlProblem.MISSING_SCHEMA);
            case 46 -> Optional.of(SqlProblem.MISSING_TABLE);
            default -> Optional.empty();
        };
    }
}
