package dev.ebb.connector.postgres;

import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceException;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A database on the class's embedded server that a reader role signs in to: the role may read the schema
 * {@value #SCHEMA}'s tables and nothing else, as a source's role should.
 */
final class TestingWarehouse {
    static final String DATABASE = "warehouse";
    static final String SCHEMA = "marts";
    static final String ROLE = "ebb_reader";
    static final String PASSWORD = "reader-secret";

    private final EmbeddedPostgresExtension postgres;

    private TestingWarehouse(EmbeddedPostgresExtension postgres) {
        this.postgres = postgres;
    }

    /** Creates the database, the schema, the role, and runs {@code setup} as the superuser there. */
    static TestingWarehouse create(EmbeddedPostgresExtension postgres, String... setup) throws SQLException {
        postgres.createDatabase(DATABASE);
        postgres.createRole(ROLE, PASSWORD);
        postgres.execute(DATABASE, "CREATE SCHEMA " + SCHEMA,
                "GRANT USAGE ON SCHEMA " + SCHEMA + " TO " + ROLE,
                "ALTER DEFAULT PRIVILEGES IN SCHEMA " + SCHEMA + " GRANT SELECT ON TABLES TO " + ROLE);
        postgres.execute(DATABASE, setup);
        return new TestingWarehouse(postgres);
    }

    /** The source's settings, with {@code overrides} replacing or adding some. */
    Map<String, String> settings(String... overrides) {
        Map<String, String> settings = new HashMap<>(Map.of("url", postgres.jdbcUrl(DATABASE), "user", ROLE,
                "password", PASSWORD, "schema", SCHEMA));
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) settings.remove(overrides[i]);
            else settings.put(overrides[i], overrides[i + 1]);
        }
        return settings;
    }

    Source open(String... overrides) throws SourceException {
        return new PostgresSourceConnector().open(new ConnectorContext("wh", settings(overrides), Path.of("."),
                Clock.systemUTC()));
    }
}
