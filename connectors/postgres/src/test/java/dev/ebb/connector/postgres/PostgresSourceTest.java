package dev.ebb.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ebb.spi.Column;
import dev.ebb.spi.ColumnType;
import dev.ebb.spi.RowStream;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SourceRow;
import dev.ebb.spi.SqlEngine;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PostgreSQL source against a real server: types, read-only models, describing, and what a failure says. */
class PostgresSourceTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    static TestingWarehouse warehouse;

    @BeforeAll
    static void createWarehouse() throws Exception {
        warehouse = TestingWarehouse.create(POSTGRES,
                "CREATE TYPE marts.plan AS ENUM ('free', 'pro')",
                """
                CREATE TABLE marts.every_type (
                  n2 int2, n4 int4, n8 int8, price numeric(10,2), ratio numeric, f4 float4, f8 float8,
                  flag bool, t text, v varchar(10), c char(4), u uuid, d date, ts timestamp, tstz timestamptz,
                  j json, jb jsonb, ints int[], words text[], raw bytea, p marts.plan, iv interval)""",
                """
                INSERT INTO marts.every_type VALUES (
                  -2, 4, 9000000000, 1.50, 0.1234567890123456789, 1.1, 2.5,
                  true, 'text', 'varchar', 'ab', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '2024-02-29',
                  '2024-03-01 12:30:00', '2024-03-01 12:30:00+02',
                  '{"b": 1,  "a": [1, 2]}', '{"b": 1,  "a": [1, 2]}', '{1,2,NULL}', '{"a b",c}', '\\xdeadbeef',
                  'pro', '1 day 2 hours')""",
                "INSERT INTO marts.every_type (n4) VALUES (NULL)",
                "CREATE TABLE marts.customers (id int PRIMARY KEY, email text)",
                "INSERT INTO marts.customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 10) g",
                "CREATE SEQUENCE marts.counter",
                "GRANT USAGE ON SEQUENCE marts.counter TO " + TestingWarehouse.ROLE,
                "CREATE TABLE marts.secret (id int)",
                "REVOKE SELECT ON marts.secret FROM " + TestingWarehouse.ROLE,
                "CREATE TABLE public.elsewhere (id int)");
    }

    @Test
    void everyTypeArrivesExactly() throws Exception {
        try (Source source = warehouse.open();
             RowStream stream = source.query("SELECT * FROM every_type ORDER BY n4 NULLS LAST")) {
            Map<String, ColumnType> types = new LinkedHashMap<>();
            for (Column column : stream.columns()) types.put(column.name(), column.type());
            assertThat(types).containsExactly(
                    Map.entry("n2", ColumnType.INTEGER), Map.entry("n4", ColumnType.INTEGER),
                    Map.entry("n8", ColumnType.INTEGER), Map.entry("price", ColumnType.DECIMAL),
                    Map.entry("ratio", ColumnType.DECIMAL), Map.entry("f4", ColumnType.DOUBLE),
                    Map.entry("f8", ColumnType.DOUBLE), Map.entry("flag", ColumnType.BOOLEAN),
                    Map.entry("t", ColumnType.STRING), Map.entry("v", ColumnType.STRING),
                    Map.entry("c", ColumnType.STRING), Map.entry("u", ColumnType.STRING),
                    Map.entry("d", ColumnType.DATE), Map.entry("ts", ColumnType.TIMESTAMP),
                    Map.entry("tstz", ColumnType.TIMESTAMP), Map.entry("j", ColumnType.OTHER),
                    Map.entry("jb", ColumnType.OTHER), Map.entry("ints", ColumnType.OTHER),
                    Map.entry("words", ColumnType.OTHER), Map.entry("raw", ColumnType.OTHER),
                    Map.entry("p", ColumnType.OTHER), Map.entry("iv", ColumnType.OTHER));
            SourceRow row = stream.next();
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < types.size(); i++) values.add(row.value(i));
            assertThat(values).containsExactly(-2L, 4L, 9_000_000_000L, new BigDecimal("1.50"),
                    new BigDecimal("0.1234567890123456789"), 1.1, 2.5, true, "text", "varchar", "ab  ",
                    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", LocalDate.parse("2024-02-29"),
                    Instant.parse("2024-03-01T12:30:00Z"), Instant.parse("2024-03-01T10:30:00Z"),
                    "{\"b\": 1,  \"a\": [1, 2]}", "{\"a\": [1, 2], \"b\": 1}", "{1,2,NULL}", "{\"a b\",c}",
                    "deadbeef", "pro", "1 day 02:00:00");
            assertThat(((BigDecimal) values.get(3)).scale()).as("numeric(10,2) keeps its scale").isEqualTo(2);

            SourceRow nulls = stream.next();
            for (int i = 0; i < types.size(); i++) assertThat(nulls.value(i)).as(types.keySet().toArray()[i] + "")
                    .isNull();
            assertThat(stream.next()).isNull();
        }
    }

    @Test
    void aNumberThatIsNotANumberIsRefusedNamingTheColumn() throws Exception {
        try (Source source = warehouse.open(); RowStream stream = source.query("SELECT 'NaN'::numeric AS score")) {
            SourceException refused = catchThrowableOfType(SourceException.class, stream::next);
            assertThat(refused.getMessage()).contains("column 'score' holds NaN");
        }
    }

    /** Dividing by zero fails on the first row read, never in a describe, which only asks for the row's shape. */
    @Test
    void describeReadsNoRow() throws Exception {
        String sql = "SELECT id / 0 AS boom, email FROM customers";
        try (Source source = warehouse.open()) {
            assertThat(source.describe(sql)).containsExactly(new Column("boom", ColumnType.INTEGER),
                    new Column("email", ColumnType.STRING));
            SourceException failed = catchThrowableOfType(SourceException.class, () -> {
                try (RowStream stream = source.query(sql)) {
                    stream.next();
                }
            });
            assertThat(failed.getMessage()).contains("22012");
            assertThat(failed.unreachable()).isFalse();
        }
    }

    @Test
    void modelsRunReadOnly() throws Exception {
        try (Source source = warehouse.open()) {
            SourceException write = catchThrowableOfType(SourceException.class, () -> {
                try (RowStream stream = source.query("SELECT nextval('counter')")) {
                    stream.next();
                }
            });
            assertThat(write.getMessage()).contains("25006").contains("read-only transaction");

            SourceException twoStatements = catchThrowableOfType(SourceException.class,
                    () -> source.query("SELECT 1; DROP TABLE customers"));
            assertThat(twoStatements).isNotNull();
            SourceException modifyingWith = catchThrowableOfType(SourceException.class,
                    () -> source.query("WITH gone AS (DELETE FROM customers RETURNING id) SELECT * FROM gone"));
            assertThat(modifyingWith).isNotNull();
        }
        try (Connection admin = POSTGRES.admin(TestingWarehouse.DATABASE); Statement statement =
                admin.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT (SELECT count(*) FROM marts.customers), (SELECT last_value FROM marts.counter),"
                        + " (SELECT is_called FROM marts.counter)")) {
            rows.next();
            assertThat(rows.getLong(1)).as("customers untouched").isEqualTo(10);
            assertThat(rows.getBoolean(3)).as("the sequence never advanced").isFalse();
        }
    }

    @Test
    void aPoolOfOneServesQueryAfterQuery() throws Exception {
        try (Source source = warehouse.open("pool_size", "1")) {
            for (int i = 0; i < 3; i++) {
                try (RowStream stream = source.query("SELECT count(*) AS n FROM customers")) {
                    assertThat(stream.next().value(0)).isEqualTo(10L);
                }
            }
            try (RowStream stream = source.query("SELECT current_setting('TimeZone') AS zone")) {
                assertThat(stream.next().value(0)).isEqualTo("UTC");
            }
        }
    }

    /**
     * Ebb's own SQL gets connections of its own, beside the pool (even while a stream holds the only pooled one),
     * on the models' search path, writable, and each fresh: a temporary table ends with its connection.
     */
    @Test
    void theEngineConnectsAsModelsDoButOnItsOwn() throws Exception {
        try (Source source = warehouse.open("pool_size", "1");
             RowStream holding = source.query("SELECT id FROM customers")) {
            SqlEngine engine = source.engine().orElseThrow();
            assertThat(engine.dialect()).isEqualTo(SqlEngine.POSTGRES);
            assertThat(engine.modelQuery("SELECT 1;  ")).isEqualTo("SELECT 1");
            for (int i = 0; i < 2; i++) {
                try (Connection connection = engine.connect(); Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TEMPORARY TABLE scratch (k text)");
                    try (ResultSet rows = statement.executeQuery("SELECT current_setting('search_path'),"
                            + " current_setting('TimeZone'), current_setting('transaction_read_only')")) {
                        rows.next();
                        assertThat(rows.getString(1)).as("the engine sees what models see").isEqualTo("marts");
                        assertThat(rows.getString(2)).isEqualTo("UTC");
                        assertThat(rows.getString(3)).isEqualTo("off");
                    }
                }
            }
            assertThat(holding.next()).as("the stream is untouched").isNotNull();
        }
    }

    @Test
    void aWrongPasswordIsAnAuthenticationProblem() {
        SourceException failed = catchThrowableOfType(SourceException.class,
                () -> warehouse.open("password", "wrong"));
        assertThat(failed.unreachable()).isTrue();
        assertThat(failed.getMessage()).contains("cannot connect (authentication)").contains("28P01")
                .doesNotContain("wrong");
    }

    @Test
    void aClosedPortIsANetworkProblem() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        SourceException failed = catchThrowableOfType(SourceException.class,
                () -> warehouse.open("url", null, "host", "127.0.0.1", "port", Integer.toString(port),
                        "database", TestingWarehouse.DATABASE, "timeout_seconds", "2"));
        assertThat(failed.unreachable()).isTrue();
        assertThat(failed.getMessage()).contains("cannot connect (network)");
    }

    @Test
    void aMissingDatabaseOrSchemaIsToldAtOpen() {
        SourceException database = catchThrowableOfType(SourceException.class,
                () -> warehouse.open("url", POSTGRES.jdbcUrl("no_such_db")));
        assertThat(database.unreachable()).isTrue();
        assertThat(database.getMessage()).contains("cannot connect (missing database)").contains("3D000");

        SourceException schema = catchThrowableOfType(SourceException.class,
                () -> warehouse.open("schema", "no_such_schema"));
        assertThat(schema.unreachable()).isTrue();
        assertThat(schema.getMessage()).contains("missing schema").contains("'no_such_schema'");
    }

    @Test
    void aTableTheRoleMayNotReadOrThatIsMissingMeansTheRunCannotGo() throws Exception {
        try (Source source = warehouse.open()) {
            SourceException permission = catchThrowableOfType(SourceException.class,
                    () -> source.query("SELECT * FROM secret"));
            assertThat(permission.unreachable()).isTrue();
            assertThat(permission.getMessage()).contains("permission").contains("42501");

            SourceException missing = catchThrowableOfType(SourceException.class,
                    () -> source.describe("SELECT * FROM elsewhere"));
            assertThat(missing.unreachable()).as("public is not on the path: schema: marts").isTrue();
            assertThat(missing.getMessage()).contains("missing table").contains("42P01");

            SourceException typo = catchThrowableOfType(SourceException.class,
                    () -> source.query("SELEC 1"));
            assertThat(typo.unreachable()).as("the model's own error").isFalse();
            assertThat(typo.getMessage()).contains("42601");
        }
    }
}
