package dev.ebb.connector.postgres;

import dev.ebb.connector.jdbc.internal.JdbcSourceConnector;
import dev.ebb.connector.jdbc.internal.JdbcTypes;
import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.SqlEngine;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * {@code type: postgres} as a source: models run on a PostgreSQL database (or a warehouse that speaks its protocol
 * closely enough for its driver), each in a {@code READ ONLY} transaction, their rows streamed through a
 * server-side cursor ({@code fetch_size} rows per round trip; PostgreSQL's driver uses one when auto-commit is off),
 * connections pooled by HikariCP. Types are mapped exactly (see {@link PostgresTypes}). The driver ships with Ebb.
 * Stateless and thread-safe; {@link #open} makes one connection to check the settings, and closes it.
 *
 * <pre>
 * sources:
 *   wh: { type: postgres, url: "jdbc:postgresql://db.example.com:5432/analytics", user: ebb_reader,
 *         password: "${env:WH_PASSWORD}", schema: marts }
 * </pre>
 */
public final class PostgresSourceConnector extends JdbcSourceConnector {
    @Override
    public String type() {
        return PostgresConnector.TYPE;
    }

    @Override
    protected String driverClass() {
        return Driver.class.getName();
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
        return "jdbc:postgresql://db.example.com:5432/analytics";
    }

    @Override
    protected String dialect() {
        return SqlEngine.POSTGRES;
    }

    @Override
    protected List<ConnectorOption> vendorOptions() {
        return List.of(
                ConnectorOption.optional("host", "the server's host name, when no url is set"),
                ConnectorOption.optional("port", "the server's port, when no url is set (default "
                        + PostgresConnector.DEFAULT_PORT + ")"),
                ConnectorOption.optional("database", "the database's name, when no url is set"));
    }

    @Override
    protected String url(Settings settings) {
        return PostgresConnector.hostUrl(settings);
    }

    /**
     * {@code currentSchema} makes the schema the models' search path (only it: a table of {@code public} is then
     * named {@code public.t}).
     */
    @Override
    protected void properties(Settings settings, Properties properties) {
        if (Driver.parseURL(settings.optional(URL).orElseGet(() -> url(settings)), new Properties()) == null) {
            throw settings.problem("url is not a PostgreSQL JDBC URL; use e.g. " + urlExample());
        }
        properties.setProperty("ApplicationName", "ebb");
        properties.setProperty("tcpKeepAlive", "true");
        settings.optional(SCHEMA).ifPresent(schema -> properties.setProperty("currentSchema", schema));
    }

    /**
     * UTC for the session, so that the text of a value that depends on the time zone (a {@code timestamptz[]}) does
     * not depend on the machine Ebb runs on.
     */
    @Override
    protected Optional<String> sessionSetup() {
        return Optional.of("SET TIME ZONE 'UTC'");
    }

    @Override
    protected JdbcTypes.TypeRule types() {
        return PostgresTypes::column;
    }
}
