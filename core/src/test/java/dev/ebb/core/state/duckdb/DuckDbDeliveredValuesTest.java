package dev.ebb.core.state.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.state.Access;
import dev.ebb.core.state.Change;
import dev.ebb.core.state.MatchComparison;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.PlanSession;
import dev.ebb.core.state.PlannedRow;
import dev.ebb.core.state.Replan;
import dev.ebb.core.state.RowCursor;
import dev.ebb.core.state.RowOutcome;
import dev.ebb.core.state.SnapshotEntry;
import dev.ebb.core.state.StateException;
import dev.ebb.spi.Operation;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The values last delivered that add_remove syncs keep per snapshot entry, so that a removal can send them again. */
class DuckDbDeliveredValuesTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static RowOutcome added(String key, Outcome outcome, String payload) {
        return new RowOutcome(key, Change.ADDED, Operation.UPSERT, outcome, null, "fp-" + key, key + "@x.io",
                "id-" + key, null, payload);
    }

    private static List<PlannedRow> plan(DuckDbStateStore store, String... current) throws StateException {
        try (PlanSession plan = store.plan("people")) {
            for (String key : current) plan.add(key, "fp-new-" + key, key + "@x.io", "new-" + key, null);
            plan.diff(Replan.CHANGES_ONLY, MatchComparison.EXACT);
            List<PlannedRow> rows = new ArrayList<>();
            try (RowCursor<PlannedRow> cursor = plan.planned()) {
                PlannedRow row;
                while ((row = cursor.next()) != null) rows.add(row);
            }
            return rows;
        }
    }

    @Test
    void theValuesLastDeliveredComeBackWithTheChangedAndRemovedRowsAcrossAFold() throws Exception {
        try (DuckDbStateStore store = DuckDbStateStore.open(dir.resolve("state.duckdb"), Access.READ_WRITE)) {
            store.commit("people", 1, List.of(added("a", Outcome.DELIVERED, "old-a"),
                    added("b", Outcome.DELIVERED, "old-b"), added("c", Outcome.REJECTED, "never-a-member")), NOW);
            store.saveSpec("people", "h", "spec", NOW);
            store.replaceSpec("people", "h2", "spec2", NOW); // folds the log into the compacted table

            assertThat(plan(store, "a", "c")).extracting(r -> r.key() + " " + r.change() + " " + r.delivered())
                    .containsExactly("a CHANGED old-a", "c ADDED null", "b REMOVED old-b");
        }
    }

    @Test
    void aRemovalOfARowWhoseAdditionIsStillInFlightCarriesTheValuesItWasSentWith() throws Exception {
        try (DuckDbStateStore store = DuckDbStateStore.open(dir.resolve("state.duckdb"), Access.READ_WRITE)) {
            store.markInFlight("people", 1, List.of(added("a", Outcome.DELIVERED, "sent-a")));

            assertThat(plan(store)).extracting(r -> r.key() + " " + r.change() + " " + r.delivered())
                    .containsExactly("a REMOVED sent-a");
        }
    }

    @Test
    void aCompletedReplaceLeavesExactlyTheRowsItAccepted() throws Exception {
        try (DuckDbStateStore store = DuckDbStateStore.open(dir.resolve("state.duckdb"), Access.READ_WRITE)) {
            store.commit("people", 1, List.of(added("a", Outcome.DELIVERED, "a1"), added("b", Outcome.DELIVERED,
                    "b1"), added("d", Outcome.DELIVERED, "d1")), NOW);
            store.markInFlight("people", 1, List.of(added("z", Outcome.DELIVERED, "z1")));

            store.commitReplace("people", 2, List.of(added("b", Outcome.DELIVERED, "b2"),
                    added("c", Outcome.DELIVERED, "c2"), added("d", Outcome.REJECTED, "d2")), NOW);

            assertThat(store.snapshotSize("people")).isEqualTo(2);
            assertThat(store.snapshotEntry("people", "b")).map(SnapshotEntry::runId).contains(2L);
            assertThat(store.snapshotEntry("people", "d")).as("refused by the replace, so dropped").isEmpty();
            assertThat(plan(store, "b", "c")).extracting(r -> r.key() + " " + r.change() + " " + r.delivered())
                    .containsExactly("b CHANGED b2", "c CHANGED c2");
        }
    }

    @Test
    void aStateFileWrittenBeforeValuesWereKeptStillOpensAndItsEntriesStand() throws Exception {
        Path file = dir.resolve("state.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
             Statement st = c.createStatement()) {
            // The tables as the previous version wrote them, without the columns of delivered values.
            st.execute("CREATE TABLE ebb_meta(name VARCHAR PRIMARY KEY, value VARCHAR)");
            st.execute("INSERT INTO ebb_meta VALUES ('schema_version', '1')");
            st.execute("CREATE TABLE snapshot(sync VARCHAR, key VARCHAR, fp VARCHAR, match VARCHAR, dest_id VARCHAR,"
                    + " run_id BIGINT, field_hashes VARCHAR)");
            st.execute("CREATE TABLE snapshot_log(sync VARCHAR, key VARCHAR, fp VARCHAR, match VARCHAR,"
                    + " dest_id VARCHAR, run_id BIGINT, seq BIGINT, dropped BOOLEAN, field_hashes VARCHAR)");
            st.execute("CREATE TABLE in_flight(sync VARCHAR, key VARCHAR, match VARCHAR, run_id BIGINT)");
            st.execute("INSERT INTO snapshot VALUES ('people', 'a', 'fp-a', 'a@x.io', 'id-a', 1, NULL)");
            st.execute("INSERT INTO snapshot_log VALUES ('people', 'b', 'fp-b', 'b@x.io', 'id-b', 1, 1, false,"
                    + " NULL)");
        }
        try (DuckDbStateStore store = DuckDbStateStore.open(file, Access.READ_WRITE)) {
            assertThat(store.snapshotEntry("people", "a"))
                    .contains(new SnapshotEntry("a", "fp-a", "a@x.io", "id-a", 1));
            store.commit("people", 2, List.of(added("c", Outcome.DELIVERED, "c2")), NOW);
            store.replaceSpec("people", "h", "spec", NOW);
            assertThat(plan(store, "a")).extracting(r -> r.key() + " " + r.change() + " " + r.delivered())
                    .containsExactly("a CHANGED null", "b REMOVED null", "c REMOVED c2");
        }
    }
}
