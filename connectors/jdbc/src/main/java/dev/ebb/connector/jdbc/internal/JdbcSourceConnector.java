package dev.ebb.connector.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.ConnectorOption;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceConnector;
import dev.ebb.spi.SourceException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The base of every JDBC source: the settings every vendor shares, the driver found on the class path, one checked
 * connection at {@link #open} (so a wrong host, password or schema is told at once, by what is wrong), then a
 * HikariCP pool for the models. A vendor says which driver, how its settings make a URL and driver properties, its
 * error codes and its types. Stateless and thread-safe.
 *
 * <p>Drivers are not bundled (they are large, and each vendor's licence is its own): a missing one is an error that
 * names the Maven coordinates to add and where to put the jar.
 */
public abstract class JdbcSourceConnector implements SourceConnector {
    public static final String URL = "url";
    public static final String USER = "user";
    public static final String PASSWORD = "password";
    public static final String SCHEMA = "schema";
    public static final String PROPERTIES = "properties";
    public static final String POOL_SIZE = "pool_size";
    public static final String FETCH_SIZE = "fetch_size";
    public static final String TIMEOUT_SECONDS = "timeout_seconds";

    static final int DEFAULT_POOL_SIZE = 4;
    static final int DEFAULT_FETCH_SIZE = 10_000;
    static final int DEFAULT_TIMEOUT_SECONDS = 30;

    /** The driver's class, e.g. {@code com.mysql.cj.jdbc.Driver}. */
    protected abstract String driverClass();

    /** The Maven coordinates of the driver's jar, e.g. {@code com.mysql:mysql-connector-j}. */
    protected abstract String driverCoordinates();

    /** What every URL of this vendor starts with, e.g. {@code jdbc:mysql:}. */
    protected abstract String urlPrefix();

    /** A URL to show in messages. */
    protected abstract String urlExample();

    /** The dialect name of {@code dev.ebb.spi.SqlEngine} the source speaks. */
    protected abstract String dialect();

    /** The vendor's own settings, besides the shared ones ({@code url}, {@code user}, …). */
    protected abstract List<ConnectorOption> vendorOptions();

    /** The URL built from the vendor's settings when the entry has no {@code url}. */
    protected abstract String url(Settings settings);

    /** The vendor settings that {@link #url(Settings)} builds the URL from, which a {@code url} replaces. */
    protected List<String> addressParts() {
        return vendorOptions().stream().map(ConnectorOption::name).toList();
    }

    /** Adds the vendor's driver properties (the schema among them where the driver takes it so). */
    protected void properties(Settings settings, Properties properties) {
    }

    /** Whether {@code user} must be set (a vendor that signs in with a key file or token says no). */
    protected boolean userRequired() {
        return true;
    }

    /**
     * Whether the pool sets {@code schema} on each connection ({@link Connection#setSchema}); a vendor that takes it
     * as a driver property or in the URL says no.
     */
    protected boolean setsSchema() {
        return false;
    }

    /** Whether {@link #open} checks that {@code schema} exists (a vendor whose connect fails on a missing one: no). */
    protected boolean checksSchema() {
        return true;
    }

    /** SQL run once on each new connection, or empty. */
    protected Optional<String> sessionSetup() {
        return Optional.empty();
    }

    protected VendorCodes codes() {
        return VendorCodes.NONE;
    }

    protected JdbcTypes.TypeRule types() {
        return JdbcTypes.TypeRule.NONE;
    }

    @Override
    public final List<ConnectorOption> options() {
        List<ConnectorOption> options = new ArrayList<>();
        options.add(ConnectorOption.optional(URL, "JDBC URL, e.g. " + urlExample() + " (or the settings below)"));
        options.addAll(vendorOptions());
        options.add(new ConnectorOption(USER, false, false, "the user Ebb signs in as"
                + (userRequired() ? " (required)" : "")));
        options.add(new ConnectorOption(PASSWORD, false, true, "the user's password (e.g. \"${env:NAME}\")"));
        options.add(ConnectorOption.optional(SCHEMA, "the schema the models' unqualified tables are in"));
        options.add(ConnectorOption.optional(PROPERTIES, "more driver properties, key=value;key=value"));
        options.add(ConnectorOption.optional(POOL_SIZE, "most connections open at once (default "
                + DEFAULT_POOL_SIZE + ")"));
        options.add(ConnectorOption.optional(FETCH_SIZE, "rows fetched per round trip while a model streams"
                + " (default " + DEFAULT_FETCH_SIZE + ")"));
        options.add(ConnectorOption.optional(TIMEOUT_SECONDS, "how long to wait for a connection (default "
                + DEFAULT_TIMEOUT_SECONDS + ")"));
        return List.copyOf(options);
    }

    /** Where the source connects: the URL and the driver's properties (with the secrets resolved). */
    public record Target(String url, Properties properties) {
    }

    /**
     * The URL and driver properties of an entry, without connecting.
     *
     * @throws IllegalArgumentException when a setting is missing or wrong, saying which and how to fix it
     */
    public final Target target(Settings settings) {
        Optional<String> url = settings.optional(URL);
        String resolved;
        if (url.isPresent()) {
            for (String part : addressParts()) {
                if (settings.optional(part).isPresent()) {
                    throw settings.problem("set either url or " + part + " (and the other parts of the address),"
                            + " not both");
                }
            }
            resolved = url.get().strip();
        } else {
            resolved = url(settings);
        }
        if (!resolved.startsWith(urlPrefix())) {
            throw settings.problem("url '" + resolved + "' is not a " + type() + " JDBC URL; use e.g. "
                    + urlExample());
        }
        Properties properties = new Properties();
        Optional<String> user = settings.optional(USER);
        if (userRequired() && user.isEmpty()) throw settings.problem("setting 'user' is required");
        user.ifPresent(value -> properties.setProperty(USER, value));
        settings.optional(PASSWORD).ifPresent(value -> properties.setProperty(PASSWORD, value));
        properties(settings, properties);
        settings.optional(PROPERTIES).ifPresent(extra -> parseProperties(settings, extra, properties));
        return new Target(resolved, properties);
    }

    @Override
    public final Source open(ConnectorContext context) throws SourceException {
        Settings settings = Settings.of(context, options());
        Target target = target(settings);
        Optional<String> schema = settings.optional(SCHEMA);
        int poolSize = settings.positiveInt(POOL_SIZE, DEFAULT_POOL_SIZE, 64);
        int fetchSize = settings.positiveInt(FETCH_SIZE, DEFAULT_FETCH_SIZE, 1_000_000);
        Duration timeout = settings.seconds(TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS, 3_600);
        JdbcProfile profile = new JdbcProfile(dialect(), codes(), types(), fetchSize);
        Driver driver = Drivers.load(context.name(), type(), driverClass(), driverCoordinates());
        DirectConnections direct = new DirectConnections(driver, target.url(), target.properties(),
                setsSchema() ? schema : Optional.empty(), sessionSetup());
        check(context.name(), direct, schema);
        return new JdbcSource(context.name(), pool(context.name(), target, schema, poolSize, timeout), direct,
                profile);
    }

    /**
     * One connection, made once and closed: the driver's answer says what is wrong (network, authentication,
     * permission, a missing database), and a schema that does not exist is told here rather than as a missing
     * table later.
     */
    private void check(String name, DirectConnections direct, Optional<String> schema) throws SourceException {
        try (Connection connection = direct.open()) {
            if (connection == null) {
                throw new SourceException("source '" + name + "': the " + type() + " driver does not take this url;"
                        + " use e.g. " + urlExample(), null);
            }
            if (schema.isPresent() && checksSchema() && !hasSchema(connection, schema.get())) {
                throw new SourceException("source '" + name + "': cannot connect (" + SqlProblem.MISSING_SCHEMA.label()
                        + "): schema '" + schema.get() + "' does not exist, or the user cannot see it; "
                        + SqlProblem.MISSING_SCHEMA.fix(), null, true);
            }
        } catch (SQLException e) {
            throw SqlProblems.ofConnect(name, e, codes());
        }
    }

    /** Whether the schema exists in the connection's database, compared as unquoted names are (case-blind). */
    private static boolean hasSchema(Connection connection, String schema) throws SQLException {
        try (ResultSet schemas = connection.getMetaData().getSchemas(connection.getCatalog(), null)) {
            while (schemas.next()) {
                if (schema.equalsIgnoreCase(schemas.getString("TABLE_SCHEM"))) return true;
            }
        }
        return false;
    }

    /**
     * The pool makes connections only when a model needs one (the check above already told whether it can), and
     * keeps none idle longer than its idle timeout. A pool never holds more than {@code poolSize}.
     */
    private HikariDataSource pool(String name, Target target, Optional<String> schema, int poolSize,
                                  Duration timeout) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ebb-source-" + name);
        config.setDriverClassName(driverClass());
        config.setJdbcUrl(target.url());
        config.setDataSourceProperties(target.properties());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(Math.max(250, timeout.toMillis()));
        if (setsSchema()) schema.ifPresent(config::setSchema);
        sessionSetup().ifPresent(config::setConnectionInitSql);
        return new HikariDataSource(config);
    }

    private static void parseProperties(Settings settings, String text, Properties properties) {
        for (String pair : text.split(";")) {
            if (pair.isBlank()) continue;
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw settings.problem("properties entry '" + pair.strip() + "' is not key=value; write e.g."
                        + " properties: \"key=value;other=value\"");
            }
            properties.setProperty(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
        }
    }
}
