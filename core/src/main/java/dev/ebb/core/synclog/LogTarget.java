package dev.ebb.core.synclog;

import dev.ebb.core.config.ConfigException;
import dev.ebb.core.config.ConnectionConfig;
import dev.ebb.core.config.Secrets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Where a source's sync logs go: a writable JDBC connection to the source's own database, opened after the run, once
 * the model's read-only connection is closed (DuckDB lets a process hold a file either read-only or writable, not
 * both). The driver is found by its URL, so no engine's driver is imported here. Immutable; each {@link #open} is a
 * new connection the caller closes.
 */
record LogTarget(LogEngine engine, String url, Properties properties) {
    /**
     * The target of a source: a DuckDB database file, or a PostgreSQL database given by {@code url} or by
     * {@code host}, {@code port} and {@code database}, with {@code user} and {@code password}.
     *
     * @throws ConfigException when a secret reference cannot be resolved
     * @throws IllegalArgumentException when the source is of a type sync logs are not written to (the loader refuses
     *                                  those)
     */
    static LogTarget of(ConnectionConfig source, Path root, Map<String, String> env) throws ConfigException {
        Map<String, String> settings = Secrets.resolveAll(source, root, env);
        Properties properties = new Properties();
        return switch (source.type()) {
            case "duckdb" -> new LogTarget(LogEngine.DUCKDB,
                    "jdbc:duckdb:" + root.resolve(settings.get("path").strip()).toAbsolutePath().normalize(),
                    properties);
            case "postgres" -> {
                String url = settings.get("url");
                if (url == null || url.isBlank()) {
                    url = "jdbc:postgresql://" + settings.getOrDefault("host", "localhost") + ":"
                            + settings.getOrDefault("port", "5432") + "/" + settings.getOrDefault("database", "");
                }
                if (settings.containsKey("user")) properties.setProperty("user", settings.get("user"));
                if (settings.containsKey("password")) properties.setProperty("password", settings.get("password"));
                properties.setProperty("ApplicationName", "ebb sync logs");
                // Logs are written at the end of a run: an unresponsive server must not hold the run open.
                properties.setProperty("connectTimeout", "10");
                properties.setProperty("socketTimeout", "120");
                yield new LogTarget(LogEngine.POSTGRES, url.strip(), properties);
            }
            default -> throw new IllegalArgumentException("sync logs are not written to sources of type "
                    + source.type());
        };
    }

    Connection open() throws SQLException {
        return DriverManager.getConnection(url, properties);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return engine.name().toLowerCase(java.util.Locale.ROOT) + " database";
    }
}
