package dev.ebb.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ebb.spi.Column;
import dev.ebb.spi.ColumnType;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.RowStream;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceConnector;
import dev.ebb.spi.SourceException;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import dev.ebb.testkit.SourceContractTest;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source contract and the failure classification on the generic JDBC path, against a real PostgreSQL through
 * its driver: the JDBC metadata alone types the columns.
 */
class GenericJdbcSourceTest extends SourceContractTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @BeforeAll
    static void createDatabase() throws Exception {
        POSTGRES.createDatabase("lake");
        POSTGRES.createRole("reader", "reader-secret");
        POSTGRES.execute("lake", "CREATE SCHEMA marts", "GRANT USAGE ON SCHEMA marts TO reader",
                "CREATE TABLE marts.orders (id bigint, amount numeric(8,2), placed date, at timestamp, raw bytea)",
                "INSERT INTO marts.orders VALUES (1, 12.50, '2024-01-02', '2024-01-02 03:04:05', '\\x00ff'),"
                        + " (2, NULL, NULL, NULL, NULL)",
                "GRANT SELECT ON marts.orders TO reader",
                "CREATE TABLE marts.hidden (id int)");
    }

    @Override
    protected SourceConnector connector() {
        return new TestingPostgresJdbcConnector();
    }

    @Override
    protected Path projectRoot() {
        return Path.of(".");
    }

    @Override
    protected Map<String, String> sourceSettings() {
        return settings();
    }

    private static Map<String, String> settings(String... overrides) {
        Map<String, String> settings = new HashMap<>(Map.of("url", POSTGRES.jdbcUrl("lake"), "user", "reader",
                "password", "reader-secret", "schema", "marts", "fetch_size", "1"));
        for (int i = 0; i < overrides.length; i += 2) settings.put(overrides[i], overrides[i + 1]);
        return settings;
    }

    private static Source open(String... overrides) throws SourceException {
        return new TestingPostgresJdbcConnector().open(new ConnectorContext("lake", settings(overrides),
                Path.of("."), Clock.systemUTC()));
    }

    @Override
    protected String query() {
        return "SELECT * FROM orders ORDER BY id -- a trailing comment\n;";
    }

    @Override
    protected List<Column> expectedColumns() {
        return List.of(new Column("id", ColumnType.INTEGER), new Column("amount", ColumnType.DECIMAL),
                new Column("placed", ColumnType.DATE), new Column("at", ColumnType.TIMESTAMP),
                new Column("raw", ColumnType.OTHER));
    }

    @Override
    protected List<List<Object>> expectedRows() {
        return List.of(List.of(1L, new BigDecimal("12.50"), LocalDate.parse("2024-01-02"),
                        Instant.parse("2024-01-02T03:04:05Z"), "00ff"),
                Arrays.asList(2L, null, null, null, null));
    }

    @Override
    protected String badQuery() {
        return "SELECT missing FROM orders";
    }

    @Test
    void aWrongPasswordAMissingSchemaAndAForbiddenTableSayWhatIsWrong() throws Exception {
        SourceException password = catchThrowableOfType(SourceException.class, () -> open("password", "nope"));
        assertThat(password.unreachable()).isTrue();
        assertThat(password.getMessage()).startsWith("source 'lake': cannot connect (authentication)");

        SourceException schema = catchThrowableOfType(SourceException.class, () -> open("schema", "nowhere"));
        assertThat(schema.unreachable()).isTrue();
        assertThat(schema.getMessage()).contains("missing schema");

        try (Source source = open()) {
            // PostgreSQL checks privileges when a query runs, not when it is described.
            SourceException forbidden = catchThrowableOfType(SourceException.class,
                    () -> source.query("SELECT * FROM hidden"));
            assertThat(forbidden.unreachable()).isTrue();
            assertThat(forbidden.getMessage()).contains("permission");
            try (RowStream stream = source.query("SELECT count(*) AS n FROM orders")) {
                assertThat(stream.next().value(0)).as("the source works on after a refusal").isEqualTo(2L);
            }
        }
    }

    @Test
    void aSourceThatIsClosedSaysSo() throws Exception {
        Source source = open();
        source.close();
        SourceException closed = catchThrowableOfType(SourceException.class, () -> source.describe("SELECT 1"));
        assertThat(closed.getMessage()).contains("closed");
    }
}
