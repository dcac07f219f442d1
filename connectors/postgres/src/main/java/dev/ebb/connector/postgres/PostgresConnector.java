package dev.ebb.connector.postgres;

import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationConnector;
import org.postgresql.Driver;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * {@code type: postgres}: tables of one PostgreSQL database, written through JDBC, one transaction per batch. The
 * sync's {@code object:} is the table, in the entry's {@code schema}. Stateless and thread-safe; {@link #open} checks
 * the settings and makes no connection.
 *
 * <pre>
 * destinations:
 *   app_db: { type: postgres, url: "jdbc:postgresql://db.example.com:5432/app", user: ebb,
 *             password: "${env:APP_DB_PASSWORD}", schema: public }
 * </pre>
 */
public final class PostgresConnector implements DestinationConnector {
    public static final String TYPE = "postgres";
    public static final int DEFAULT_PORT = 5432;
    public static final String DEFAULT_SCHEMA = "public";
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;
    private static final String URL_PREFIX = "jdbc:postgresql:";
    private static final String URL_EXAMPLE = "jdbc:postgresql://db.example.com:5432/app";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<ConnectorOption> options() {
        return List.of(
                ConnectorOption.optional("url", "JDBC URL of the database, e.g. " + URL_EXAMPLE
                        + " (or set host, port and database)"),
                ConnectorOption.optional("host", "the server's host name, when no url is set"),
                ConnectorOption.optional("port", "the server's port, when no url is set (default " + DEFAULT_PORT + ")"),
                ConnectorOption.optional("database", "the database's name, when no url is set"),
                ConnectorOption.required("user", "the role Ebb signs in as"),
                new ConnectorOption("password", false, true, "the role's password (e.g. \"${env:PGPASSWORD}\")"),
                ConnectorOption.optional("schema", "the schema that holds the sync's tables (default "
                        + DEFAULT_SCHEMA + ")"),
                ConnectorOption.optional("timeout_seconds", "how long one transaction may wait for the server "
                        + "(default " + DEFAULT_TIMEOUT_SECONDS + ")"));
    }

    @Override
    public Destination open(ConnectorContext context) {
        Settings settings = Settings.of(context, options());
        String url = url(settings);
        Properties parsed = Driver.parseURL(url, new Properties());
        if (parsed == null) {
            throw settings.problem("url '" + url + "' is not a PostgreSQL JDBC URL; use e.g. " + URL_EXAMPLE);
        }
        if (parsed.getProperty("password") != null) {
            throw settings.problem("url carries a password; set it as password: \"${env:NAME}\" instead, so that "
                    + "it stays a secret");
        }
        String account = TYPE + ":" + parsed.getProperty("PGHOST") + ":" + parsed.getProperty("PGPORT") + "/"
                + parsed.getProperty("PGDBNAME");
        Properties properties = new Properties();
        properties.setProperty("user", settings.required("user"));
        settings.optional("password").ifPresent(password -> properties.setProperty("password", password));
        Duration timeout = settings.seconds("timeout_seconds", DEFAULT_TIMEOUT_SECONDS, 86_400);
        properties.setProperty("ApplicationName", "ebb");
        properties.setProperty("connectTimeout", Long.toString(Math.min(timeout.toSeconds(), 30)));
        properties.setProperty("socketTimeout", Long.toString(timeout.toSeconds()));
        properties.setProperty("tcpKeepAlive", "true");
        String schema = settings.string("schema", DEFAULT_SCHEMA);
        return new PostgresDestination(account, new Connections(url, properties), schema);
    }

    /** The JDBC URL from {@code url}, or built from {@code host}, {@code port} and {@code database}. */
    private static String url(Settings settings) {
        var url = settings.optional("url");
        if (url.isPresent()) {
            if (settings.optional("host").isPresent() || settings.optional("database").isPresent()) {
                throw settings.problem("set either url or host and database, not both");
            }
            if (!url.get().startsWith(URL_PREFIX)) {
                throw settings.problem("url '" + url.get() + "' is not a PostgreSQL JDBC URL; use e.g. "
                        + URL_EXAMPLE);
            }
            return url.get();
        }
        return hostUrl(settings);
    }

    /** The JDBC URL from {@code host}, {@code port} and {@code database}; the source builds its URL so too. */
    static String hostUrl(Settings settings) {
        String host = settings.optional("host").orElseThrow(() -> settings.problem(
                "set url (e.g. " + URL_EXAMPLE + "), or host and database"));
        String database = settings.optional("database").orElseThrow(() -> settings.problem(
                "setting 'database' is required with host (or set url instead)"));
        int port = settings.positiveInt("port", DEFAULT_PORT, 65_535);
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URL_PREFIX + "//" + hostPart + ":" + port + "/"
                + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8);
    }
}
