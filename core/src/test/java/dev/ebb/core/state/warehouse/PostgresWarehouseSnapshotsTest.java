package dev.ebb.core.state.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.core.state.StateException;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The warehouse-native state on a real PostgreSQL: a database per test, a role with the rights it documents. */
class PostgresWarehouseSnapshotsTest extends WarehouseSnapshotsContract {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private String database;

    @Override
    WarehouseEngine engine() throws SQLException {
        if (database == null) {
            database = "warehouse_" + DATABASES.incrementAndGet();
            POSTGRES.createDatabase(database);
            POSTGRES.createRole("ebb_" + database, "secret");
            POSTGRES.execute(database, "GRANT CREATE, TEMPORARY ON DATABASE " + database + " TO ebb_" + database);
        }
        return role("ebb_" + database);
    }

    private WarehouseEngine role(String role) {
        String url = POSTGRES.jdbcUrl(database);
        return new WarehouseEngine() {
            @Override
            public String dialect() {
                return "postgres";
            }

            @Override
            public Connection connect() throws SQLException {
                Properties properties = new Properties();
                properties.setProperty("user", role);
                properties.setProperty("password", "secret");
                return DriverManager.getConnection(url, properties);
            }
        };
    }

    @Test
    void aMissingRightIsNamedWithTheGrantThatGivesIt() throws Exception {
        engine();
        POSTGRES.createRole("analyst_" + database, "secret");
        POSTGRES.execute(database, "REVOKE TEMPORARY ON DATABASE " + database + " FROM PUBLIC");
        assertThatThrownBy(() -> WarehouseSnapshots.open(role("analyst_" + database), "ebb_other", "lakehouse"))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("schema ebb_other does not exist and role analyst_" + database
                        + " may not create it: CREATE SCHEMA ebb_other AUTHORIZATION analyst_" + database)
                .hasMessageContaining("GRANT TEMPORARY ON DATABASE " + database + " TO analyst_" + database);

        // The schema exists (made by the test's own set-up), and the role may only read it.
        POSTGRES.execute(database, "GRANT TEMPORARY ON DATABASE " + database + " TO analyst_" + database);
        POSTGRES.execute(database, "CREATE SCHEMA ebb_other", "GRANT USAGE ON SCHEMA ebb_other TO analyst_"
                + database);
        assertThatThrownBy(() -> WarehouseSnapshots.open(role("analyst_" + database), "ebb_other", "lakehouse"))
                .hasMessageContaining("GRANT USAGE, CREATE ON SCHEMA ebb_other TO analyst_" + database + ";");
    }

    @Test
    void aBatchCommitFindsTheRowsInFlightByAnIndex() throws Exception {
        // A commit deletes its rows' marks by key; dead marks pile up while a run's plan transaction is open, and a
        // scan of them per commit made a million-row full sync stall.
        try (Connection c = engine().connect(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT indexdef FROM pg_indexes WHERE schemaname = '" + schema
                     + "' AND tablename = 'in_flight'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).contains("(sync, key)");
        }
    }

    @Test
    void anEngineItDoesNotRunOnIsRefusedWithWhereItRuns() {
        WarehouseEngine snowflake = new WarehouseEngine() {
            @Override
            public String dialect() {
                return "snowflake";
            }

            @Override
            public Connection connect() {
                throw new AssertionError("no connection is made");
            }
        };
        assertThatThrownBy(() -> WarehouseSnapshots.open(snowflake, "ebb_state", "snow"))
                .hasMessageContaining("source 'snow' runs on snowflake, where the warehouse-native state does not"
                        + " run yet (it runs on duckdb and postgres)");
        assertThat(snowflake.dialect()).isEqualTo("snowflake");
    }
}
