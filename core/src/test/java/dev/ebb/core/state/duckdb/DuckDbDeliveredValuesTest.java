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

/**
 * A state file written before add_remove syncs kept their delivered values still opens (what the values do is held to
 * {@code StateStoreContractTest}).
 */
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
