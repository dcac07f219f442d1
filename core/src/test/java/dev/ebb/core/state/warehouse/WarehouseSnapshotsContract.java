package dev.ebb.core.state.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.state.Change;
import dev.ebb.core.state.MatchComparison;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.core.state.Replan;
import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.StateException;
import dev.ebb.spi.Operation;
import dev.ebb.core.config.FieldMapping;
import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.config.Location;
import dev.ebb.core.config.NullPolicy;
import dev.ebb.core.plan.Binding;
import dev.ebb.core.plan.Extraction;
import dev.ebb.core.plan.sql.Dialects;
import dev.ebb.core.plan.sql.ExtractionSql;
import dev.ebb.core.state.InPlaceRows;
import dev.ebb.core.state.InvalidRow;
import dev.ebb.spi.ColumnType;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The warehouse-native state's behaviour, held the same on every engine it runs on: each subclass gives a real
 * engine (DuckDB in-process, a real PostgreSQL) and a fresh schema per test.
 */
abstract class WarehouseSnapshotsContract {
    static final String SYNC = "churn";
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final int ROWS = 2_000;

    WarehouseSnapshots store;
    String schema;
    long runId;

    /** A real engine, its schema empty. */
    abstract WarehouseEngine engine() throws Exception;

    @BeforeEach
    void open() throws Exception {
        schema = "ebb_state";
        store = WarehouseSnapshots.open(engine(), schema, "lakehouse");
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    /** The model: key → value, its fingerprint being the value itself. */
    static Map<String, String> model(int rows) {
        Map<String, String> model = new TreeMap<>();
        for (int i = 0; i < rows; i++) model.put(String.format("k%05d", i), "v" + i);
        return model;
    }

    /** Plans the model against the snapshot; returns the counts and the planned rows. */
    record Plan(PlanCounts counts, List<PlannedRow> rows, List<String> invalid) {
        Plan(PlanCounts counts, List<PlannedRow> rows) {
            this(counts, rows, List.of());
        }
    }

    Plan plan(Map<String, String> model, Replan replan) throws StateException {
        try (PlanSession session = store.plan(SYNC)) {
            model.forEach((key, value) -> add(session, key, value));
            PlanCounts counts = session.diff(replan, MatchComparison.IGNORE_CASE);
            List<PlannedRow> rows = new ArrayList<>();
            try (RowCursor<PlannedRow> cursor = session.planned()) {
                PlannedRow row;
                while ((row = cursor.next()) != null) rows.add(row);
            }
            return new Plan(counts, rows);
        }
    }

    private static void add(PlanSession session, String key, String value) {
        try {
            session.add(key, value, key + "@example.com", "{\"v\":\"" + value + "\"}", null);
        } catch (StateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Delivers every planned row, in batches of 500, marking each in flight before and committing after. */
    void deliver(Plan plan) throws StateException {
        runId++;
        List<RowOutcome> batch = new ArrayList<>();
        for (PlannedRow row : plan.rows()) {
            batch.add(delivered(row));
            if (batch.size() == 500) {
                store.markInFlight(SYNC, runId, batch);
                store.commit(SYNC, runId, batch, NOW);
                batch.clear();
            }
        }
        store.markInFlight(SYNC, runId, batch);
        store.commit(SYNC, runId, batch, NOW);
    }

    static RowOutcome delivered(PlannedRow row) {
        Operation op = row.change() == Change.REMOVED ? Operation.DELETE : Operation.UPSERT;
        return new RowOutcome(row.key(), row.change(), op, Outcome.DELIVERED, null, row.fingerprint(),
                row.matchValue(), "id-" + row.key(), null, null, row.quick());
    }

    @Test
    void aFirstRunSendsEveryRowAndTheNextNothing() throws Exception {
        Plan first = plan(model(ROWS), Replan.CHANGES_ONLY);
        assertThat(first.counts().added()).isEqualTo(ROWS);
        deliver(first);
        assertThat(store.snapshotSize(SYNC)).isEqualTo(ROWS);
        assertThat(store.snapshotEntry(SYNC, "k00007").orElseThrow().destinationId()).isEqualTo("id-k00007");

        Plan second = plan(model(ROWS), Replan.CHANGES_ONLY);
        assertThat(second.counts().toSend()).isZero();
        assertThat(second.counts().unchanged()).isEqualTo(ROWS);
    }

    @Test
    void onlyTheChangedRowsAndTheRemovedKeysComeBack() throws Exception {
        deliver(plan(model(ROWS), Replan.CHANGES_ONLY));
        Map<String, String> next = model(ROWS);
        next.put("k00010", "changed");
        next.put("k01500", "changed");
        next.remove("k00020");
        next.put("k99999", "new");

        Plan plan = plan(next, Replan.CHANGES_ONLY);
        assertThat(plan.counts()).isEqualTo(new PlanCounts(ROWS, 1, 2, 1, ROWS - 3, 0));
        assertThat(plan.rows()).extracting(PlannedRow::key, PlannedRow::change).containsExactly(
                org.assertj.core.groups.Tuple.tuple("k00010", Change.CHANGED),
                org.assertj.core.groups.Tuple.tuple("k01500", Change.CHANGED),
                org.assertj.core.groups.Tuple.tuple("k99999", Change.ADDED),
                org.assertj.core.groups.Tuple.tuple("k00020", Change.REMOVED));
        PlannedRow removed = plan.rows().getLast();
        assertThat(removed.destinationId()).isEqualTo("id-k00020");
        assertThat(removed.matchValue()).isEqualTo("k00020@example.com");

        deliver(plan);
        assertThat(store.snapshotEntry(SYNC, "k00020")).isEmpty();
        assertThat(store.snapshotEntry(SYNC, "k00010").orElseThrow().fingerprint()).isEqualTo("changed");
        assertThat(plan(next, Replan.CHANGES_ONLY).counts().toSend()).isZero();
    }

    @Test
    void invalidRowsAreNeverPlannedNorCountedAsRemoved() throws Exception {
        deliver(plan(model(10), Replan.CHANGES_ONLY));
        try (PlanSession session = store.plan(SYNC)) {
            for (Map.Entry<String, String> row : model(10).entrySet()) {
                if (row.getKey().equals("k00003")) {
                    session.add("k00003", null, "k00003@example.com", null, "column 'score': not a number");
                } else {
                    session.add(row.getKey(), row.getValue(), row.getKey() + "@example.com", "{}", null);
                }
            }
            session.add(null, null, "nobody@example.com", null, "key customer_id is null");
            // Two spellings of one email are one record where the destination compares emails case-blind.
            session.add("k00100", "a", "Twin@example.com", "{}", null);
            session.add("k00101", "b", "twin@example.com", "{}", null);
            PlanCounts counts = session.diff(Replan.CHANGES_ONLY, MatchComparison.IGNORE_CASE);
            assertThat(counts).isEqualTo(new PlanCounts(13, 0, 0, 0, 9, 4));
            List<String> reasons = new ArrayList<>();
            try (var invalid = session.invalid()) {
                for (var row = invalid.next(); row != null; row = invalid.next()) reasons.add(row.reason());
            }
            assertThat(reasons).contains("column 'score': not a number", "key customer_id is null")
                    .anyMatch(r -> r.startsWith("duplicate match value: 2 rows of the model share it"));
        }
    }

    @Test
    void aRowInFlightWhenTheProcessDiedIsSentAgainEvenIfUnchanged() throws Exception {
        deliver(plan(model(100), Replan.CHANGES_ONLY));
        Map<String, String> next = model(100);
        next.put("k00005", "changed");
        Plan plan = plan(next, Replan.CHANGES_ONLY);
        // Marked in flight, then the process died before the commit; the model went back to the old value.
        store.markInFlight(SYNC, 99, List.of(delivered(plan.rows().getFirst())));

        Plan after = plan(model(100), Replan.CHANGES_ONLY);
        assertThat(after.rows()).extracting(PlannedRow::key).containsExactly("k00005");
        deliver(after);
        assertThat(plan(model(100), Replan.CHANGES_ONLY).counts().toSend()).isZero();
    }

    @Test
    void aRejectedRowStaysOutOfTheSnapshotAndIsPlannedAgain() throws Exception {
        Plan plan = plan(model(3), Replan.CHANGES_ONLY);
        runId++;
        List<RowOutcome> outcomes = new ArrayList<>();
        for (PlannedRow row : plan.rows()) {
            outcomes.add(row.key().equals("k00001")
                    ? new RowOutcome(row.key(), row.change(), Operation.UPSERT, Outcome.REJECTED, "bad email",
                    row.fingerprint(), row.matchValue(), null)
                    : delivered(row));
        }
        store.markInFlight(SYNC, runId, outcomes);
        store.commit(SYNC, runId, outcomes, NOW);
        assertThat(store.snapshotSize(SYNC)).isEqualTo(2);
        assertThat(inFlight()).isZero();
        assertThat(plan(model(3), Replan.CHANGES_ONLY).rows()).extracting(PlannedRow::key).containsExactly("k00001");
    }

    @Test
    void aSpecChangePlansEveryRowAgainAndResetForgetsTheSnapshot() throws Exception {
        store.saveSpec(SYNC, "spec-1", "{}", NOW);
        deliver(plan(model(50), Replan.CHANGES_ONLY));
        assertThat(store.specHash(SYNC)).contains("spec-1");

        store.replaceSpec(SYNC, "spec-2", "{}", NOW);
        assertThat(store.specHash(SYNC)).contains("spec-2");
        Plan replanned = plan(model(50), Replan.EVERY_ROW);
        assertThat(replanned.counts().changed()).isEqualTo(50);
        deliver(replanned);
        assertThat(plan(model(50), Replan.CHANGES_ONLY).counts().toSend()).isZero();

        assertThat(store.reset(SYNC)).isEqualTo(50);
        assertThat(store.specHash(SYNC)).isEmpty();
        assertThat(plan(model(50), Replan.CHANGES_ONLY).counts().added()).isEqualTo(50);
    }

    @Test
    void reopeningKeepsTheSnapshotAndItsTables() throws Exception {
        deliver(plan(model(20), Replan.CHANGES_ONLY));
        store.close();
        store = WarehouseSnapshots.open(engine(), schema, "lakehouse");
        assertThat(store.snapshotSize(SYNC)).isEqualTo(20);
    }

    long inFlight() throws Exception {
        try (Connection c = engine().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".in_flight")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The model of the in-SQL plan: N customers in the warehouse itself, as the source keeps them. */
    private static final String MODEL = "SELECT id, email, score FROM lake.customers";
    private static final List<Binding> BINDINGS = List.of(new Binding(new FieldMapping("score", null, "score",
            FieldPolicy.OVERWRITE, NullPolicy.CLEAR, new Location(Path.of("syncs/s.yaml"), 1)), 2,
            FieldSpec.of("score", FieldType.NUMBER)));

    @Test
    void aPlanBuiltInTheWarehouseReadsBackOnlyThePlannedRowsWithTheJvmsFingerprints() throws Exception {
        WarehouseEngine engine = engine();
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            createCustomers(st);
            try (java.sql.PreparedStatement insert =
                         c.prepareStatement("INSERT INTO lake.customers VALUES (?, ?, ?)")) {
                for (int i = 0; i < 300; i++) {
                    insert.setLong(1, i);
                    insert.setString(2, "c" + i + "@x.io");
                    insert.setBigDecimal(3, java.math.BigDecimal.valueOf(i, 3));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        // The first plan, in SQL, is the JVM's: same keys, fingerprints and payloads.
        assertThat(planInSql(engine, false).rows()).hasSize(300).isEqualTo(planInJvm(engine).rows());
        Plan inSql = planInSql(engine);
        assertThat(inSql.counts().added()).isEqualTo(300);
        assertThat(inSql.rows()).allMatch(r -> r.quick() != null);
        assertThat(withoutQuick(inSql.rows())).isEqualTo(planInJvm(engine).rows());
        deliver(inSql);
        String quick = "SELECT count(*) FROM " + schema + ".snapshot WHERE quick IS NOT NULL";
        assertThat(count(engine, quick)).as("a commit keeps the quick hashes of the values delivered").isEqualTo(300);

        // Nothing changed: the warehouse reads back no row, whichever path plans.
        assertThat(planInSql(engine).rows()).isEmpty();
        assertThat(planInJvm(engine).rows()).isEmpty();

        // A row whose values hash as the snapshot's takes the snapshot's fingerprint: it is not computed.
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            st.execute("UPDATE " + schema + ".snapshot SET fp = 'kept' WHERE key = '50'");
        }
        assertThat(planInSql(engine).rows()).as("taken, not computed").isEmpty();
        Plan computed = planInSql(engine, false);
        assertThat(computed.rows()).extracting(PlannedRow::key).containsExactly("50");
        deliver(computed);
        assertThat(count(engine, quick)).as("delivered without one").isEqualTo(299);
        // The next plan computes its fingerprint, finds it unchanged, and keeps its quick hash.
        assertThat(planInSql(engine).rows()).isEmpty();
        assertThat(count(engine, quick)).isEqualTo(300);

        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            st.execute("UPDATE lake.customers SET score = 9.5 WHERE id IN (10, 20, 30)");
            st.execute("DELETE FROM lake.customers WHERE id = 40");
        }
        Plan changed = planInSql(engine);
        assertThat(changed.counts().changed()).isEqualTo(3);
        assertThat(changed.counts().removed()).isEqualTo(1);
        assertThat(changed.counts().unchanged()).isEqualTo(296);
        assertThat(changed.rows()).as("only the planned rows and the removed key come back").hasSize(4);
        assertThat(withoutQuick(changed.rows())).isEqualTo(planInJvm(engine).rows());
        // Delivered by the JVM path's plan: the SQL path then sends nothing.
        deliver(planInJvm(engine));
        assertThat(planInSql(engine).rows()).isEmpty();

        // Other values, delivered; then back to values the snapshot once had: planned again.
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            st.execute("UPDATE lake.customers SET score = 1.25 WHERE id IN (10, 20, 30)");
        }
        Plan other = planInSql(engine);
        assertThat(withoutQuick(other.rows())).hasSize(3).isEqualTo(planInJvm(engine).rows());
        deliver(other);
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            st.execute("UPDATE lake.customers SET score = 9.5 WHERE id IN (10, 20, 30)");
        }
        assertThat(withoutQuick(planInSql(engine).rows())).hasSize(3).isEqualTo(planInJvm(engine).rows());
    }

    @Test
    void aPlanInTheWarehouseMarksTheRowsThatCannotBeSentAsTheJvmDoes() throws Exception {
        WarehouseEngine engine = engine();
        // Key 2 twice; two spellings of one email (one record where the destination compares case-blind); two rows
        // without a key; one without an email.
        customers(engine, "INSERT INTO lake.customers VALUES (1, 'a@x.io', 1), (2, 'b@x.io', 2), (2, 'b2@x.io', 3),"
                + " (3, 'Twin@x.io', 4), (4, 'twin@x.io', 5), (NULL, 'n@x.io', 6), (NULL, 'm@x.io', 7),"
                + " (5, NULL, 8), (6, 'f@x.io', 9)");
        for (MatchComparison matching : MatchComparison.values()) {
            Plan inSql = planInSql(engine, true, matching);
            Plan inJvm = planInJvm(engine, matching);
            assertThat(inSql.counts()).as(matching.name()).isEqualTo(inJvm.counts());
            assertThat(withoutQuick(inSql.rows())).as(matching.name()).isEqualTo(inJvm.rows());
            assertThat(inSql.invalid()).as(matching.name()).isEqualTo(inJvm.invalid());
        }
        assertThat(planInSql(engine, true, MatchComparison.IGNORE_CASE).counts())
                .isEqualTo(new PlanCounts(9, 2, 0, 0, 0, 7));
        assertThat(planInSql(engine, true, MatchComparison.IGNORE_CASE).invalid()).containsExactly(
                " key [id] is null", " key [id] is null", "2 duplicate key: 2 rows of the model share it",
                "2 duplicate key: 2 rows of the model share it",
                "3 duplicate match value: 2 rows of the model share it (compared case-blind, as the destination does)",
                "4 duplicate match value: 2 rows of the model share it (compared case-blind, as the destination does)",
                "5 match column 'email' is null");
    }

    /**
     * The marks of rows that met a snapshot entry: a key already delivered that a new row shares, a delivered row
     * whose match value went missing (no removal). The plan finds them from the model itself, not from its own rows,
     * and says what the JVM says; a key two new rows share is found as well.
     */
    @Test
    void aKeyThatADeliveredRowSharesWithANewRowIsMarkedAsTheJvmMarksIt() throws Exception {
        WarehouseEngine engine = engine();
        customers(engine, "INSERT INTO lake.customers VALUES (1, 'a@x.io', 1), (2, 'b@x.io', 2), (3, 'c@x.io', 3),"
                + " (4, 'd@x.io', 4)");
        deliver(planInSql(engine));
        execute(engine, "INSERT INTO lake.customers VALUES (2, 'b2@x.io', 5), (7, 'g@x.io', 7), (7, 'g2@x.io', 8),"
                + " (8, 'h@x.io', 9)", "UPDATE lake.customers SET email = NULL WHERE id = 3",
                "DELETE FROM lake.customers WHERE id = 4");
        Plan inSql = planInSql(engine);
        Plan inJvm = planInJvm(engine);
        assertThat(inSql.counts()).isEqualTo(inJvm.counts()).isEqualTo(new PlanCounts(7, 1, 0, 1, 1, 5));
        assertThat(withoutQuick(inSql.rows())).isEqualTo(inJvm.rows());
        assertThat(inSql.rows()).extracting(PlannedRow::key).containsExactly("8", "4");
        assertThat(inSql.invalid()).isEqualTo(inJvm.invalid()).containsExactly(
                "2 duplicate key: 2 rows of the model share it", "2 duplicate key: 2 rows of the model share it",
                "3 match column 'email' is null", "7 duplicate key: 2 rows of the model share it",
                "7 duplicate key: 2 rows of the model share it");
    }

    /**
     * A plan reads the model as of one moment, though it reads it more than once (on PostgreSQL, its marks on a
     * connection of their own): rows committed while it runs are the next plan's.
     */
    @Test
    void aPlanSeesTheModelAsOfOneMomentWhileRowsArrive() throws Exception {
        WarehouseEngine engine = engine();
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            createCustomers(st);
            st.execute("INSERT INTO lake.customers VALUES (1, 'a@x.io', 1), (2, 'b@x.io', 2)");
        }
        Plan during = planInSql(engine, true, MatchComparison.EXACT, () -> {
            try (Connection c = engine.connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO lake.customers VALUES (2, 'b2@x.io', 3), (3, 'c@x.io', 4)");
            }
        });
        assertThat(during.counts()).isEqualTo(new PlanCounts(2, 2, 0, 0, 0, 0));
        assertThat(during.rows()).extracting(PlannedRow::key).containsExactly("1", "2");
        assertThat(planInSql(engine).counts()).as("the next plan").isEqualTo(new PlanCounts(4, 2, 0, 0, 0, 2));
    }

    /** Creates the table {@link #MODEL} reads, then runs {@code statements}. */
    private static void customers(WarehouseEngine engine, String... statements) throws Exception {
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            createCustomers(st);
        }
        execute(engine, statements);
    }

    private static void execute(WarehouseEngine engine, String... statements) throws Exception {
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            for (String sql : statements) st.execute(sql);
        }
    }

    /** The table {@link #MODEL} reads, empty. */
    private static void createCustomers(Statement st) throws java.sql.SQLException {
        st.execute("CREATE SCHEMA lake");
        st.execute("CREATE TABLE lake.customers(id BIGINT, email VARCHAR(64), score DECIMAL(10, 3))");
    }

    private static long count(WarehouseEngine engine, String query) throws Exception {
        try (Connection c = engine.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Plan planInSql(WarehouseEngine engine) throws Exception {
        return planInSql(engine, true);
    }

    private Plan planInSql(WarehouseEngine engine, boolean quick) throws Exception {
        return planInSql(engine, quick, MatchComparison.EXACT);
    }

    /** The plan in SQL, loaded as a plan loads it; without {@code quick}, every fingerprint is computed. */
    private Plan planInSql(WarehouseEngine engine, boolean quick, MatchComparison matching) throws Exception {
        return planInSql(engine, quick, matching, () -> { });
    }

    /** What happens elsewhere while a plan runs: after its session opened, before its diff. */
    @FunctionalInterface
    interface Meanwhile {
        void run() throws Exception;
    }

    private Plan planInSql(WarehouseEngine engine, boolean quick, MatchComparison matching, Meanwhile meanwhile)
            throws Exception {
        List<ExtractionSql.ModelColumn> columns = new ArrayList<>();
        try (Connection c = engine.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(MODEL + " LIMIT 0")) {
            ColumnType[] types = {ColumnType.INTEGER, ColumnType.STRING, ColumnType.DECIMAL};
            for (int i = 0; i < 3; i++) {
                columns.add(new ExtractionSql.ModelColumn(rs.getMetaData().getColumnName(i + 1), types[i],
                        rs.getMetaData().getColumnTypeName(i + 1)));
            }
        }
        ExtractionSql sql = ExtractionSql.of(Dialects.named(engine.dialect()).orElseThrow(), new ExtractionSql.Shape(
                List.of("id"), new int[]{0}, "email", 1, columns, BINDINGS), MODEL,
                matching == MatchComparison.IGNORE_CASE).sql().orElseThrow();
        try (PlanSession session = store.plan(SYNC)) {
            InPlaceRows rows = sql.inPlace(Optional.empty());
            assertThat(session.load(quick ? rows : rows.unhashed())).isEmpty();
            meanwhile.run();
            session.diff(Replan.CHANGES_ONLY, matching);
            return new Plan(session.invalidate(Map.of()), planned(session), invalid(session));
        }
    }

    private Plan planInJvm(WarehouseEngine engine) throws Exception {
        return planInJvm(engine, MatchComparison.EXACT);
    }

    private Plan planInJvm(WarehouseEngine engine, MatchComparison matching) throws Exception {
        try (PlanSession session = store.plan(SYNC); Connection c = engine.connect();
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(MODEL)) {
            while (rs.next()) {
                Object[] values = {rs.getObject(1) == null ? null : rs.getLong(1), rs.getString(2),
                        rs.getBigDecimal(3)};
                Extraction.Encoded e = Extraction.encode(List.of("id"), new int[]{0}, "email", 1, BINDINGS,
                        List.of("score"), i -> values[i], new ArrayList<>());
                session.add(e.key(), e.fingerprint(), e.match(), e.payload(), e.invalid());
            }
            PlanCounts counts = session.diff(Replan.CHANGES_ONLY, matching);
            return new Plan(counts, planned(session), invalid(session));
        }
    }

    /** The invalid rows, as "key reason", sorted. */
    private static List<String> invalid(PlanSession session) throws StateException {
        List<String> rows = new ArrayList<>();
        try (RowCursor<InvalidRow> cursor = session.invalid()) {
            InvalidRow row;
            while ((row = cursor.next()) != null) rows.add((row.key() == null ? "" : row.key()) + " " + row.reason());
        }
        rows.sort(null);
        return rows;
    }

    private static List<PlannedRow> planned(PlanSession session) throws StateException {
        List<PlannedRow> rows = new ArrayList<>();
        try (RowCursor<PlannedRow> cursor = session.planned()) {
            PlannedRow row;
            while ((row = cursor.next()) != null) rows.add(row);
        }
        return rows;
    }

    /** The rows without their quick hashes, which only plans in SQL compute: what the two paths must agree on. */
    private static List<PlannedRow> withoutQuick(List<PlannedRow> rows) {
        return rows.stream().map(r -> new PlannedRow(r.key(), r.fingerprint(), r.matchValue(), r.payload(),
                r.destinationId(), r.change(), r.rematched(), r.fieldHashes(), r.delivered())).toList();
    }
}
