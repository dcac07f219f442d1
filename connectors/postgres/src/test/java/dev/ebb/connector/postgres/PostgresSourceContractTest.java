package dev.ebb.connector.postgres;

import dev.ebb.spi.Column;
import dev.ebb.spi.ColumnType;
import dev.ebb.spi.SourceConnector;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import dev.ebb.testkit.SourceContractTest;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared source contract against a real PostgreSQL, read by a role that may only read. */
class PostgresSourceContractTest extends SourceContractTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    static TestingWarehouse warehouse;

    @BeforeAll
    static void createWarehouse() throws Exception {
        warehouse = TestingWarehouse.create(POSTGRES,
                "CREATE TABLE marts.customers (id int PRIMARY KEY, email text, score numeric(5,3), seen timestamptz,"
                        + " active bool)",
                "INSERT INTO marts.customers VALUES (1, 'ada@example.com', 0.5, '2024-05-01 10:00:00+02', true),"
                        + " (2, 'bob@example.com', NULL, NULL, false)");
    }

    @Override
    protected SourceConnector connector() {
        return new PostgresSourceConnector();
    }

    @Override
    protected Path projectRoot() {
        return Path.of(".");
    }

    @Override
    protected Map<String, String> sourceSettings() {
        return warehouse.settings();
    }

    @Override
    protected String query() {
        return "SELECT id, email, score, seen, active FROM customers ORDER BY id";
    }

    @Override
    protected List<Column> expectedColumns() {
        return List.of(new Column("id", ColumnType.INTEGER), new Column("email", ColumnType.STRING),
                new Column("score", ColumnType.DECIMAL), new Column("seen", ColumnType.TIMESTAMP),
                new Column("active", ColumnType.BOOLEAN));
    }

    @Override
    protected List<List<Object>> expectedRows() {
        return List.of(
                List.of(1L, "ada@example.com", new BigDecimal("0.500"), Instant.parse("2024-05-01T08:00:00Z"), true),
                Arrays.asList(2L, "bob@example.com", null, null, false));
    }

    @Override
    protected String badQuery() {
        return "SELECT no_such_column FROM customers";
    }
}
