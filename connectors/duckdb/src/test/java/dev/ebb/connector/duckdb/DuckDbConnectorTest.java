package dev.ebb.connector.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ebb.spi.Column;
import dev.ebb.spi.ColumnType;
import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.DuckDbAttachment;
import dev.ebb.spi.RowStream;
import dev.ebb.spi.Source;
import dev.ebb.spi.SourceConnector;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SourceRow;
import dev.ebb.spi.SqlEngine;
import dev.ebb.testkit.SourceContractTest;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DuckDbConnectorTest extends SourceContractTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path root;

    private final DuckDbConnector connector = new DuckDbConnector();

    // ---- the shared source contract, on an in-memory database ----

    @Override
    protected SourceConnector connector() {
        return connector;
    }

    @Override
    protected Path projectRoot() {
        return root;
    }

    @Override
    protected String query() {
        return "SELECT range AS id, 'customer-' || range AS name, range * 0.5 AS score FROM range(3) ORDER BY id";
    }

    @Override
    protected List<Column> expectedColumns() {
        return List.of(new Column("id", ColumnType.INTEGER), new Column("name", ColumnType.STRING),
                new Column("score", ColumnType.DECIMAL));
    }

    @Override
    protected List<List<Object>> expectedRows() {
        return List.of(List.of(0L, "customer-0", new BigDecimal("0.0")), List.of(1L, "customer-1", new BigDecimal("0.5")),
                List.of(2L, "customer-2", new BigDecimal("1.0")));
    }

    @Override
    protected String badQuery() {
        return "SELECT nme FROM range(3)";
    }

    private Source open(Map<String, String> settings) throws SourceException {
        return connector.open(new ConnectorContext("lakehouse", settings, root, CLOCK));
    }

    /** Runs SQL on a writable connection to a database file of the project, then closes it. */
    private void write(String relativeFile, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + root.resolve(relativeFile));
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static List<List<Object>> rows(Source source, String sql) throws SourceException {
        List<List<Object>> rows = new ArrayList<>();
        try (RowStream stream = source.query(sql)) {
            SourceRow row;
            while ((row = stream.next()) != null) {
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < stream.columns().size(); i++) {
                    values.add(row.value(i));
                }
                rows.add(values);
            }
        }
        return rows;
    }

    @Test
    void isRegisteredWithTheServiceLoader() {
        assertThat(ServiceLoader.load(SourceConnector.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(found -> assertThat(found).isInstanceOf(DuckDbConnector.class));
        assertThat(connector.type()).isEqualTo("duckdb");
        assertThat(connector.options()).extracting(o -> o.name())
                .containsExactly("path", "files", "threads", "memory_limit", "temp_directory", "allowed_directories");
        assertThat(connector.options()).noneMatch(o -> o.required() || o.secret());
    }

    @Nested
    class Types {
        @BeforeEach
        void database() throws SQLException {
            write("lakehouse.duckdb", """
                    CREATE TYPE mood AS ENUM ('happy', 'sad')""", """
                    CREATE TABLE everything AS SELECT
                        'text'::VARCHAR AS s, -5::TINYINT AS ti, 300::SMALLINT AS si, 70000::INTEGER AS i,
                        9000000000::BIGINT AS bi, 250::UTINYINT AS ut, 4000000000::UINTEGER AS ui, 123::UBIGINT AS ub,
                        -42::HUGEINT AS h, 12345.678::DECIMAL(10, 3) AS d, 1.1::FLOAT AS f, 2.5::DOUBLE AS db,
                        true AS b, DATE '2024-02-29' AS dt, TIMESTAMP '2024-01-02 03:04:05.123456' AS ts,
                        TIMESTAMP_NS '2024-01-02 03:04:05.123456789' AS tsn, TIMESTAMP_S '2024-01-02 03:04:05' AS tss,
                        TIMESTAMPTZ '2024-01-02 03:04:05+02:00' AS tz, 'sad'::mood AS e, [1, 2] AS l,
                        {'a': 1} AS st, '00000000-0000-0000-0000-000000000001'::UUID AS u, INTERVAL 3 DAY AS iv,
                        TIME '12:30:00' AS tm""", """
                    INSERT INTO everything SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL""");
        }

        @Test
        void duckDbTypesArriveAsTheSpisJavaTypes() throws SourceException {
            try (Source source = open(Map.of("path", "lakehouse.duckdb"))) {
                List<Column> described = source.describe("SELECT * FROM everything");
                assertThat(described).extracting(Column::type).containsExactly(
                        ColumnType.STRING, ColumnType.INTEGER, ColumnType.INTEGER, ColumnType.INTEGER,
                        ColumnType.INTEGER, ColumnType.INTEGER, ColumnType.INTEGER, ColumnType.INTEGER,
                        ColumnType.INTEGER, ColumnType.DECIMAL, ColumnType.DOUBLE, ColumnType.DOUBLE,
                        ColumnType.BOOLEAN, ColumnType.DATE, ColumnType.TIMESTAMP, ColumnType.TIMESTAMP,
                        ColumnType.TIMESTAMP, ColumnType.TIMESTAMP, ColumnType.STRING, ColumnType.OTHER,
                        ColumnType.OTHER, ColumnType.OTHER, ColumnType.OTHER, ColumnType.OTHER);
                assertThat(described).extracting(Column::name).startsWith("s", "ti", "si");

                List<List<Object>> rows = rows(source, "SELECT * FROM everything ORDER BY s NULLS LAST");
                assertThat(rows.getFirst()).containsExactly(
                        "text", -5L, 300L, 70000L, 9_000_000_000L, 250L, 4_000_000_000L, 123L, -42L,
                        new BigDecimal("12345.678"), 1.1, 2.5, true, LocalDate.of(2024, 2, 29),
                        Instant.parse("2024-01-02T03:04:05.123456Z"), Instant.parse("2024-01-02T03:04:05.123456789Z"),
                        Instant.parse("2024-01-02T03:04:05Z"), Instant.parse("2024-01-02T01:04:05Z"), "sad", "[1, 2]",
                        "{'a': 1}", "00000000-0000-0000-0000-000000000001", "3 days", "12:30:00");
                assertThat(rows.get(1)).as("nulls stay nulls").containsOnlyNulls().hasSize(24);
            }
        }

        @Test
        void aValueBeyondALongFailsWithTheFix() throws SourceException {
            try (Source source = open(Map.of())) {
                SourceException failure = catchThrowableOfType(SourceException.class,
                        () -> rows(source, "SELECT 1::HUGEINT AS fine UNION ALL"
                                + " SELECT 170141183460469231731687303715884105727::HUGEINT ORDER BY 1"));
                assertThat(failure).hasMessage("column 'fine' holds a value that does not fit a 64-bit integer; cast"
                        + " it in the model, e.g. CAST(fine AS DECIMAL(38, 0))");
            }
        }
    }

    @Nested
    class DataFiles {
        @BeforeEach
        void files() throws Exception {
            Files.createDirectories(root.resolve("data"));
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                 Statement statement = connection.createStatement()) {
                statement.execute("COPY (SELECT range AS id, 'c' || range AS name FROM range(5)) TO "
                        + DuckDbSession.literal(root.resolve("data/customers.parquet").toString()) + " (FORMAT parquet)");
                statement.execute("COPY (SELECT range AS id, range * 10 AS amount FROM range(3)) TO "
                        + DuckDbSession.literal(root.resolve("data/orders.csv").toString()) + " (HEADER)");
            }
        }

        @Test
        void modelsReadFilesByPathsRelativeToTheProjectRoot() throws SourceException {
            assertThat(Path.of("data")).as("the test's working directory holds no data folder").doesNotExist();
            try (Source source = open(Map.of())) {
                assertThat(rows(source, "SELECT count(*) FROM read_parquet('data/*.parquet')"))
                        .containsExactly(List.of(5L));
                assertThat(rows(source, "SELECT sum(amount) FROM read_csv_auto('data/orders.csv')"))
                        .containsExactly(List.of(30L));
                assertThat(rows(source, "SELECT name FROM 'data/customers.parquet' WHERE id = 4"))
                        .containsExactly(List.of("c4"));
            }
        }

        @Test
        void aDatabaseFileCanBeJoinedWithFiles() throws Exception {
            write("lakehouse.duckdb", "CREATE TABLE scores AS SELECT 4 AS id, 0.9 AS churn");
            try (Source source = open(Map.of("path", "lakehouse.duckdb"))) {
                assertThat(rows(source, """
                        SELECT c.name, s.churn
                        FROM read_parquet('data/customers.parquet') c JOIN scores s USING (id)"""))
                        .containsExactly(List.of("c4", new BigDecimal("0.9")));
            }
        }

        @Test
        void filesOfAFolderBecomeViewsNamedAfterThem() throws SourceException {
            try (Source source = open(Map.of("files", "data"))) {
                assertThat(rows(source, "SELECT count(*) FROM customers JOIN orders USING (id)"))
                        .containsExactly(List.of(3L));
            }
        }

        @Test
        void itsEngineTellsAnotherDuckDbHowToAttachItAndReadItsFiles() throws Exception {
            write("lakehouse.duckdb", "CREATE TABLE scores AS SELECT 4 AS id, 0.9 AS churn");
            try (Source source = open(Map.of("path", "lakehouse.duckdb", "files", "data"))) {
                SqlEngine engine = source.engine().orElseThrow();
                assertThat(engine.dialect()).isEqualTo(SqlEngine.DUCKDB);
                assertThat(engine.modelQuery("SELECT * FROM scores;  ")).isEqualTo("SELECT * FROM scores");
                assertThat(catchThrowableOfType(SourceException.class, () -> engine.modelQuery("DROP TABLE scores")))
                        .hasMessageContaining("single query");
                DuckDbAttachment attachment = engine.duckDbAttachment().orElseThrow();
                assertThat(attachment.database()).contains(root.resolve("lakehouse.duckdb"));
                assertThat(attachment.views()).containsExactly(
                        Map.entry("customers", root.resolve("data/customers.parquet")),
                        Map.entry("orders", root.resolve("data/orders.csv")));
                assertThat(attachment.fileSearchPath()).isEqualTo(root.toString());
                // DuckDB's memory is bounded and spills into the project, whatever the machine has.
                try (Connection connection = engine.connect(); Statement statement = connection.createStatement();
                     var result = statement.executeQuery("SELECT current_setting('memory_limit'),"
                             + " current_setting('temp_directory')")) {
                    result.next();
                    assertThat(result.getString(1)).isEqualTo("953.6 MiB");
                    assertThat(result.getString(2)).isEqualTo(root.resolve(".ebb/duckdb-spill").toString());
                }
                assertThat(attachment.allowedDirectories()).contains(root + "/", "data/");
                assertThat(attachment.allowedPaths()).contains("lakehouse.duckdb");
                // The engine's connection is the session: it sees the views; closing it leaves the source open.
                try (Connection connection = engine.connect();
                     Statement statement = connection.createStatement();
                     var result = statement.executeQuery("SELECT count(*) FROM customers JOIN scores USING (id)")) {
                    result.next();
                    assertThat(result.getLong(1)).isEqualTo(1);
                }
                assertThat(rows(source, "SELECT count(*) FROM orders")).containsExactly(List.of(3L));
            }
        }

        @Test
        void aGlobSelectsTheFilesThatBecomeViews() throws SourceException {
            try (Source source = open(Map.of("files", "data/*.csv"))) {
                assertThat(rows(source, "SELECT count(*) FROM orders")).containsExactly(List.of(3L));
                SourceException failure = catchThrowableOfType(SourceException.class,
                        () -> source.describe("SELECT * FROM customers"));
                assertThat(failure).hasMessageContaining("customers");
            }
        }

        @Test
        void aGlobThatMatchesNothingIsReported() {
            SourceException failure = catchThrowableOfType(SourceException.class,
                    () -> open(Map.of("files", "data/*.json")));

            assertThat(failure).hasMessage("source 'lakehouse': files 'data/*.json' matches no Parquet, CSV or JSON"
                    + " file under the project root");
        }
    }

    @Nested
    class ReadOnly {
        private Path database;

        @BeforeEach
        void database() throws SQLException {
            database = root.resolve("lakehouse.duckdb");
            write("lakehouse.duckdb", "CREATE TABLE customers AS SELECT range AS id FROM range(3)");
        }

        private byte[] digest() throws Exception {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(database));
        }

        @Test
        void aModelCannotWriteToTheDatabaseFile() throws Exception {
            byte[] before = digest();
            List<String> writes = List.of(
                    "CREATE TABLE stolen AS SELECT 1 AS x",
                    "INSERT INTO customers VALUES (99)",
                    "UPDATE customers SET id = 0",
                    "DELETE FROM customers",
                    "DROP TABLE customers",
                    "ATTACH 'other.duckdb' AS other",
                    "COPY customers TO 'leak.csv'");
            try (Source source = open(Map.of("path", "lakehouse.duckdb"))) {
                for (String write : writes) {
                    SourceException failure = catchThrowableOfType(SourceException.class, () -> rows(source, write));
                    assertThat(failure).as(write).hasMessageContaining("a model must be a single query")
                            .hasMessageContaining("Models run read-only");
                    assertThat(failure.unreachable()).isFalse();
                }
                assertThat(rows(source, "SELECT count(*) FROM customers")).containsExactly(List.of(3L));
            }
            assertThat(digest()).as("the database file is unchanged").isEqualTo(before);
            assertThat(root.resolve("leak.csv")).doesNotExist();
            assertThat(root.resolve("other.duckdb")).doesNotExist();
        }

        @Test
        void aWriteHiddenBeforeOrAfterAQueryIsRefusedBeforeAnythingRuns() throws Exception {
            byte[] before = digest();
            try (Source source = open(Map.of("path", "lakehouse.duckdb"))) {
                for (String sql : List.of("DROP TABLE customers; SELECT 1", "SELECT 1; DROP TABLE customers",
                        "SELECT 1) AS x; CREATE TABLE t AS SELECT 1; SELECT * FROM (SELECT 1")) {
                    SourceException failure = catchThrowableOfType(SourceException.class, () -> source.describe(sql));
                    assertThat(failure).as(sql).isNotNull();
                }
                assertThat(rows(source, "SELECT count(*) FROM customers")).containsExactly(List.of(3L));
            }
            assertThat(digest()).isEqualTo(before);
        }

        @Test
        void anInMemoryDatabaseRefusesWritesToo() throws Exception {
            try (Source source = open(Map.of())) {
                SourceException failure = catchThrowableOfType(SourceException.class,
                        () -> rows(source, "CREATE TABLE t AS SELECT 1; SELECT * FROM t"));
                assertThat(failure).hasMessageContaining("a model must be a single query");
                SourceException copy = catchThrowableOfType(SourceException.class,
                        () -> rows(source, "COPY (SELECT 1) TO 'leak.csv'"));
                assertThat(copy).hasMessageContaining("a model must be a single query");
                SourceException separate = catchThrowableOfType(SourceException.class,
                        () -> rows(source, "SELECT 1; SELECT 2;"));
                assertThat(separate).hasMessage("source 'lakehouse': a model is one query, and this SQL holds 2"
                        + " statements; keep only the query");
            }
            assertThat(root.resolve("leak.csv")).doesNotExist();
        }

        @Test
        void everyKindOfQueryIsAccepted() throws Exception {
            try (Source source = open(Map.of("path", "lakehouse.duckdb"))) {
                assertThat(rows(source, "SELECT count(*) FROM customers;\n-- trailing comment\n")).hasSize(1);
                assertThat(rows(source, "WITH c AS (SELECT * FROM customers) SELECT max(id) FROM c"))
                        .containsExactly(List.of(2L));
                assertThat(rows(source, "FROM customers ORDER BY id LIMIT 1")).containsExactly(List.of(0L));
                assertThat(rows(source, "VALUES (1), (2)")).hasSize(2);
                assertThat(rows(source, "PIVOT customers ON id IN (0, 1, 2) USING count(*)")).hasSize(1);
                assertThat(catchThrowableOfType(SourceException.class,
                        () -> source.describe("PIVOT customers ON id USING count(*)")))
                        .as("a dynamic PIVOT runs as several statements").hasMessageContaining("PIVOT t ON c IN (…)");
                assertThat(rows(source, "(SELECT 1) UNION ALL (SELECT 2)")).hasSize(2);
            }
        }
    }

    @Nested
    class Errors {
        @Test
        void anSqlErrorCarriesDuckDbsMessageWithTheLine() throws Exception {
            write("lakehouse.duckdb", "CREATE TABLE customers AS SELECT 1 AS id, 'a' AS name");
            try (Source source = open(Map.of("path", "lakehouse.duckdb"))) {
                SourceException binder = catchThrowableOfType(SourceException.class,
                        () -> source.query("SELECT id,\n       nme\nFROM customers"));
                assertThat(binder).hasMessageStartingWith("source 'lakehouse': Binder Error: Referenced column \"nme\""
                                + " not found")
                        .hasMessageContaining("LINE 2:        nme");
                assertThat(binder.unreachable()).isFalse();

                SourceException parser = catchThrowableOfType(SourceException.class,
                        () -> source.describe("SELECT id\nFORM customers"));
                assertThat(parser).hasMessage("source 'lakehouse': Parser Error: syntax error at or near"
                        + " \"customers\"\n\nLINE 2: FORM customers\n             ^");

                SourceException missingTable = catchThrowableOfType(SourceException.class,
                        () -> source.describe("SELECT * FROM orders"));
                assertThat(missingTable).hasMessageContaining("Table with name orders does not exist");
            }
        }

        @Test
        void anEmptyModelIsReported() throws Exception {
            try (Source source = open(Map.of())) {
                assertThat(catchThrowableOfType(SourceException.class, () -> source.describe("  -- nothing\n ;")))
                        .hasMessage("source 'lakehouse': the model's SQL is empty");
            }
        }

        @Test
        void aMissingDatabaseFileIsUnreachableAndNamed() {
            SourceException failure = catchThrowableOfType(SourceException.class,
                    () -> open(Map.of("path", "data/missing.duckdb")));

            assertThat(failure.unreachable()).isTrue();
            assertThat(failure).hasMessageStartingWith("source 'lakehouse': DuckDB database file"
                    + " 'data/missing.duckdb' does not exist");
            assertThat(root.resolve("data/missing.duckdb")).as("not created by opening").doesNotExist();
        }

        @Test
        void badLimitsAreReportedAsSettings() {
            SourceException threads = catchThrowableOfType(SourceException.class, () -> open(Map.of("threads", "lots")));
            assertThat(threads).hasMessage("source 'lakehouse': threads must be a whole number of at least 1,"
                    + " found 'lots'");
            assertThat(threads.unreachable()).isFalse();

            SourceException memory = catchThrowableOfType(SourceException.class,
                    () -> open(Map.of("memory_limit", "plenty")));
            assertThat(memory).hasMessageStartingWith("source 'lakehouse': memory_limit 'plenty' is not accepted by"
                    + " DuckDB");
        }

        @Test
        void limitsAreApplied() throws Exception {
            try (Source source = open(Map.of("threads", "2", "memory_limit", "256MB"))) {
                assertThat(rows(source, "SELECT current_setting('threads')")).containsExactly(List.of(2L));
            }
        }
    }

    @Nested
    class Streaming {
        @Test
        void describeReadsNoRows() throws Exception {
            try (Source source = open(Map.of())) {
                long started = System.nanoTime();
                assertThat(source.describe("SELECT range AS n, 'x' || range AS label FROM range(1000000000000)"))
                        .containsExactly(new Column("n", ColumnType.INTEGER), new Column("label", ColumnType.STRING));
                assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(5);
            }
        }

        @Test
        @Timeout(value = 60, unit = TimeUnit.SECONDS)
        void rowsArriveBeforeTheResultIsComplete() throws Exception {
            // A trillion rows: only a stream can hand over the first two million and stop.
            try (Source source = open(Map.of()); RowStream stream = source.query("SELECT range FROM range(1000000000000)")) {
                long expected = 0;
                while (expected < 2_000_000) {
                    assertThat(stream.next().value(0)).isEqualTo(expected++);
                }
            }
        }

        @Test
        void anotherQueryClosesTheOpenStream() throws Exception {
            try (Source source = open(Map.of())) {
                RowStream first = source.query("SELECT range FROM range(10)");
                first.next();
                assertThat(rows(source, "SELECT 42")).containsExactly(List.of(42L));
                assertThat(catchThrowableOfType(SourceException.class, first::next)).hasMessageContaining("closed");
            }
        }
    }

    @Nested
    class LockedDown {
        @Test
        void modelsReadTheProjectsFilesByRelativeAndAbsolutePaths() throws Exception {
            Files.createDirectories(root.resolve("data"));
            Files.writeString(root.resolve("data/customers.csv"), "id\n1\n2\n");
            Files.writeString(root.resolve("top.csv"), "id\n3\n");
            try (Source source = open(Map.of())) {
                assertThat(rows(source, "SELECT count(*) FROM read_csv_auto('data/customers.csv')"))
                        .containsExactly(List.of(2L));
                assertThat(rows(source, "SELECT count(*) FROM 'data/*.csv'")).containsExactly(List.of(2L));
                assertThat(rows(source, "SELECT count(*) FROM 'top.csv'")).containsExactly(List.of(1L));
                assertThat(rows(source, "SELECT count(*) FROM read_csv_auto('" + root.resolve("data/customers.csv")
                        + "')")).containsExactly(List.of(2L));
            }
        }

        @Test
        void modelsReachNoFileOutsideTheProjectNoUrlAndNoSetting(@TempDir Path elsewhere) throws Exception {
            Files.writeString(elsewhere.resolve("secret.csv"), "id\n1\n");
            Files.createDirectories(root.resolve("data"));
            try (Source source = open(Map.of())) {
                for (String sql : List.of("SELECT * FROM read_csv_auto('" + elsewhere.resolve("secret.csv") + "')",
                        "SELECT * FROM read_csv_auto('data/../../" + elsewhere.getFileName() + "/secret.csv')",
                        "SELECT * FROM read_csv_auto('https://example.com/x.csv')")) {
                    assertThat(catchThrowableOfType(SourceException.class, () -> rows(source, sql)))
                            .as(sql).hasMessageContaining("Permission Error");
                }
                assertThat(rows(source, """
                        SELECT current_setting('enable_external_access'), current_setting('autoinstall_known_extensions'),
                               current_setting('autoload_known_extensions'), current_setting('allow_community_extensions'),
                               current_setting('lock_configuration')""")).containsExactly(
                        List.of(false, false, false, false, true));
            }
        }

        /**
         * The warehouse-native state's connections run the model's SQL (the plan's rows are built there) beside the
         * session: each sees the relative paths and views models see, and is as locked down.
         */
        @Test
        void aSourceKeepingTheStateLendsConnectionsThatSeeWhatModelsSeeUnderTheSameLock(@TempDir Path elsewhere)
                throws Exception {
            Files.writeString(elsewhere.resolve("secret.csv"), "id\n1\n");
            Files.createDirectories(root.resolve("data"));
            Files.writeString(root.resolve("data/customers.csv"), "id\n1\n2\n");
            write("lakehouse.duckdb", "CREATE TABLE marker AS SELECT 1 AS one");
            try (Source source = open(Map.of("path", "lakehouse.duckdb", "files", "data",
                    ConnectorContext.STATE_SCHEMA, "ebb_state"))) {
                SqlEngine engine = source.engine().orElseThrow();
                try (RowStream open = source.query("SELECT * FROM range(5000)");
                     Connection first = engine.connect(); Connection second = engine.connect();
                     Statement statement = first.createStatement()) {
                    assertThat(first).isNotSameAs(second);
                    assertThat(single(first, "SELECT count(*) FROM read_csv_auto('data/customers.csv')"))
                            .as("a relative path resolves against the project root").isEqualTo("2");
                    assertThat(single(second, "SELECT count(*) FROM customers JOIN marker ON id = one"))
                            .as("the file views, beside the database's tables").isEqualTo("1");
                    for (String sql : List.of("SELECT * FROM read_csv_auto('" + elsewhere.resolve("secret.csv") + "')",
                            "SELECT * FROM read_csv_auto('data/../../" + elsewhere.getFileName() + "/secret.csv')",
                            "SELECT * FROM read_csv_auto('https://example.com/x.csv')")) {
                        assertThat(catchThrowable(() -> single(first, sql)))
                                .as(sql).hasMessageContaining("Permission Error");
                    }
                    assertThat(catchThrowable(() -> first.createStatement().execute("SET file_search_path = '/'")))
                            .hasMessageContaining("locked");
                    assertThat(single(second, "SELECT current_setting('lock_configuration')")).isEqualTo("true");
                    assertThat(catchThrowable(() -> first.unwrap(Connection.class)))
                            .hasMessageContaining("cannot be unwrapped");
                    // Its own connection: a temporary table on one is not on the other, nor in the session's stream.
                    statement.execute("CREATE TEMPORARY TABLE ebb_cur AS SELECT 1 AS x");
                    assertThat(catchThrowable(() -> single(second,
                            "SELECT count(*) FROM ebb_cur"))).hasMessageContaining("ebb_cur");
                    int streamed = 0;
                    while (open.next() != null) streamed++;
                    assertThat(streamed).isEqualTo(5000);
                }
                // Given back as lent: the borrower's temporary tables are gone, the views stay.
                List<Connection> lent = new ArrayList<>();
                try {
                    for (int i = 0; i < StateConnections.COUNT; i++) lent.add(engine.connect());
                    for (Connection each : lent) {
                        assertThat(single(each, "SELECT count(*) FROM duckdb_tables() WHERE temporary")).isEqualTo("0");
                        assertThat(single(each, "SELECT count(*) FROM customers")).isEqualTo("2");
                    }
                    assertThat(catchThrowableOfType(SourceException.class, engine::connect))
                            .hasMessageContaining("all " + StateConnections.COUNT + " of its connections")
                            .hasMessageContaining("run fewer syncs of this source at once");
                } finally {
                    for (Connection each : lent) each.close();
                }
                Connection again = engine.connect();
                again.close();
                assertThat(again.isClosed()).isTrue();
                assertThat(catchThrowable(() -> single(again, "SELECT 1")))
                        .hasMessageContaining("closed");
            }
        }

        private static String single(Connection connection, String sql) throws SQLException {
            try (Statement statement = connection.createStatement();
                 java.sql.ResultSet result = statement.executeQuery(sql)) {
                result.next();
                return result.getString(1);
            }
        }

        @Test
        void allowedDirectoriesOpenFoldersOutsideTheProject(@TempDir Path lake) throws Exception {
            Files.writeString(lake.resolve("orders.csv"), "id\n1\n");
            try (Source source = open(Map.of("allowed_directories", lake.toString()))) {
                assertThat(rows(source, "SELECT count(*) FROM '" + lake.resolve("orders.csv") + "'"))
                        .containsExactly(List.of(1L));
            }
            assertThat(catchThrowableOfType(SourceException.class,
                    () -> open(Map.of("allowed_directories", "no/such/folder"))))
                    .hasMessageContaining("allowed_directories entry 'no/such/folder' is not a folder");
        }
    }
}
