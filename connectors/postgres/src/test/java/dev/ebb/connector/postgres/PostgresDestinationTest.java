package dev.ebb.connector.postgres;

import dev.ebb.spi.ConnectorContext;
import dev.ebb.spi.Destination;
import dev.ebb.spi.DestinationException.PermanentException;
import dev.ebb.spi.DestinationException.TransientException;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.ObjectSchema;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RecordResult;
import dev.ebb.spi.RemoteRecord;
import dev.ebb.spi.WriteBatch;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import dev.ebb.testkit.Steps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the contract suite does not cover: PostgreSQL's types, constraints, refusals and failures. */
class PostgresDestinationTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    private TestingTable table;
    private Destination destination;

    @BeforeEach
    void open() throws Exception {
        table = TestingTable.create(POSTGRES);
        destination = open(table.settings());
    }

    @AfterEach
    void close() throws Exception {
        if (destination != null) destination.close();
        if (table != null) table.close();
    }

    private static Destination open(Map<String, String> settings) {
        return new PostgresConnector().open(new ConnectorContext("app_db", settings, Path.of(""), Clock.systemUTC()));
    }

    private static OutboundRecord record(int n, Map<String, Object> fields) {
        return new OutboundRecord("row-" + n, "p" + n + "@example.com", null, fields);
    }

    private Map<String, RecordResult> write(Operation operation, List<OutboundRecord> records) throws Exception {
        return write("customers", operation, records);
    }

    private Map<String, RecordResult> write(String object, Operation operation, List<OutboundRecord> records)
            throws Exception {
        return Steps.complete(destination, new WriteBatch(object, operation, "email", records)).results().stream()
                .collect(Collectors.toMap(RecordResult::key, Function.identity()));
    }

    @Test
    void describeMapsPostgresTypesToFieldTypes() throws Exception {
        table.execute("CREATE DOMAIN positive AS integer CHECK (VALUE > 0)",
                "CREATE TABLE typed (code varchar(8) PRIMARY KEY, count positive, big bigint, ratio real,"
                        + " price numeric(10, 2), token uuid, doc jsonb, at_local timestamp, at_time time,"
                        + " tags text[], doubled integer GENERATED ALWAYS AS (count * 2) STORED,"
                        + " serial_id integer GENERATED ALWAYS AS IDENTITY, alias text UNIQUE, flag boolean)");

        ObjectSchema schema = destination.describe("typed");

        Map<String, FieldSpec> fields = schema.fields().stream()
                .collect(Collectors.toMap(FieldSpec::name, Function.identity()));
        Map<String, FieldType> types = new HashMap<>();
        fields.forEach((name, spec) -> types.put(name, spec.type()));
        assertThat(types).containsAllEntriesOf(Map.ofEntries(
                Map.entry("code", FieldType.STRING), Map.entry("count", FieldType.NUMBER),
                Map.entry("big", FieldType.NUMBER), Map.entry("ratio", FieldType.NUMBER),
                Map.entry("price", FieldType.NUMBER), Map.entry("token", FieldType.STRING),
                Map.entry("doc", FieldType.STRING), Map.entry("at_local", FieldType.DATETIME),
                Map.entry("at_time", FieldType.STRING), Map.entry("tags", FieldType.STRING),
                Map.entry("flag", FieldType.BOOLEAN)));
        assertThat(fields.get("code").unique()).as("a primary key identifies rows").isTrue();
        assertThat(fields.get("alias").unique()).as("a unique column identifies rows").isTrue();
        assertThat(fields.get("big").unique()).isFalse();
        assertThat(fields.get("doubled").readOnly()).as("a generated column").isTrue();
        assertThat(fields.get("serial_id").readOnly()).as("an identity ALWAYS").isTrue();
        assertThat(fields.get("count").readOnly()).isFalse();
    }

    @Test
    void describeListsAnEnumsLabelsInOrder() throws Exception {
        FieldSpec plan = destination.describe("customers").field("plan").orElseThrow();
        assertThat(plan.type()).isEqualTo(FieldType.ENUMERATION);
        assertThat(plan.options()).containsExactly("free", "pro", "enterprise");
    }

    @Test
    void aMissingTableIsPermanentAndNamesTheTablesThereAre() {
        assertThatThrownBy(() -> destination.describe("Customers"))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("has no table 'Customers'")
                .hasMessageContaining("did you mean 'customers'?");
    }

    @Test
    void badRowsAreRejectedAloneWithTheirOwnReasonsInOneTransaction() throws Exception {
        List<OutboundRecord> records = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("score", new BigDecimal(n));
            fields.put("plan", "pro");
            records.add(record(n, fields));
        }
        records.set(2, record(2, Map.of("score", new BigDecimal("-3"), "plan", "pro")));
        records.set(5, record(5, Map.of("score", BigDecimal.ONE, "plan", "platinum")));
        records.set(9, record(9, Map.of("score", BigDecimal.ONE, "plan", "pro", "visits", new BigDecimal("2.5"))));
        long before = table.apiCalls();

        Map<String, RecordResult> results = write(Operation.UPSERT, records);

        assertThat(table.apiCalls() - before).as("one start, one transaction").isEqualTo(1);
        assertThat(results.get("row-2").reason()).startsWith("23514").contains("check constraint");
        assertThat(results.get("row-5").reason()).startsWith("22P02").contains("platinum");
        assertThat(results.get("row-9").reason()).startsWith("22P02").contains("integer");
        results.forEach((key, result) -> {
            if (!List.of("row-2", "row-5", "row-9").contains(key)) {
                assertThat(result.accepted()).as(key + ": " + result.reason()).isTrue();
            }
        });
        assertThat(table.recordCount()).isEqualTo(7);
        assertThat(table.find("p2@example.com")).isEmpty();
    }

    @Test
    void wholeNumbersWithTrailingZerosFitIntegerColumns() throws Exception {
        Map<String, RecordResult> results = write(Operation.UPSERT,
                List.of(record(0, Map.of("visits", new BigDecimal("3.00")))));
        assertThat(results.get("row-0").accepted()).as(results.get("row-0").reason()).isTrue();
        assertThat(table.find("p0@example.com").orElseThrow().field("visits")).contains("3");
    }

    @Test
    void aNotNullColumnWithoutAValueIsRejectedBeforeAnyStatement() throws Exception {
        table.execute("CREATE TABLE accounts (email text PRIMARY KEY, owner text NOT NULL, tier text)");

        Map<String, RecordResult> unmapped = write("accounts", Operation.UPSERT,
                List.of(record(0, Map.of("tier", "gold"))));
        assertThat(unmapped.get("row-0").reason())
                .isEqualTo("column 'owner' of " + table.schema() + ".accounts is NOT NULL and has no default; "
                        + "map a model column to it, or give it a default");

        Map<String, Object> nullOwner = new LinkedHashMap<>();
        nullOwner.put("owner", null);
        Map<String, RecordResult> cleared = write("accounts", Operation.UPDATE, List.of(record(1, nullOwner)));
        assertThat(cleared.get("row-1").reason()).contains("column 'owner' is NOT NULL");
    }

    @Test
    void upsertWithoutAUniqueConstraintOnTheMatchColumnSaysWhatToAdd() throws Exception {
        table.execute("CREATE TABLE loose (email text, score numeric)");
        assertThat(destination.describe("loose").field("email").orElseThrow().unique()).isFalse();

        assertThatThrownBy(() -> write("loose", Operation.UPSERT, List.of(record(0, Map.of("score", BigDecimal.ONE)))))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("needs a unique constraint or primary key on " + table.schema() + ".loose.email")
                .hasMessageContaining("ADD UNIQUE (\"email\")");
    }

    @Test
    void anUnknownColumnRefusesTheBatchNamingIt() {
        assertThatThrownBy(() -> write(Operation.UPSERT, List.of(record(0, Map.of("nickname", "x")))))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("has no column 'nickname'");
    }

    @Test
    void timestampsWithoutTimeZoneAreUtcAndReadBackAsInstants() throws Exception {
        table.execute("CREATE TABLE visits (email text PRIMARY KEY, at timestamp, day date)");
        Instant at = Instant.parse("2024-03-05T06:07:08.123456Z");
        write("visits", Operation.UPSERT, List.of(record(0, Map.of("at", at, "day", java.time.LocalDate.of(2024, 3, 5)))));

        List<RemoteRecord> read = destination.read("visits", "email", List.of("p0@example.com", "p9@example.com"),
                List.of("at", "day"));

        assertThat(read).hasSize(1);
        assertThat(read.getFirst().matchValue()).isEqualTo("p0@example.com");
        assertThat(read.getFirst().fields()).containsEntry("at", at)
                .containsEntry("day", java.time.LocalDate.of(2024, 3, 5));
    }

    @Test
    void deletingARowThatIsGoneIsAccepted() throws Exception {
        Map<String, RecordResult> results = write(Operation.DELETE,
                List.of(new OutboundRecord("row-0", "gone@example.com", null, Map.of())));
        assertThat(results.get("row-0").accepted()).isTrue();
    }

    @Test
    void aRoleWithoutWritePrivilegeIsPermanentAndSaysWhatToGrant() throws Exception {
        table.execute("REVOKE INSERT, UPDATE ON customers FROM " + TestingTable.ROLE);
        assertThatThrownBy(() -> write(Operation.UPSERT, List.of(record(0, Map.of("name", "x")))))
                .isInstanceOf(PermanentException.class)
                .hasMessageStartingWith("42501")
                .hasMessageContaining("grant");
    }

    @Test
    void aLostConnectionIsTransientAndTheNextCallReconnects() throws Exception {
        write(Operation.UPSERT, List.of(record(0, Map.of("name", "first"))));
        // The destination keeps its connection for the next call; the server ends it meanwhile.
        try (Connection admin = POSTGRES.admin(EmbeddedPostgresExtension.DEFAULT_DATABASE);
             Statement statement = admin.createStatement();
             ResultSet ended = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE usename = '" + TestingTable.ROLE + "'")) {
            ended.next();
            assertThat(ended.getInt(1)).as("connections ended").isPositive();
        }
        WriteBatch batch = new WriteBatch("customers", Operation.UPSERT, "email",
                List.of(record(1, Map.of("name", "second"))));

        assertThatThrownBy(() -> destination.start(batch)).isInstanceOfSatisfying(TransientException.class,
                e -> assertThat(e.unreachable()).as("the server was reached").isFalse());
        assertThat(Steps.complete(destination, batch).results().getFirst().accepted()).isTrue();
        assertThat(table.find("p1@example.com")).isPresent();
    }

    @Test
    void aServerThatCannotBeReachedIsTransientAndUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> settings = new LinkedHashMap<>(table.settings());
        settings.put("url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres");
        try (Destination unreachable = open(settings)) {
            assertThatThrownBy(() -> unreachable.describe("customers"))
                    .isInstanceOfSatisfying(TransientException.class, e -> assertThat(e.unreachable()).isTrue());
        }
    }

    @Test
    void settingsSayWhatToFix() {
        assertThatThrownBy(() -> open(Map.of("user", "ebb")))
                .hasMessage("app_db: set url (e.g. jdbc:postgresql://db.example.com:5432/app), or host and database");
        assertThatThrownBy(() -> open(Map.of("user", "ebb", "url", "postgres://db/app")))
                .hasMessageContaining("is not a PostgreSQL JDBC URL");
        assertThatThrownBy(() -> open(Map.of("user", "ebb", "url", "jdbc:postgresql://db/app?password=hunter2")))
                .hasMessageContaining("url carries a password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        assertThatThrownBy(() -> open(Map.of("user", "ebb", "host", "db")))
                .hasMessageContaining("setting 'database' is required with host");
        try (Destination byHost = open(Map.of("user", "ebb", "host", "db.internal", "database", "app"))) {
            assertThat(byHost.accountId()).isEqualTo("postgres:db.internal:5432/app");
        }
    }
}
