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
 * {@code type: snowflake}. The account identifier makes the host; warehouse, database, schema and role are the
 * driver's connection parameters
 * (https://docs.snowflake.com/en/developer-guide/jdbc/jdbc-parameters). Stateless and thread-safe.
 *
 * <pre>
 * sources:
 *   wh: { type: snowflake, account: myorg-myaccount, warehouse: REPORTING, database: ANALYTICS, schema: MARTS,
 *         role: EBB_READER, user: EBB, password: "${env:SNOWFLAKE_PASSWORD}" }
 * </pre>
 */
public final class SnowflakeConnector extends JdbcSourceConnector {
    static final String ACCOUNT = "account";
    static final String WAREHOUSE = "warehouse";
    static final String DATABASE = "database";
    static final String ROLE = "role";
    static final String EXAMPLE = "jdbc:snowflake://myorg-myaccount.snowflakecomputing.com/";

    @Override
    public String type() {
        return "snowflake";
    }

    @Override
    protected String driverClass() {
        return "net.snowflake.client.jdbc.SnowflakeDriver";
    }

    @Override
    protected String driverCoordinates() {
        return "net.snowflake:snowflake-jdbc";
    }

    @Override
    protected String urlPrefix() {
        return "jdbc:snowflake:";
    }

    @Override
    protected String urlExample() {
        return EXAMPLE;
    }

    @Override
    protected String dialect() {
        return SqlEngine.SNOWFLAKE;
    }

    @Override
    protected List<ConnectorOption> vendorOptions() {
        return List.of(
                ConnectorOption.optional(ACCOUNT, "the account identifier (orgname-accountname), when no url is set"),
                ConnectorOption.optional(WAREHOUSE, "the virtual warehouse that runs the models"),
                ConnectorOption.optional(DATABASE, "the database of the models' tables"),
                ConnectorOption.optional(ROLE, "the role Ebb uses (one that can only read)"));
    }

    @Override
    protected List<String> addressParts() {
        return List.of(ACCOUNT);
    }

    @Override
    protected String url(Settings settings) {
        String account = settings.optional(ACCOUNT).orElseThrow(() -> settings.problem("set account (e.g."
                + " myorg-myaccount) or url (e.g. " + EXAMPLE + ")"));
        return "jdbc:snowflake://" + account + ".snowflakecomputing.com/";
    }

    @Override
    protected void properties(Settings settings, Properties properties) {
        settings.optional(WAREHOUSE).ifPresent(value -> properties.setProperty("warehouse", value));
        settings.optional(DATABASE).ifPresent(value -> properties.setProperty("db", value));
        settings.optional(SCHEMA).ifPresent(value -> properties.setProperty("schema", value));
        settings.optional(ROLE).ifPresent(value -> properties.setProperty("role", value));
        // The driver writes its own log file in the working folder unless told where; Ebb reports failures itself.
        properties.setProperty("tracing", "OFF");
    }

    /**
     * Snowflake's error codes: 390100 incorrect user name or password, 390144 an invalid key-pair token (JWT),
     * 002003 an object that does not exist or is not authorized (Snowflake does not tell the two apart), 003001
     * insufficient privileges.
     */
    @Override
    protected VendorCodes codes() {
        return e -> switch (e.getErrorCode()) {
            case 390100, 390144 -> Optional.of(SqlProblem.AUTHENTICATION);
            case 2003 -> Optional.of(SqlProblem.MISSING_TABLE);
            case 3001 -> Optional.of(SqlProblem.PERMISSION);
            default -> Optional.empty();
        };
    }
}
