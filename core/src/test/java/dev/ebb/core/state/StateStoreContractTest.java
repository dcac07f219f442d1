package dev.ebb.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.spi.Operation;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every state store promises, whatever holds it: each store's test extends this against a fresh, empty store
 * (a new DuckDB file; a new PostgreSQL schema) and opens it as often as a test asks, as a new process would.
 */
public abstract class StateStoreContractTest {
    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    protected static final String SYNC = "people";

    /** A new store object on this test's store, as another process would open it; the test closes it. */
    protected abstract StateStore open(Access access) throws StateException;

    protected static RowOutcome delivered(String key) {
        return outcome(key, Change.ADDED, Operation.UPSERT, Outcome.DELIVERED, "fp-" + key, null, null);
    }

    protected static RowOutcome outcome(String key, Change change, Operation operation, Outcome outcome, String fp,
                                        String fieldHashes, String payload) {
        return new RowOutcome(key, change, operation, outcome, outcome == Outcome.REJECTED ? "refused" : null, fp,
                key + "@x.io", "id-" + key, fieldHashes, payload);
    }

    /** Plans {@code current} (key = fingerprint "fp-KEY" unless given as "KEY=FP") and returns the planned rows. */
    protected static List<PlannedRow> plan(StateStore store, MatchComparison matching, String... current)
            throws StateException {
        try (PlanSession plan = store.plan(SYNC)) {
            for (String row : current) {
                String[] parts = row.split("=", 2);
                String key = parts[0];
                plan.add(key, parts.length > 1 ? parts[1] : "fp-" + key, key + "@x.io", "new-" + key, null);
            }
            plan.diff(Replan.CHANGES_ONLY, matching);
            return rows(plan.planned());
        }
    }

    protected static List<PlannedRow> plan(StateStore store, String... current) throws StateException {
        return plan(store, MatchComparison.EXACT, current);
    }

    private static <T> List<T> rows(RowCursor<T> cursor) throws StateException {
        try (cursor) {
            List<T> rows = new ArrayList<>();
            T row;
            while ((row = cursor.next()) != null) rows.add(row);
            return rows;
        }
    }

    /** Ends a run as the engine does once its batches are committed. */
    protected static void finish(StateStore store, long run) throws StateException {
        store.finishRun(new RunRecord(run, SYNC, T0, T0, RunStatus.SUCCEEDED, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                null));
    }

    private static List<String> shown(List<PlannedRow> rows) {
        return rows.stream().map(r -> r.key() + " " + r.change()).toList();
    }

    // ---- the plan -----------------------------------------------------------------------------------------------

    @Test
    void aPlanComparesTheModelWithTheSnapshotRemovalsLastEachPartByKey() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.commit(SYNC, 1, List.of(delivered("b"), delivered("c"), delivered("z")), T0);

            try (PlanSession plan = store.plan(SYNC)) {
                for (String key : List.of("d", "b", "c", "a")) {
                    plan.add(key, key.equals("c") ? "fp-c2" : "fp-" + key, key + "@x.io", "p-" + key, null);
                }
                plan.add(null, null, null, null, "the key is null");
                PlanCounts counts = plan.diff(Replan.CHANGES_ONLY, MatchComparison.EXACT);

                assertThat(counts).isEqualTo(new PlanCounts(5, 2, 1, 1, 1, 1));
                assertThat(shown(rows(plan.planned()))).containsExactly("a ADDED", "c CHANGED", "d ADDED",
                        "z REMOVED");
                assertThat(rows(plan.invalid())).containsExactly(new InvalidRow(null, "the key is null"));
                assertThat(plan.samples(Change.ADDED, 1)).extracting(PlannedRow::key).containsExactly("a");
                PlannedRow changed = plan.samples(Change.CHANGED, 5).getFirst();
                assertThat(changed.payload()).isEqualTo("p-c");
                assertThat(changed.destinationId()).isEqualTo("id-c");
            }
            assertThat(store.snapshotSize(SYNC)).as("a plan writes nothing").isEqualTo(3);
        }
    }

    @Test
    void everyRowIsPlannedAgainWhenTheSpecChanged() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.commit(SYNC, 1, List.of(delivered("a"), delivered("b")), T0);
            try (PlanSession plan = store.plan(SYNC)) {
                plan.add("a", "fp-a", "a@x.io", "p", null);
                plan.add("b", "fp-b", "b@x.io", "p", null);
                assertThat(plan.diff(Replan.EVERY_ROW, MatchComparison.EXACT).changed()).isEqualTo(2);
            }
            store.saveSpec(SYNC, "h1", "spec one", T0);
            assertThat(store.specHash(SYNC)).contains("h1");
            store.replaceSpec(SYNC, "h2", "spec two", T0);
            assertThat(store.specHash(SYNC)).contains("h2");
            assertThat(store.snapshotEntry(SYNC, "a")).as("keys and ids stay, fingerprints go")
                    .contains(new SnapshotEntry("a", null, "a@x.io", "id-a", 1));
            assertThat(shown(plan(store, "a", "b"))).containsExactly("a CHANGED", "b CHANGED");
        }
    }

    @Test
    void rowsSharingAKeyOrAMatchValueAreInvalidAndARemovalWhoseMatchValueIsTakenIsRematched() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.commit(SYNC, 1, List.of(delivered("gone")), T0);
            try (PlanSession plan = store.plan(SYNC)) {
                plan.add("k", "f1", "k@x.io", "p", null);
                plan.add("k", "f2", "k2@x.io", "p", null);
                plan.add("m1", "f3", "Same@x.io", "p", null);
                plan.add("m2", "f4", "same@X.io", "p", null);
                plan.add("new", "f5", "gone@x.io", "p", null);
                PlanCounts counts = plan.diff(Replan.CHANGES_ONLY, MatchComparison.IGNORE_CASE);

                assertThat(counts.invalid()).isEqualTo(4);
                assertThat(rows(plan.invalid())).extracting(InvalidRow::reason).containsOnly(
                        "duplicate key: 2 rows of the model share it",
                        "duplicate match value: 2 rows of the model share it (compared case-blind, as the"
                                + " destination does)");
                List<PlannedRow> planned = rows(plan.planned());
                assertThat(shown(planned)).containsExactly("new ADDED", "gone REMOVED");
                assertThat(planned.getLast().rematched()).as("gone@x.io now belongs to 'new'").isTrue();
            }
        }
    }

    @Test
    void thePlansIdentityNamesItsKeysChangesAndFingerprints() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.commit(SYNC, 1, List.of(delivered("a")), T0);
            String first = identity(store, "a=fp-a2", "b");
            assertThat(identity(store, "b", "a=fp-a2")).as("whatever the order").isEqualTo(first);
            assertThat(identity(store, "a=fp-a3", "b")).isNotEqualTo(first);
            assertThat(identity(store, "a")).startsWith("0:");
        }
    }

    private static String identity(StateStore store, String... current) throws StateException {
        try (PlanSession plan = store.plan(SYNC)) {
            for (String row : current) {
                String[] parts = row.split("=", 2);
                plan.add(parts[0], parts.length > 1 ? parts[1] : "fp-" + parts[0], parts[0], "p", null);
            }
            plan.diff(Replan.CHANGES_ONLY, MatchComparison.EXACT);
            return plan.identity();
        }
    }

    @Test
    void valuesWithTabsNewlinesBackslashesAndAccentsComeBackAsTheyWent() throws Exception {
        String awkward = "tab\there\nnew line\r\\N back\\slash é ✓";
        try (StateStore store = open(Access.READ_WRITE); PlanSession plan = store.plan(SYNC)) {
            plan.add("k\t1", "fp", awkward, awkward, null);
            plan.add("k2", null, null, null, awkward);
            plan.diff(Replan.CHANGES_ONLY, MatchComparison.EXACT);
            PlannedRow row = rows(plan.planned()).getFirst();
            assertThat(row.key()).isEqualTo("k\t1");
            assertThat(row.matchValue()).isEqualTo(awkward);
            assertThat(row.payload()).isEqualTo(awkward);
            assertThat(rows(plan.invalid())).containsExactly(new InvalidRow("k2", awkward));
        }
    }

    // ---- commits, in-flight marks -------------------------------------------------------------------------------

    @Test
    void onlyAcknowledgedRowsAdvanceTheSnapshotAndEachCommitAddsToItsRunsCounts() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            long run = store.startRun(SYNC, T0);
            store.commit(SYNC, run, List.of(delivered("a"),
                    outcome("b", Change.ADDED, Operation.UPSERT, Outcome.REJECTED, "fp-b", null, null),
                    outcome("c", Change.ADDED, Operation.UPSERT, Outcome.FAILED, "fp-c", null, null)), T0.plusSeconds(1));
            store.commit(SYNC, run, List.of(outcome("d", Change.NONE, null, Outcome.INVALID, null, null, null),
                    outcome("a", Change.REMOVED, Operation.DELETE, Outcome.SKIPPED, null, null, null)),
                    T0.plusSeconds(2));

            assertThat(store.snapshotSize(SYNC)).as("a's removal needed no call; b, c and d never advanced")
                    .isZero();
            RunRecord live = store.run(run).orElseThrow();
            assertThat(live.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(List.of(live.delivered(), live.rejected(), live.failed(), live.skipped()))
                    .containsExactly(1L, 1L, 1L, 1L);
            assertThat(store.outcomesOfRun(run, Outcome.REJECTED, 10)).singleElement()
                    .satisfies(o -> assertThat(o.reason()).isEqualTo("b: refused"));
            assertThat(store.outcomes(SYNC, "a", 10)).extracting(LoggedOutcome::outcome)
                    .containsExactlyInAnyOrder("delivered", "skipped");
        }
    }

    @Test
    void aRowInFlightIsSentAgainUntilItsOutcomeSettlesEvenIfTheModelWentBack() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.commit(SYNC, 1, List.of(delivered("a"), delivered("b"), delivered("c")), T0);
            RowOutcome a = delivered("a");
            RowOutcome b = delivered("b");
            RowOutcome c = delivered("c");
            store.markInFlight(SYNC, 2, List.of(a, b, c));
            // b's write was refused: this run's mark goes; c's call failed: it may have landed, so its mark stays.
            store.commit(SYNC, 2, List.of(
                    outcome("b", Change.CHANGED, Operation.UPSERT, Outcome.REJECTED, "fp-b", null, null),
                    outcome("c", Change.CHANGED, Operation.UPSERT, Outcome.FAILED, "fp-c", null, null)), T0);

            assertThat(shown(plan(store, "a", "b", "c"))).as("the model is back to the snapshot's values")
                    .containsExactly("a CHANGED", "c CHANGED");
            store.commit(SYNC, 3, List.of(delivered("a"), delivered("c")), T0);
            assertThat(plan(store, "a", "b", "c")).isEmpty();
        }
    }

    @Test
    void aRowThatLeftTheModelWhileInFlightIsRemovedThoughTheSnapshotNeverKnewIt() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.markInFlight(SYNC, 1, List.of(outcome("a", Change.ADDED, Operation.UPSERT, Outcome.DELIVERED,
                    "fp-a", null, "sent-a")));
            store.markInFlight(SYNC, 2, List.of(outcome("a", Change.ADDED, Operation.UPSERT, Outcome.DELIVERED,
                    "fp-a", null, "sent-again")));

            assertThat(plan(store)).extracting(r -> r.key() + " " + r.change() + " " + r.delivered())
                    .as("the earliest attempt's values").containsExactly("a REMOVED sent-a");
        }
    }

    // ---- add_remove payloads, replace ---------------------------------------------------------------------------

    @Test
    void theValuesLastDeliveredComeBackWithTheChangedAndRemovedRows() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.commit(SYNC, 1, List.of(
                    outcome("a", Change.ADDED, Operation.UPSERT, Outcome.DELIVERED, "fp-a", null, "old-a"),
                    outcome("b", Change.ADDED, Operation.UPSERT, Outcome.DELIVERED, "fp-b", null, "old-b"),
                    outcome("c", Change.ADDED, Operation.UPSERT, Outcome.REJECTED, "fp-c", null, "never")), T0);
            finish(store, store.startRun(SYNC, T0));

            assertThat(plan(store, "a=fp-a2", "c")).extracting(r -> r.key() + " " + r.change() + " " + r.delivered())
                    .containsExactly("a CHANGED old-a", "c ADDED null", "b REMOVED old-b");
        }
    }

    @Test
    void anAddRemoveSyncsRemovalOfAChangedRowsOldValuesDropsItsEntryUntilTheAdditionLands() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.commit(SYNC, 1, List.of(delivered("a")), T0);
            store.commit(SYNC, 2, List.of(outcome("a", Change.CHANGED, Operation.DELETE, Outcome.DELIVERED, null, null,
                    "old-a")), T0);
            assertThat(store.snapshotEntry(SYNC, "a")).isEmpty();
            store.commit(SYNC, 2, List.of(outcome("a", Change.CHANGED, Operation.UPSERT, Outcome.DELIVERED, "fp-a2",
                    null, "new-a")), T0);
            assertThat(store.snapshotEntry(SYNC, "a")).map(SnapshotEntry::fingerprint).contains("fp-a2");
        }
    }

    @Test
    void aCompletedReplaceLeavesExactlyTheRowsItAccepted() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.commit(SYNC, 1, List.of(delivered("a"), delivered("b"), delivered("d")), T0);
            store.markInFlight(SYNC, 1, List.of(delivered("z")));

            store.commitReplace(SYNC, 2, List.of(
                    outcome("b", Change.CHANGED, Operation.REPLACE, Outcome.DELIVERED, "fp-b2", null, "b2"),
                    outcome("c", Change.ADDED, Operation.REPLACE, Outcome.DELIVERED, "fp-c", null, "c2"),
                    outcome("d", Change.CHANGED, Operation.REPLACE, Outcome.REJECTED, "fp-d2", null, "d2")), T0);

            assertThat(store.snapshotSize(SYNC)).isEqualTo(2);
            assertThat(store.snapshotEntry(SYNC, "b")).map(SnapshotEntry::runId).contains(2L);
            assertThat(store.snapshotEntry(SYNC, "d")).as("refused by the replace, so dropped").isEmpty();
            assertThat(shown(plan(store, "b=fp-b2", "c"))).as("no mark of z is left").isEmpty();
        }
    }

    // ---- field hashes -------------------------------------------------------------------------------------------

    @Test
    void aResetForgetsTheSnapshotButKeepsTheHashesOfTheValuesEbbWrote() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.saveSpec(SYNC, "h", "spec", T0);
            store.commit(SYNC, 1, List.of(outcome("a", Change.ADDED, Operation.UPSERT, Outcome.DELIVERED, "fp-a",
                    "score=h1", null), delivered("b")), T0);
            store.markInFlight(SYNC, 2, List.of(delivered("c")));

            assertThat(store.reset(SYNC)).isEqualTo(2);

            assertThat(store.specHash(SYNC)).isEmpty();
            assertThat(store.snapshotSize(SYNC)).isZero();
            List<PlannedRow> planned = plan(store, "a", "b");
            assertThat(shown(planned)).as("a full sync, and c's mark is forgotten").containsExactly("a ADDED",
                    "b ADDED");
            assertThat(planned.getFirst().fieldHashes()).isEqualTo("score=h1");
        }
    }

    @Test
    void aRowThatLeavesKeepsItsFieldHashesForWhenItComesBack() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.commit(SYNC, 1, List.of(outcome("a", Change.ADDED, Operation.UPSERT, Outcome.DELIVERED, "fp-a",
                    "score=h1", null)), T0);
            store.commit(SYNC, 2, List.of(outcome("a", Change.REMOVED, null, Outcome.SKIPPED, null, "score=h1",
                    null)), T0);
            finish(store, 2);
            assertThat(plan(store, "a")).singleElement().satisfies(r -> {
                assertThat(r.change()).isEqualTo(Change.ADDED);
                assertThat(r.fieldHashes()).isEqualTo("score=h1");
            });
            store.commit(SYNC, 3, List.of(outcome("a", Change.ADDED, Operation.UPSERT, Outcome.DELIVERED, "fp-a",
                    "score=h2", null)), T0);
            assertThat(plan(store, "a=fp-a2")).singleElement().extracting(PlannedRow::fieldHashes)
                    .isEqualTo("score=h2");
        }
    }

    // ---- conflicts ----------------------------------------------------------------------------------------------

    @Test
    void aConflictIsRecordedOnceSettledOrResolvedAndItsDecisionLandsInTheFieldHashes() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.commit(SYNC, 1, List.of(outcome("a", Change.ADDED, Operation.UPSERT, Outcome.DELIVERED, "fp-a",
                    "score=h1", null)), T0);
            Conflict found = new Conflict(SYNC, "a", "score", "h1", "typed", "model", 2, T0, ConflictStatus.OPEN,
                    null);
            store.recordConflicts(List.of(found, new Conflict(SYNC, "b", "score", "h0", "x", "y", 2, T0,
                    ConflictStatus.OPEN, null)), T0);
            store.recordConflicts(List.of(found), T0.plusSeconds(1));
            assertThat(store.openConflicts(SYNC, null)).hasSize(2);
            assertThat(store.openConflicts(SYNC, "a")).singleElement()
                    .satisfies(c -> assertThat(c.detectedAt()).isEqualTo(T0.plusSeconds(1)));

            store.settleConflicts(SYNC, List.of(Map.entry("b", "score")), T0.plusSeconds(2));
            store.resolveConflict(SYNC, "a", "score", Resolution.DESTINATION, "h-typed", "h-model", T0.plusSeconds(3));

            assertThat(store.openConflicts(null, null)).isEmpty();
            assertThat(store.conflicts(SYNC, null)).extracting(Conflict::key, Conflict::resolution)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("a", Resolution.DESTINATION),
                            org.assertj.core.groups.Tuple.tuple("b", Resolution.WAREHOUSE));
            assertThat(plan(store, "a=fp-a2")).singleElement().extracting(PlannedRow::fieldHashes)
                    .isEqualTo("score=h-typed\nscore@kept_against=h-model");
            assertThatThrownBy(() -> store.resolveConflict(SYNC, "a", "score", Resolution.WAREHOUSE, "h", null, T0))
                    .isInstanceOf(StateException.class);
        }
    }

    @Test
    void aDecisionOnARowThatLeftTheModelWaitsForItToComeBack() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.recordConflicts(List.of(new Conflict(SYNC, "a", "score", "h1", "typed", "model", 2, T0,
                    ConflictStatus.OPEN, null)), T0);
            store.resolveConflict(SYNC, "a", "score", Resolution.WAREHOUSE, "h-model", null, T0);
            assertThat(plan(store, "a")).singleElement().extracting(PlannedRow::fieldHashes).isEqualTo("score=h-model");
        }
    }

    // ---- the run log --------------------------------------------------------------------------------------------

    @Test
    void aHeldPlanIsDecidedOnceAndKeepsItsIdentity() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            long run = store.startRun(SYNC, T0);
            store.recordPlan(run, new PlanCounts(10, 0, 0, 9, 1, 0));
            store.finishRun(new RunRecord(run, SYNC, T0, T0.plusSeconds(1), RunStatus.AWAITING_APPROVAL, 0, 0, 9, 1, 0,
                    0, 0, 0, 0, 1, 0, 0, "held"));
            store.hold(run, "9:abc");
            assertThat(store.heldPlan(run)).contains("9:abc");

            store.decide(run, RunStatus.REJECTED, "no", T0.plusSeconds(5));
            assertThat(store.heldPlan(run)).isEmpty();
            assertThat(store.run(run).orElseThrow().status()).isEqualTo(RunStatus.REJECTED);
            assertThatThrownBy(() -> store.decide(run, RunStatus.APPROVED, "yes", T0))
                    .hasMessage("run " + run + " is not awaiting approval");
        }
    }

    @Test
    void runsAreListedNewestFirstPerSyncOrAll() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            long first = store.startRun(SYNC, T0);
            long other = store.startRun("other", T0.plusSeconds(1));
            long second = store.startRun(SYNC, T0.plusSeconds(2));
            store.finishRun(new RunRecord(second, SYNC, T0.plusSeconds(2), T0.plusSeconds(3), RunStatus.SUCCEEDED,
                    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, "done", 13, 14));

            assertThat(store.runs(SYNC, 10)).extracting(RunRecord::runId).containsExactly(second, first);
            assertThat(store.runs(null, 2)).extracting(RunRecord::runId).containsExactly(second, other);
            assertThat(store.run(second)).contains(new RunRecord(second, SYNC, T0.plusSeconds(2), T0.plusSeconds(3),
                    RunStatus.SUCCEEDED, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, "done", 13, 14));
            assertThat(store.run(second + 100)).isEmpty();
        }
    }

    @Test
    void aKilledRunKeepsWhatItCommittedAndIsClosedAtItsLastCommit() throws Exception {
        long run;
        try (StateStore store = open(Access.READ_WRITE)) {
            store.lock(SYNC);
            run = store.startRun(SYNC, T0);
            store.recordPlan(run, new PlanCounts(3, 3, 0, 0, 0, 0));
            store.commit(SYNC, run, List.of(delivered("a"), delivered("b")), T0.plusSeconds(7));
            // the process dies here: the run is never finished
        }
        try (StateStore reader = open(Access.READ_ONLY)) {
            RunRecord seen = reader.run(run).orElseThrow();
            assertThat(seen.status()).as("nobody holds its sync: the run died").isEqualTo(RunStatus.ABANDONED);
            assertThat(seen.finishedAt()).isEqualTo(T0.plusSeconds(7));
            assertThat(seen.added()).isEqualTo(3);
            assertThat(seen.delivered()).isEqualTo(2);
        }
        try (StateStore store = open(Access.READ_WRITE)) {
            store.lock(SYNC);
            assertThat(store.closeAbandonedRuns(SYNC, T0.plusSeconds(3600))).isEqualTo(1);
            RunRecord closed = store.run(run).orElseThrow();
            assertThat(closed.status()).isEqualTo(RunStatus.ABANDONED);
            assertThat(closed.finishedAt()).as("at its last commit, not at the next run").isEqualTo(T0.plusSeconds(7));
            assertThat(closed.delivered()).isEqualTo(2);
            assertThat(closed.message()).contains("the process stopped before the run finished");
            assertThat(store.snapshotSize(SYNC)).isEqualTo(2);
        }
    }

    @Test
    void twoRunsOfOneSyncNeverOverlap() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.lock(SYNC);
            assertThatThrownBy(() -> store.lock(SYNC)).isInstanceOf(StateException.class)
                    .hasMessageContaining("sync 'people' is already running");
            store.lock("other");
            store.unlock(SYNC);
            store.lock(SYNC);
            store.unlock(SYNC);
            store.unlock("other");
        }
    }

    // ---- quotas -------------------------------------------------------------------------------------------------

    @Test
    void quotaCountsAddUpPerAccountAndPeriodAndSurviveAReopen() throws Exception {
        try (StateStore store = open(Access.READ_WRITE)) {
            store.addHourlyQuotaUsage("org", Instant.parse("2026-01-01T09:00:00Z"), 5);
            store.addHourlyQuotaUsage("org", Instant.parse("2026-01-01T10:00:00Z"), 7);
            store.addHourlyQuotaUsage("org", Instant.parse("2026-01-01T10:00:00Z"), 1);
            store.addHourlyQuotaUsage("other", Instant.parse("2026-01-01T10:00:00Z"), 100);
            store.addQuotaUsage("org", LocalDate.parse("2026-01-01"), 40);
            store.addQuotaUsage("org", LocalDate.parse("2026-01-01"), 2);
        }
        try (StateStore store = open(Access.READ_WRITE)) {
            assertThat(store.quotaUsedSince("org", Instant.parse("2026-01-01T09:00:00Z"))).isEqualTo(13);
            assertThat(store.quotaUsedSince("org", Instant.parse("2026-01-01T09:30:00Z"))).isEqualTo(8);
            assertThat(store.quotaUsedSince("org", Instant.parse("2026-01-01T11:00:00Z"))).isZero();
            assertThat(store.quotaUsed("org", LocalDate.parse("2026-01-01"))).isEqualTo(42);
            assertThat(store.quotaUsed("org", LocalDate.parse("2026-01-02"))).isZero();
        }
    }
}
