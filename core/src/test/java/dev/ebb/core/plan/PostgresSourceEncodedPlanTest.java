package dev.ebb.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.core.config.FieldMapping;
import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.config.Location;
import dev.ebb.core.config.NullPolicy;
import dev.ebb.core.plan.sql.Dialect;
import dev.ebb.core.plan.sql.Dialects;
import dev.ebb.core.plan.sql.ExtractionSql;
import dev.ebb.core.plan.sql.GoldenRows;
import dev.ebb.core.plan.sql.PostgresValues;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.Change;
import dev.ebb.core.state.InvalidRow;
import dev.ebb.core.state.KeyedRows;
import dev.ebb.core.state.MatchComparison;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.core.state.Replan;
import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.RunRecord;
import dev.ebb.core.state.RunStatus;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import dev.ebb.spi.ColumnType;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.Operation;
import dev.ebb.spi.SourceException;
import dev.ebb.spi.SqlEngine;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL source with the embedded store: the plan of the rows the source encodes itself (only their texts
 * cross into the store) is the plan of the rows converted and hashed in the JVM, on the golden rows (every type,
 * nulls, unicode, decimals, timestamps, invalid values, duplicate keys and match values).
 */
class PostgresSourceEncodedPlanTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final String SYNC = "golden";
    private static final String MODEL = "SELECT * FROM golden";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path root;

    private String database;
    private SqlEngine engine;

    @BeforeEach
    void golden() throws SQLException {
        database = "encoded_" + DATABASES.incrementAndGet();
        POSTGRES.createDatabase(database);
        List<String> ddl = new ArrayList<>(List.of("CREATE TABLE golden " + PostgresValues.GOLDEN));
        for (String row : GoldenRows.ROWS) ddl.add("INSERT INTO golden VALUES (" + row + ")");
        POSTGRES.execute(database, ddl.toArray(String[]::new));
        engine = engine(5);
    }

    /** The source's engine, fetching {@code fetchSize} rows per round trip; its sessions in another time zone. */
    private SqlEngine engine(int fetchSize) {
        return new TestEngine(SqlEngine.POSTGRES, fetchSize, () -> {
            Connection c = POSTGRES.admin(database);
            try (Statement st = c.createStatement()) {
                // The session's zone must not matter: a zoned value is read as its instant.
                st.execute("SET TIME ZONE 'America/New_York'");
            }
            return c;
        });
    }

    record Plan(PlanCounts counts, List<PlannedRow> rows, List<InvalidRow> invalid) {
    }

    @Test
    void theRowsTheSourceEncodesPlanWhatTheJvmPlansAndSwitchingPathsSendsNothing() throws Exception {
        try (DuckDbStateStore store = DuckDbStateStore.open(root.resolve(".ebb/state.duckdb"), Access.READ_WRITE)) {
            Plan encoded = encoded(store);
            Plan jvm = inJvm(store);
            assertThat(encoded.counts().added()).isEqualTo(5);
            assertThat(encoded.counts().invalid()).as("null key and match, a bad date, an unknown option, and"
                    + " two pairs of duplicates").isEqualTo(8);
            assertSame(encoded, jvm);

            deliver(store, jvm);
            assertThat(encoded(store).rows()).as("delivered by the JVM's plan: the source's sends nothing").isEmpty();
            assertThat(inJvm(store).rows()).isEmpty();

            POSTGRES.execute(database, "UPDATE golden SET name = 'changed ✓' WHERE id IN (1, 2)",
                    "UPDATE golden SET score = 2.5 WHERE id = 6", "DELETE FROM golden WHERE id = 4");
            Plan changed = encoded(store);
            assertThat(changed.counts().changed()).isEqualTo(3);
            assertThat(changed.counts().removed()).isEqualTo(1);
            assertSame(changed, inJvm(store));

            deliver(store, changed);
            assertThat(inJvm(store).rows()).as("delivered by the source's plan: the JVM's sends nothing").isEmpty();
            assertThat(encoded(store).counts().unchanged()).isEqualTo(4);
        }
    }

    /**
     * The source hashes each row, and the store diffs the hashes first: only the rows whose quick hash is not their
     * snapshot entry's (changed, never delivered, invalid) send their texts.
     */
    @Test
    void theSecondPassReadsOnlyTheRowsWhoseQuickHashIsNotTheSnapshots() throws Exception {
        try (DuckDbStateStore store = DuckDbStateStore.open(root.resolve(".ebb/state.duckdb"), Access.READ_WRITE)) {
            deliver(store, encoded(store));
            // Delivered without their quick hashes: this plan computes their fingerprints, and keeps the hashes.
            assertThat(encoded(store).rows()).isEmpty();
            Passes unchanged = passes(store);
            assertThat(unchanged.keys()).isEqualTo(GoldenRows.ROWS.size());
            assertThat(unchanged.rows()).as("the rows never delivered, which are invalid")
                    .isEqualTo(unchanged.plan().counts().invalid()).isPositive();
            assertThat(unchanged.plan().rows()).isEmpty();

            POSTGRES.execute(database, "UPDATE golden SET name = 'changed again' WHERE id = 1",
                    "DELETE FROM golden WHERE id = 4");
            Passes changed = passes(store);
            assertThat(changed.rows()).isEqualTo(unchanged.rows() + 1);
            assertThat(changed.plan().counts().changed()).isEqualTo(1);
            assertThat(changed.plan().counts().removed()).isEqualTo(1);
            assertSame(changed.plan(), inJvm(store));
        }
    }

    /** A plan in two passes, and how many rows each pass read. */
    record Passes(Plan plan, int keys, int rows) {
    }

    private Passes passes(DuckDbStateStore store) throws Exception {
        ExtractionSql sql = extraction();
        AtomicInteger keys = new AtomicInteger();
        AtomicInteger rows = new AtomicInteger();
        try (PlanSession session = store.plan(SYNC)) {
            KeyedRows keyed = session.keyed(sql.values(), sql.inPlace(Optional.empty()).matchIsKey(),
                    dialect -> Dialects.named(dialect).map(d -> sql.payload(d, "c"))).orElseThrow();
            SourceEncoded.passes(engine, sql.passes().orElseThrow(), sql.fieldNames(), sql.tags(), new KeyedRows() {
                @Override
                public void key(String key, String match, String invalid, long quick) throws StateException {
                    keys.incrementAndGet();
                    keyed.key(key, match, invalid, quick);
                }

                @Override
                public Optional<List<String>> wanted() throws StateException {
                    return keyed.wanted();
                }

                @Override
                public void add(String key, String fingerprint, String match, String invalid, long quick,
                                String[] values) throws StateException {
                    rows.incrementAndGet();
                    keyed.add(key, fingerprint, match, invalid, quick, values);
                }
            });
            session.diff(Replan.CHANGES_ONLY, MatchComparison.IGNORE_CASE);
            return new Passes(plan(session, session.invalidate(Map.of())), keys.get(), rows.get());
        }
    }

    @Test
    void blankPaddedTextIsLeftToTheJvmWhichReadsItPadded() throws Exception {
        POSTGRES.execute(database, "CREATE TABLE padded (id char(6), email varchar(20), code char(4))",
                "INSERT INTO padded VALUES ('a', 'a@x.io', 'x')");
        try (Connection c = engine.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, code, CAST(id AS text) FROM padded")) {
            rs.next();
            assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                    .as("what the source reads, and what SQL's text of it would be").containsExactly("a     ", "x   ", "a");
        }
        Dialect postgres = Dialects.named(SqlEngine.POSTGRES).orElseThrow();
        List<ExtractionSql.ModelColumn> columns = List.of(
                new ExtractionSql.ModelColumn("id", ColumnType.STRING, "bpchar"),
                new ExtractionSql.ModelColumn("email", ColumnType.STRING, "varchar"),
                new ExtractionSql.ModelColumn("code", ColumnType.STRING, "bpchar"));
        assertThat(ExtractionSql.of(postgres, new ExtractionSql.Shape(List.of("id"), new int[]{0}, "email", 1,
                columns, List.of()), "SELECT * FROM padded", false).fallback())
                .isEqualTo("the key column 'id' (bpchar) has no exact text in SQL");
        Binding code = new Binding(new FieldMapping("code", null, "code", FieldPolicy.OVERWRITE, NullPolicy.CLEAR,
                new Location(Path.of("syncs/s.yaml"), 1)), 2, FieldSpec.of("code", FieldType.STRING));
        assertThat(ExtractionSql.of(postgres, new ExtractionSql.Shape(List.of("email"), new int[]{1}, "email", 1,
                columns, List.of(code)), "SELECT * FROM padded", false).fallback())
                .isEqualTo("column 'code' (bpchar) into field 'code' (STRING) is converted in the JVM only");
    }

    @Test
    void aNumberThatIsNotOneFailsThePlanNamingTheField() throws Exception {
        POSTGRES.execute(database, "UPDATE golden SET score = 'NaN' WHERE id = 6");
        try (DuckDbStateStore store = DuckDbStateStore.open(root.resolve(".ebb/state.duckdb"), Access.READ_WRITE);
             PlanSession session = store.plan(SYNC)) {
            assertThatThrownBy(() -> InPlace.load(engine, extraction(), session, Replan.CHANGES_ONLY))
                    .isInstanceOf(SourceException.class).hasMessageContaining("field 'score' would be sent NaN, which is not a number");
        }
    }

    @Test
    void theSourcesQueryRunsReadOnly() {
        assertThatThrownBy(() -> SourceEncoded.stream(engine, "WITH w AS (INSERT INTO golden (id) VALUES (99)"
                + " RETURNING id) SELECT 'k', 'm', NULL FROM w", List.of(), "", (key, fp, match, invalid, values) -> { }))
                .isInstanceOf(SourceException.class).hasMessageContaining("read-only transaction");
    }

    @Test
    void theSourcesRowsStreamThroughACursor() {
        // Fifty million rows, made as they are read (a set-returning function in the select list is not materialised):
        // a result fetched whole would take minutes and more heap than a test has.
        AtomicInteger seen = new AtomicInteger();
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                assertThatThrownBy(() -> SourceEncoded.stream(engine(1000), "SELECT i::text, i::text, NULL"
                        + " FROM (SELECT generate_series(1, 50000000) AS i) s", List.of(), "", (key, fp, match, invalid, values) -> {
                    if (seen.incrementAndGet() == 2500) throw new StateException("enough", null);
                })).isInstanceOf(StateException.class).hasMessage("enough"));
        assertThat(seen).hasValue(2500);
    }

    @Test
    void aStoreThatTakesRowsOnlyOneByOneLeavesThemToTheJvmWithItsReason() throws Exception {
        PlanSession oneByOne = new PlanSession() {
            @Override
            public void add(String key, String fingerprint, String matchValue, String payload, String invalid) {
                throw new AssertionError("nothing is added");
            }

            @Override
            public PlanCounts diff(Replan replan, MatchComparison matching) {
                throw new AssertionError();
            }

            @Override
            public RowCursor<InvalidRow> invalid() {
                throw new AssertionError();
            }

            @Override
            public RowCursor<PlannedRow> planned() {
                throw new AssertionError();
            }

            @Override
            public List<PlannedRow> samples(Change change, int limit) {
                throw new AssertionError();
            }

            @Override
            public String identity() {
                throw new AssertionError();
            }

            @Override
            public void close() {
            }
        };
        assertThat(InPlace.load(engine, extraction(), oneByOne, Replan.CHANGES_ONLY))
                .contains("the state store cannot read the source itself");
    }

    @Test
    void aDialectWhoseSqlTheTestsNeverRunIsEncodedInTheJvm() throws Exception {
        SqlEngine snowflake = new TestEngine(SqlEngine.SNOWFLAKE, 100, () -> {
            throw new AssertionError("nothing is read from the source");
        });
        try (DuckDbStateStore store = DuckDbStateStore.open(root.resolve(".ebb/state.duckdb"), Access.READ_WRITE);
             PlanSession session = store.plan(SYNC)) {
            assertThat(InPlace.load(snowflake, extraction(), session, Replan.CHANGES_ONLY)).contains("the embedded"
                    + " state store reads DuckDB sources only, and Ebb's SQL for snowflake is checked as text only,"
                    + " not yet run against snowflake itself");
        }
    }

    private ExtractionSql extraction() throws SQLException {
        List<ExtractionSql.ModelColumn> columns = new ArrayList<>();
        try (Connection c = POSTGRES.admin(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(MODEL + " LIMIT 0")) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String type = rs.getMetaData().getColumnTypeName(i);
                columns.add(new ExtractionSql.ModelColumn(rs.getMetaData().getColumnName(i),
                        PostgresValues.type(type), type));
            }
        }
        ExtractionSql.Result result = ExtractionSql.of(Dialects.named(SqlEngine.POSTGRES).orElseThrow(),
                new ExtractionSql.Shape(List.of("id"), new int[]{0}, "email", 1, columns, GoldenRows.bindings()),
                MODEL, true);
        assertThat(result.fallback()).isNull();
        return result.sql().orElseThrow();
    }

    /** The plan of the rows the source encodes, through the path a sync takes. */
    private Plan encoded(DuckDbStateStore store) throws Exception {
        ExtractionSql sql = extraction();
        try (PlanSession session = store.plan(SYNC)) {
            assertThat(InPlace.load(engine, sql, session, Replan.CHANGES_ONLY)).isEmpty();
            session.diff(Replan.CHANGES_ONLY, MatchComparison.IGNORE_CASE);
            return plan(session, session.invalidate(Map.of()));
        }
    }

    /** The plan of the rows as the source connector reads them, converted and hashed in the JVM. */
    private Plan inJvm(DuckDbStateStore store) throws Exception {
        List<Binding> bindings = GoldenRows.bindings();
        List<String> fields = bindings.stream().map(Binding::name).toList();
        try (PlanSession session = store.plan(SYNC); Connection c = engine.connect();
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(MODEL)) {
            while (rs.next()) {
                Object[] values = new Object[GoldenRows.COLUMNS.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = PostgresValues.read(rs, i + 1, rs.getMetaData().getColumnTypeName(i + 1));
                }
                Extraction.Encoded e = Extraction.encode(List.of("id"), new int[]{0}, "email", 1, bindings, fields,
                        i -> values[i], new ArrayList<>());
                session.add(e.key(), e.fingerprint(), e.match(), e.payload(), e.invalid());
            }
            return plan(session, session.diff(Replan.CHANGES_ONLY, MatchComparison.IGNORE_CASE));
        }
    }

    private static Plan plan(PlanSession session, PlanCounts counts) throws StateException {
        List<PlannedRow> rows = new ArrayList<>();
        try (RowCursor<PlannedRow> cursor = session.planned()) {
            PlannedRow row;
            while ((row = cursor.next()) != null) rows.add(row);
        }
        List<InvalidRow> invalid = new ArrayList<>();
        try (RowCursor<InvalidRow> cursor = session.invalid()) {
            InvalidRow row;
            while ((row = cursor.next()) != null) invalid.add(row);
        }
        invalid.sort(Comparator.comparing(InvalidRow::key, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(InvalidRow::reason));
        return new Plan(counts, rows, invalid);
    }

    /**
     * The same counts, invalid rows and reasons, and planned rows: keys, fingerprints, match values, changes, and
     * payloads (the same JSON; the same text but where an engine escapes a tab as Unicode, as JSON allows).
     */
    private static void assertSame(Plan got, Plan expected) {
        assertThat(got.counts()).isEqualTo(expected.counts());
        assertThat(got.invalid()).isEqualTo(expected.invalid());
        assertThat(got.rows()).hasSameSizeAs(expected.rows());
        for (int i = 0; i < got.rows().size(); i++) {
            PlannedRow row = got.rows().get(i);
            PlannedRow jvm = expected.rows().get(i);
            assertThat(withPayload(row, null)).as("row %s", jvm.key()).isEqualTo(withPayload(jvm, null));
            if (jvm.payload() == null) {
                assertThat(row.payload()).isNull();
            } else if (jvm.payload().contains("\\t")) {
                assertThat(Payload.decode(row.payload())).isEqualTo(Payload.decode(jvm.payload()));
            } else {
                assertThat(row.payload()).as("payload of %s", jvm.key()).isEqualTo(jvm.payload());
            }
        }
    }

    private static PlannedRow withPayload(PlannedRow row, String payload) {
        return new PlannedRow(row.key(), row.fingerprint(), row.matchValue(), payload, row.destinationId(),
                row.change(), row.rematched(), row.fieldHashes(), row.delivered());
    }

    private static void deliver(DuckDbStateStore store, Plan plan) throws StateException {
        long run = store.startRun(SYNC, NOW);
        List<RowOutcome> outcomes = new ArrayList<>();
        for (PlannedRow row : plan.rows()) {
            outcomes.add(new RowOutcome(row.key(), row.change(), row.change() == Change.REMOVED ? Operation.DELETE
                    : Operation.UPSERT, Outcome.DELIVERED, null, row.fingerprint(), row.matchValue(),
                    "id-" + row.key()));
        }
        store.markInFlight(SYNC, run, outcomes);
        store.commit(SYNC, run, outcomes, NOW);
        store.finishRun(new RunRecord(run, SYNC, NOW, NOW, RunStatus.SUCCEEDED, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                null));
    }
}
