package dev.ebb.core.plan;

import dev.ebb.core.config.FieldMapping;
import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.config.Location;
import dev.ebb.core.config.NullPolicy;
import dev.ebb.core.plan.sql.Dialects;
import dev.ebb.core.plan.sql.ExtractionSql;
import dev.ebb.core.plan.sql.PostgresValues;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.Change;
import dev.ebb.core.state.EncodedRows;
import dev.ebb.core.state.MatchComparison;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.core.state.Replan;
import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.Operation;
import dev.ebb.spi.SqlEngine;
import dev.ebb.testkit.EmbeddedPostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A quick timing, not a test: a PostgreSQL source and the embedded store, the plan of N rows (8 mapped columns)
 * through the JVM (rows read and converted as the source connector does, encoded and hashed in Java) against the rows
 * whose values the source encodes itself (fingerprints, duplicates and payloads of planned rows then in the store).
 * A first plan (every row added), then one after delivery with 0.1% of the rows changed. Run its {@code main} with
 * the core module's test classpath; the arguments are N (200,000 by default), then optionally {@code phases} (the
 * source-encoded path's stream, append and diff apart), {@code explain} (PostgreSQL's plan of the rows query) or
 * {@code exprs FILE} (the time PostgreSQL takes for each SQL expression of FILE, one a line, over the rows).
 */
final class SourceEncodedTiming {
    private static final String MODEL = "SELECT * FROM customers";
    private static final List<String> COLUMNS = List.of("id", "email", "name", "amount", "score", "active", "born",
            "seen", "tier");

    private SourceEncodedTiming() {
    }

    private static Binding binding(String column, FieldType type, int index) {
        return new Binding(new FieldMapping(column, null, column, FieldPolicy.OVERWRITE, NullPolicy.CLEAR,
                new Location(Path.of("syncs/s.yaml"), 1)), index, FieldSpec.of(column, type));
    }

    private static final List<Binding> BINDINGS = List.of(binding("email", FieldType.STRING, 1),
            binding("name", FieldType.STRING, 2), binding("amount", FieldType.NUMBER, 3),
            binding("score", FieldType.NUMBER, 4), binding("active", FieldType.BOOLEAN, 5),
            binding("born", FieldType.DATE, 6), binding("seen", FieldType.DATETIME, 7),
            binding("tier", FieldType.STRING, 8));

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        EmbeddedPostgresExtension postgres = new EmbeddedPostgresExtension();
        postgres.beforeAll(null);
        Path root = Files.createTempDirectory("ebb-timing-");
        try (DuckDbStateStore store = DuckDbStateStore.open(root.resolve("state.duckdb"), Access.READ_WRITE)) {
            postgres.execute("postgres", "CREATE TABLE customers (id bigint PRIMARY KEY, email text, name text,"
                    + " amount bigint, score numeric(12, 3), active boolean, born date, seen timestamptz, tier text)",
                    "INSERT INTO customers SELECT i, 'c' || i || '@example.com', 'Name ' || i, i * 7, i / 8.0,"
                            + " i % 2 = 0, DATE '2000-01-01' + (i % 9000), TIMESTAMPTZ '2024-01-01 00:00:00+00'"
                            + " + i * INTERVAL '1 millisecond', 'tier-' || (i % 5) FROM generate_series(1, " + rows
                            + ") i", "ANALYZE customers");
            SqlEngine engine = engine(postgres);
            ExtractionSql sql = extraction(postgres);
            if (args.length > 2 && args[1].equals("exprs")) {
                for (String expression : Files.readAllLines(Path.of(args[2]))) {
                    try (Connection c = engine.connect(); Statement st = c.createStatement()) {
                        for (int i = 0; i < 2; i++) {
                            long t0 = System.nanoTime();
                            st.executeQuery("SELECT count(" + expression + ") FROM customers m").close();
                            System.out.printf("%6d ms  %s%n", (System.nanoTime() - t0) / 1_000_000, expression);
                        }
                    }
                }
                return;
            }
            if (args.length > 1 && args[1].equals("explain")) {
                try (Connection c = engine.connect(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql.rows())) {
                    while (rs.next()) System.out.println(rs.getString(1));
                }
                return;
            }
            if (args.length > 1 && args[1].equals("phases")) {
                for (int i = 0; i < 2; i++) {
                    long t0 = System.nanoTime();
                    SourceEncoded.stream(engine, sql.rows(), sql.fieldNames(), sql.tags(), (k, f, m, inv, v) -> { });
                    long t1 = System.nanoTime();
                    try (PlanSession session = store.plan("s")) {
                        EncodedRows sink = session.encoded(sql.values(),
                                d -> Optional.of(sql.payload(Dialects.named(d).orElseThrow(), "c"))).orElseThrow();
                        long t2 = System.nanoTime();
                        SourceEncoded.stream(engine, sql.rows(), sql.fieldNames(), sql.tags(), sink);
                        long t3 = System.nanoTime();
                        session.diff(Replan.CHANGES_ONLY, MatchComparison.EXACT);
                        long t4 = System.nanoTime();
                        System.out.printf("stream only %d ms, stream+append %d ms, diff %d ms%n", (t1 - t0) / 1_000_000,
                                (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
                    }
                }
                return;
            }
            System.out.println("rows " + rows + ", first plan (every row added):");
            time("jvm", () -> inJvm(store, engine));
            time("source-encoded, payload in store", () -> encoded(store, engine, sql));
            deliverAll(store, engine, sql);
            postgres.execute("postgres", "UPDATE customers SET name = name || '!' WHERE id % 1000 = 0");
            System.out.println("after delivery, 0.1% changed:");
            time("jvm", () -> inJvm(store, engine));
            time("source-encoded, payload in store", () -> encoded(store, engine, sql));
        } finally {
            postgres.afterAll(null);
        }
    }

    private interface Plan {
        PlanCounts run() throws Exception;
    }

    /**
     * The best of two runs: wall time, and the CPU time of this process (Ebb and the store's DuckDB; PostgreSQL's
     * work is its own processes').
     */
    private static void time(String path, Plan plan) throws Exception {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long best = Long.MAX_VALUE;
        long cpu = Long.MAX_VALUE;
        PlanCounts counts = null;
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            long startCpu = os.getProcessCpuTime();
            counts = plan.run();
            best = Math.min(best, System.nanoTime() - start);
            cpu = Math.min(cpu, os.getProcessCpuTime() - startCpu);
        }
        System.out.printf("  %-36s %,8d ms (Ebb's CPU %,8d ms)  %s%n", path, best / 1_000_000, cpu / 1_000_000,
                counts);
    }

    private static SqlEngine engine(EmbeddedPostgresExtension postgres) {
        return new TestEngine(SqlEngine.POSTGRES, 10_000,
                () -> postgres.admin(EmbeddedPostgresExtension.DEFAULT_DATABASE));
    }

    private static ExtractionSql extraction(EmbeddedPostgresExtension postgres) throws SQLException {
        List<ExtractionSql.ModelColumn> columns = new ArrayList<>();
        try (Connection c = postgres.admin(EmbeddedPostgresExtension.DEFAULT_DATABASE);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(MODEL + " LIMIT 0")) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String type = rs.getMetaData().getColumnTypeName(i);
                columns.add(new ExtractionSql.ModelColumn(COLUMNS.get(i - 1), PostgresValues.type(type), type));
            }
        }
        return ExtractionSql.of(Dialects.named(SqlEngine.POSTGRES).orElseThrow(), new ExtractionSql.Shape(
                List.of("id"), new int[]{0}, "email", 1, columns, BINDINGS), MODEL, false).sql().orElseThrow();
    }

    /** As the PostgreSQL source reads a model: a read-only transaction, a cursor of 10,000 rows. */
    private static PlanCounts inJvm(DuckDbStateStore store, SqlEngine engine) throws Exception {
        List<String> fields = BINDINGS.stream().map(Binding::name).toList();
        try (PlanSession session = store.plan("s"); Connection c = engine.connect()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(MODEL)) {
                ps.setFetchSize(engine.fetchSize());
                try (ResultSet rs = ps.executeQuery()) {
                    List<String> types = new ArrayList<>();
                    for (int i = 1; i <= COLUMNS.size(); i++) types.add(rs.getMetaData().getColumnTypeName(i));
                    Object[] values = new Object[COLUMNS.size()];
                    List<Object> converted = new ArrayList<>();
                    while (rs.next()) {
                        for (int i = 0; i < values.length; i++) values[i] = PostgresValues.read(rs, i + 1, types.get(i));
                        Extraction.Encoded e = Extraction.encode(List.of("id"), new int[]{0}, "email", 1, BINDINGS,
                                fields, i -> values[i], converted);
                        session.add(e.key(), e.fingerprint(), e.match(), e.payload(), e.invalid());
                    }
                }
            } finally {
                c.rollback();
            }
            PlanCounts counts = session.diff(Replan.CHANGES_ONLY, MatchComparison.EXACT);
            drain(session);
            return counts;
        }
    }

    private static PlanCounts encoded(DuckDbStateStore store, SqlEngine engine, ExtractionSql sql) throws Exception {
        try (PlanSession session = store.plan("s")) {
            if (InPlace.load(engine, sql, session, Replan.CHANGES_ONLY).isPresent()) {
                throw new IllegalStateException("not loaded");
            }
            session.diff(Replan.CHANGES_ONLY, MatchComparison.EXACT);
            PlanCounts counts = session.invalidate(java.util.Map.of());
            drain(session);
            return counts;
        }
    }

    /** Reads the planned rows back, as a run does. */
    private static void drain(PlanSession session) throws Exception {
        try (RowCursor<PlannedRow> cursor = session.planned()) {
            while (cursor.next() != null) {
                // every planned row, with its payload
            }
        }
    }

    private static void deliverAll(DuckDbStateStore store, SqlEngine engine, ExtractionSql sql) throws Exception {
        List<RowOutcome> outcomes = new ArrayList<>();
        try (PlanSession session = store.plan("s")) {
            InPlace.load(engine, sql, session, Replan.CHANGES_ONLY);
            session.diff(Replan.CHANGES_ONLY, MatchComparison.EXACT);
            try (RowCursor<PlannedRow> cursor = session.planned()) {
                PlannedRow row;
                while ((row = cursor.next()) != null) {
                    outcomes.add(new RowOutcome(row.key(), row.change(), row.change() == Change.REMOVED
                            ? Operation.DELETE : Operation.UPSERT, Outcome.DELIVERED, null, row.fingerprint(),
                            row.matchValue(), "id-" + row.key()));
                }
            }
        }
        long run = store.startRun("s", Instant.now());
        store.markInFlight("s", run, outcomes);
        store.commit("s", run, outcomes, Instant.now());
    }
}
