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
 * {@code type: mysql} (MySQL, and MariaDB through MySQL's driver). A MySQL schema is a database: {@code schema} (or
 * {@code database}) is the URL's database, and a missing one fails the connection. Stateless and thread-safe.
 *
 * <pre>
 * sources:
 *   app: { type: mysql, host: db.example.com, database: app, user: ebb, password: "${env:MYSQL_PASSWORD}" }
 * </pre>
 */
public final class MySqlConnector extends JdbcSourceConnector {
    static final String EXAMPLE = "jdbc:mysql://db.example.com:3306/app";

    @Override
    public String type() {
        return "mysql";
    }

    @Override
    protected String driverClass() {
        return "com.mysql.cj.jdbc.Driver";
    }

    @Override
    protected String driverCoordinates() {
        return "com.mysql:mysql-connector-j";
    }

    @Override
    protected String urlPrefix() {
        return "jdbc:mysql:";
    }

    @Override
    protected String urlExample() {
        return EXAMPLE;
    }

    @Override
    protected String dialect() {
        return SqlEngine.MYSQL;
    }

    @Override
    protected List<ConnectorOption> vendorOptions() {
        return Address.options(3306, "the database (MySQL's schema), when no url is set");
    }

    @Override
    protected String url(Settings settings) {
        String database = settings.optional(Address.DATABASE).or(() -> settings.optional(SCHEMA))
                .orElseThrow(() -> settings.problem("set database (or url)"));
        return "jdbc:mysql://" + Address.hostAndPort(settings, 3306, EXAMPLE) + "/" + Address.segment(database);
    }

    /**
     * Without a cursor, Connector/J reads the whole result into memory before the first row; with
     * {@code useCursorFetch} it fetches {@code fetch_size} rows at a time
     * (https://dev.mysql.com/doc/connector-j/en/connector-j-reference-implementation-notes.html).
     */
    @Override
    protected void properties(Settings settings, Properties properties) {
        properties.setProperty("useCursorFetch", "true");
    }

    @Override
    protected boolean checksSchema() {
        return false;
    }

    /**
     * The server's error numbers (https://dev.mysql.com/doc/mysql-errors/8.4/en/server-error-reference.html):
     * ER_ACCESS_DENIED_ERROR 1045, ER_DBACCESS_DENIED_ERROR 1044, ER_TABLEACCESS_DENIED_ERROR 1142,
     * ER_COLUMNACCESS_DENIED_ERROR 1143, ER_BAD_DB_ERROR 1049, ER_NO_SUCH_TABLE 1146. MySQL gives 1049 and 1044 the
     * generic SQLSTATE 42000, hence the numbers.
     */
    @Override
    protected VendorCodes codes() {
        return e -> switch (e.getErrorCode()) {
            case 1045 -> Optional.of(SqlProblem.AUTHENTICATION);
            case 1044, 1142, 1143 -> Optional.of(SqlProblem.PERMISSION);
            case 1049 -> Optional.of(SqlProblem.MISSING_SCHEMA);
            case 1146 -> Optional.of(SqlProblem.MISSING_TABLE);
            default -> Optional.empty();
        };
    }
}
