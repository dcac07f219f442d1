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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    record Plan(PlanCounts counts, List<PlannedRow> rows) {
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
                row.matchValue(), "id-" + row.key());
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
}
