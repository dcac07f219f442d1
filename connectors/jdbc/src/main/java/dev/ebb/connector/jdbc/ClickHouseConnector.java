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
 * {@code type: clickhouse}, through ClickHouse's JDBC driver over HTTP
 * (https://clickhouse.com/docs/integrations/language-clients/java/jdbc). A ClickHouse database is the schema:
 * {@code schema} (or {@code database}) is the URL's database, and a missing one fails the connection. Stateless and
 * thread-safe.
 *
 * <pre>
 * sources:
 *   events: { type: clickhouse, host: abc123.eu-west-1.aws.clickhouse.cloud, database: analytics, user: ebb,
 *             password: "${env:CLICKHOUSE_PASSWORD}" }
 * </pre>
 */
public final class ClickHouseConnector extends JdbcSourceConnector {
    static final String EXAMPLE = "jdbc:clickhouse://abc123.eu-west-1.aws.clickhouse.cloud:8443/analytics";

    @Override
    public String type() {
        return "clickhouse";
    }

    @Override
    protected String driverClass() {
        return "com.clickhouse.jdbc.Driver";
    }

    @Override
    protected String driverCoordinates() {
        return "com.clickhouse:clickhouse-jdbc (classifier all)";
    }

    @Override
    protected String urlPrefix() {
        return "jdbc:clickhouse:";
    }

    @Override
    protected String urlExample() {
        return EXAMPLE;
    }

    @Override
    protected String dialect() {
        return SqlEngine.CLICKHOUSE;
    }

    @Override
    protected List<ConnectorOption> vendorOptions() {
        return Address.options(8443, "the database (ClickHouse's schema), when no url is set");
    }

    @Override
    protected String url(Settings settings) {
        String database = settings.optional(Address.DATABASE).or(() -> settings.optional(SCHEMA)).orElse("default");
        return "jdbc:clickhouse://" + Address.hostAndPort(settings, 8443, EXAMPLE) + "/" + Address.segment(database);
    }

    /** Port 8443 is ClickHouse's HTTPS port; 8123 its plain HTTP one. */
    @Override
    protected void properties(Settings settings, Properties properties) {
        if (settings.optional(URL).isEmpty() && settings.positiveInt(Address.PORT, 8443, 65_535) == 8443) {
            properties.setProperty("ssl", "true");
        }
    }

    @Override
    protected boolean checksSchema() {
        return false;
    }

    /**
     * ClickHouse's server error codes (as its source's src/Common/ErrorCodes.cpp lists them): UNKNOWN_TABLE 60, UNKNOWN_DATABASE 81, UNKNOWN_USER 192, WRONG_PASSWORD 193,
     * REQUIRED_PASSWORD 194, ACCESS_DENIED 497, AUTHENTICATION_FAILED 516.
     */
    @Override
    protected VendorCodes codes() {
        return e -> switch (e.getErrorCode()) {
            case 192, 193, 194, 516 -> Optional.of(SqlProblem.AUTHENTICATION);
            case 497 -> Optional.of(SqlProblem.PERMISSION);
            case 81 -> Optional.of(SqlProblem.MISSING_SCHEMA);
            case 60 -> Optional.of(SqlProblem.MISSING_TABLE);
            default -> Optional.empty();
        };
    }
}
