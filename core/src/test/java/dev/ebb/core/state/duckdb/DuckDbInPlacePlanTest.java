package dev.ebb.core.state.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.core.config.FieldMapping;
import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.config.Location;
import dev.ebb.core.config.NullPolicy;
import dev.ebb.core.plan.Binding;
import dev.ebb.core.plan.Extraction;
import dev.ebb.core.plan.sql.Dialects;
import dev.ebb.core.plan.sql.ExtractionSql;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.InPlaceRows;
import dev.ebb.core.state.MatchComparison;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.core.state.Replan;
import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.StateException;
import dev.ebb.core.state.sql.InPlacePlanSql;
import dev.ebb.spi.ColumnType;
import dev.ebb.spi.DuckDbAttachment;
import dev.ebb.spi.FieldSpec;
import dev.ebb.spi.FieldType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plan loaded by one query in the store, with a DuckDB source attached, is the plan of the rows added one by one. */
class DuckDbInPlacePlanTest {
    private static final String MODEL = "SELECT id, email, score, seen FROM customers";

    @TempDir
    Path root;

    private final List<Binding> bindings = List.of(
            binding("score", FieldSpec.of("score", FieldType.NUMBER), 2),
            binding("seen", FieldSpec.of("seen", FieldType.DATETIME), 3));

    private static Binding binding(String column, FieldSpec field, int index) {
        return new Binding(new FieldMapping(column, null, field.name(), FieldPolicy.OVERWRITE, NullPolicy.CLEAR,
                new Location(Path.of("syncs/s.yaml"), 1)), index, field);
    }

    private Path lake() throws Exception {
        return lake(500);
    }

    private Path lake(int rows) throws Exception {
        Path lake = root.resolve("lake.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers AS SELECT range AS id, 'c' || range || '@x.io' AS email,"
                    + " (range / 8)::DECIMAL(10, 3) AS score, TIMESTAMP '2024-01-01' + INTERVAL (range) MILLISECOND"
                    + " AS seen FROM range(" + rows + ")");
        }
        return lake;
    }

    /** The rows as a plan loads them: the store marks duplicates, and takes fingerprints by quick hash. */
    private InPlaceRows rows(Path lake, String model) {
        return extraction(model).inPlace(Optional.of(new DuckDbAttachment(Optional.of(lake), Map.of(),
                root.toString(), List.of(root + "/"), List.of())));
    }

    private ExtractionSql extraction(String model) {
        List<ExtractionSql.ModelColumn> columns = List.of(
                new ExtractionSql.ModelColumn("id", ColumnType.INTEGER, "BIGINT"),
                new ExtractionSql.ModelColumn("email", ColumnType.STRING, "VARCHAR"),
                new ExtractionSql.ModelColumn("score", ColumnType.DECIMAL, "DECIMAL(10,3)"),
                new ExtractionSql.ModelColumn("seen", ColumnType.TIMESTAMP, "TIMESTAMP"));
        return ExtractionSql.of(Dialects.named("duckdb").orElseThrow(), new ExtractionSql.Shape(
                List.of("id"), new int[]{0}, "email", 1, columns, bindings), model, false).sql().orElseThrow();
    }

    /** The plan of the lake's rows, loaded as {@code rows}. */
    private static List<PlannedRow> plan(DuckDbStateStore store, InPlaceRows rows) throws StateException {
        try (PlanSession session = store.plan("s")) {
            assertThat(session.load(rows)).isEmpty();
            session.diff(Replan.CHANGES_ONLY, MatchComparison.EXACT);
            return planned(session);
        }
    }

    private static void deliver(DuckDbStateStore store, List<PlannedRow> rows) throws StateException {
        List<dev.ebb.core.state.RowOutcome> outcomes = rows.stream().map(r -> new dev.ebb.core.state.RowOutcome(
                r.key(), r.change(), dev.ebb.spi.Operation.UPSERT, dev.ebb.core.state.Outcome.DELIVERED, null,
                r.fingerprint(), r.matchValue(), null, null, null, r.quick())).toList();
        long run = store.startRun("s", java.time.Instant.EPOCH);
        store.commit("s", run, outcomes, java.time.Instant.EPOCH);
        // A run's end folds its commits into the snapshot.
        store.finishRun(new dev.ebb.core.state.RunRecord(run, "s", java.time.Instant.EPOCH, java.time.Instant.EPOCH,
                dev.ebb.core.state.RunStatus.SUCCEEDED, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, 0, 0));
    }

    private void sql(Path database, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement st = c.createStatement()) {
            for (String statement : statements) st.execute(statement);
        }
    }

    private long count(Path database, String query) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aPlanTakesTheSnapshotsFingerprintOfRowsWhoseValuesHashTheSameAndComputesTheOthers() throws Exception {
        Path lake = lake();
        Path file = root.resolve(".ebb/state.duckdb");
        String quick = "SELECT count(*) FROM snapshot WHERE sync = 's' AND quick IS NOT NULL";
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            List<PlannedRow> first = plan(store, rows(lake, MODEL));
            assertThat(first).hasSize(500).allMatch(r -> r.quick() != null);
            assertThat(withoutQuick(first)).isEqualTo(plan(store, rows(lake, MODEL).unhashed()));
            deliver(store, first);
        }
        assertThat(count(file, quick)).as("a commit keeps the quick hashes of the values delivered").isEqualTo(500);
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            assertThat(plan(store, rows(lake, MODEL))).as("nothing changed").isEmpty();
        }

        sql(lake, "UPDATE customers SET score = score + 1 WHERE id IN (3, 4, 5)",
                "UPDATE customers SET seen = seen + INTERVAL 1 SECOND WHERE id = 6");
        // The snapshot's fingerprint is taken as it is, not computed again, while its row's values hash the same.
        sql(file, "UPDATE snapshot SET fp = 'kept' WHERE key = '7'");
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            List<PlannedRow> changed = plan(store, rows(lake, MODEL));
            assertThat(changed).extracting(PlannedRow::key).containsExactly("3", "4", "5", "6");
            List<PlannedRow> computed = plan(store, rows(lake, MODEL).unhashed());
            assertThat(computed).extracting(PlannedRow::key).containsExactly("3", "4", "5", "6", "7");
            assertThat(withoutQuick(changed)).as("computed as the JVM computes them").isEqualTo(computed.subList(0, 4));
            deliver(store, computed);
        }
        assertThat(count(file, quick)).as("delivered by a plan without quick hashes").isEqualTo(495);

        // Back to the values of the first run: planned again. A plan that only looks writes nothing.
        sql(lake, "UPDATE customers SET score = score - 1 WHERE id IN (3, 4, 5)");
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_ONLY)) {
            assertThat(plan(store, rows(lake, MODEL))).extracting(PlannedRow::key).containsExactly("3", "4", "5");
        }
        assertThat(count(file, quick)).as("a command that only looks writes nothing").isEqualTo(495);
        sql(lake, "DELETE FROM customers WHERE id = 8");
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            assertThat(plan(store, rows(lake, MODEL))).extracting(PlannedRow::key).containsExactly("3", "4", "5",
                    "8");
        }
        assertThat(count(file, quick)).as("the rows 6 and 7, computed and found unchanged, keep theirs again")
                .isEqualTo(497);
    }

    private static List<PlannedRow> planned(PlanSession session) throws StateException {
        List<PlannedRow> rows = new ArrayList<>();
        try (RowCursor<PlannedRow> cursor = session.planned()) {
            PlannedRow row;
            while ((row = cursor.next()) != null) rows.add(row);
        }
        return rows;
    }

    @Test
    void theStoresOwnQueryPlansWhatTheRowsAddedOneByOnePlan() throws Exception {
        Path lake = lake();
        try (DuckDbStateStore store = DuckDbStateStore.open(root.resolve(".ebb/state.duckdb"), Access.READ_WRITE)) {
            List<PlannedRow> inJvm = inJvm(store, lake);
            try (PlanSession session = store.plan("s")) {
                assertThat(session.load(rows(lake, MODEL))).isEmpty();
                PlanCounts counts = session.diff(Replan.CHANGES_ONLY, MatchComparison.EXACT);
                assertThat(counts.added()).isEqualTo(500);
                assertThat(withoutQuick(planned(session))).isEqualTo(inJvm);
                // The destination's own check, after the diff, turns planned rows invalid.
                PlanCounts checked = session.invalidate(Map.of("7", "the destination refuses it"));
                assertThat(checked.added()).isEqualTo(499);
                assertThat(checked.invalid()).isEqualTo(1);
                assertThat(planned(session)).noneMatch(row -> row.key().equals("7"));
            }
        }
    }

    /** The plan of the lake's rows read, encoded and hashed by the JVM, added one by one. */
    private List<PlannedRow> inJvm(DuckDbStateStore store, Path lake) throws Exception {
        try (PlanSession session = store.plan("s");
             Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(MODEL)) {
            List<String> fields = List.of("score", "seen");
            while (rs.next()) {
                Object[] values = {rs.getLong(1), rs.getString(2), rs.getBigDecimal(3),
                        rs.getObject(4, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC)};
                Extraction.Encoded e = Extraction.encode(List.of("id"), new int[]{0}, "email", 1, bindings,
                        fields, i -> values[i], new ArrayList<>());
                session.add(e.key(), e.fingerprint(), e.match(), e.payload(), e.invalid());
            }
            session.diff(Replan.CHANGES_ONLY, MatchComparison.EXACT);
            return planned(session);
        }
    }

    @Test
    void withMoreDifferingKeysThanTheSecondStepJoinsAloneEveryRowIsJoinedAndPlannedAsTheJvmPlansIt()
            throws Exception {
        int rows = (int) InPlacePlanSql.MOST_JOINED + 100;
        Path lake = lake(rows);
        try (DuckDbStateStore store = DuckDbStateStore.open(root.resolve(".ebb/state.duckdb"), Access.READ_WRITE)) {
            List<PlannedRow> first = plan(store, rows(lake, MODEL));
            assertThat(first).as("a first sync: every key differs").hasSize(rows);
            assertThat(withoutQuick(first)).isEqualTo(inJvm(store, lake));
            deliver(store, first);

            // All but 50 rows change, and one goes: still more keys than the second step joins alone.
            sql(lake, "UPDATE customers SET score = score + 1 WHERE id >= 50", "DELETE FROM customers WHERE id = 7");
            List<PlannedRow> changed = plan(store, rows(lake, MODEL));
            assertThat(changed).hasSize(rows - 50 + 1);
            assertThat(changed).filteredOn(r -> r.change() == dev.ebb.core.state.Change.REMOVED)
                    .extracting(PlannedRow::key).containsExactly("7");
            assertThat(changed).as("the rows that did not change are not planned")
                    .noneMatch(r -> Integer.parseInt(r.key()) < 50 && !r.key().equals("7"));
            assertThat(withoutQuick(changed)).as("as the JVM plans them").isEqualTo(inJvm(store, lake));
        }
    }

    @Test
    void aSourceOfFilesReadsItsViewsAndNotTheStoresTables() throws Exception {
        Path lake = lake();
        Path parquet = java.nio.file.Files.createDirectories(root.resolve("data")).resolve("customers.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lake); Statement st = c.createStatement()) {
            st.execute("COPY customers TO '" + parquet + "' (FORMAT parquet)");
        }
        InPlaceRows fromDatabase = rows(lake, MODEL);
        DuckDbAttachment files = new DuckDbAttachment(Optional.empty(), Map.of("customers", parquet),
                root.toString(), List.of(root + "/", "data/"), List.of());
        try (DuckDbStateStore store = DuckDbStateStore.open(root.resolve(".ebb/state.duckdb"), Access.READ_WRITE)) {
            try (PlanSession session = store.plan("s")) {
                assertThat(session.load(fromDatabase.from(files))).isEmpty();
                assertThat(session.diff(Replan.CHANGES_ONLY, MatchComparison.EXACT).added()).isEqualTo(500);
            }
            try (PlanSession session = store.plan("s")) {
                InPlaceRows snooping = rows(lake, "SELECT key AS id, key AS email, 1.0 AS score, now() AS seen"
                        + " FROM snapshot");
                assertThatThrownBy(() -> session.load(snooping.from(files)))
                        .isInstanceOf(StateException.class).hasMessageContaining("snapshot");
            }
        }
    }

    @Test
    void aModelInTheStoreReadsOnlyWhatTheSourceLetsItRead() throws Exception {
        Path lake = lake();
        try (DuckDbStateStore store = DuckDbStateStore.open(root.resolve(".ebb/state.duckdb"), Access.READ_WRITE);
             PlanSession session = store.plan("s")) {
            assertThatThrownBy(() -> session.load(rows(lake, "SELECT * FROM read_csv('/etc/hostname',"
                    + " columns = {'id': 'BIGINT', 'email': 'VARCHAR', 'score': 'DECIMAL(10,3)', 'seen':"
                    + " 'TIMESTAMP'})"))).isInstanceOf(StateException.class).hasMessageContaining("Permission");
        }
    }

    /** The rows without their quick hashes, which only plans in SQL compute: what the two paths must agree on. */
    private static List<PlannedRow> withoutQuick(List<PlannedRow> rows) {
        return rows.stream().map(r -> new PlannedRow(r.key(), r.fingerprint(), r.matchValue(), r.payload(),
                r.destinationId(), r.change(), r.rematched(), r.fieldHashes(), r.delivered())).toList();
    }
}
