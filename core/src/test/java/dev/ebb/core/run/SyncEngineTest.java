package dev.ebb.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.core.plan.PlanReport;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.state.Outcome;
import dev.ebb.core.state.RunStatus;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.Mode;
import dev.ebb.spi.Operation;
import dev.ebb.spi.RemovalBehaviour;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncEngineTest {
    @TempDir
    Path dir;

    @Test
    void firstRunSendsEverythingAndSecondRunOnlyTheChange() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            for (int i = 0; i < 10; i++) f.row("p" + i + "@x.io", String.valueOf(i), "free");
            RunReport first = f.engine().run("people", Progress.NONE);
            assertThat(first.record().added()).isEqualTo(10);
            assertThat(first.record().delivered()).isEqualTo(10);
            assertThat(first.record().apiCalls()).isEqualTo(1 + 4); // describe + ceil(10 / 3)
            assertThat(f.destination.records).hasSize(10);

            f.set("p3@x.io", "33", "pro");
            int callsBefore = f.destination.calls.get();
            RunReport second = f.engine().run("people", Progress.NONE);
            assertThat(second.record().changed()).isEqualTo(1);
            assertThat(second.record().unchanged()).isEqualTo(9);
            assertThat(f.destination.calls.get() - callsBefore).isEqualTo(2); // describe + one batch
            assertThat(f.destination.records.get("p3@x.io")).containsEntry("score", new BigDecimal("33"))
                    .containsEntry("plan", "pro");
            assertThat(second.clean()).isTrue();

            RunReport third = f.engine().run("people", Progress.NONE);
            assertThat(third.record().delivered()).isZero();
            assertThat(third.record().apiCalls()).isEqualTo(1);
        }
    }

    @Test
    void invalidRowsAreReportedNeverSentAndDoNotBlockValidOnes() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.row("a@x.io", "1", "free");
            f.row(null, "2", "free");
            f.row("dup@x.io", "3", "free");
            f.row("dup@x.io", "4", "pro");
            f.source.rows.add(new Object[]{"bad@x.io", "not-a-number", "free"});
            RunReport run = f.engine().run("people", Progress.NONE);
            assertThat(run.record().invalid()).isEqualTo(4);
            assertThat(run.record().delivered()).isEqualTo(1);
            assertThat(f.destination.records).containsOnlyKeys("a@x.io");
            assertThat(run.problems()).anyMatch(p -> p.contains("duplicate key"))
                    .anyMatch(p -> p.contains("is null"))
                    .anyMatch(p -> p.contains("'not-a-number' cannot go into field 'score'"));
            assertThat(run.record().status().label()).isEqualTo("completed_with_errors");
        }
    }

    @Test
    void rejectedRowsKeepTheirSnapshotAndAreRetriedNextRun() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.row("a@x.io", "1", "free");
            f.row("b@x.io", "2", "free");
            f.destination.rejects = r -> r.matchValue().equals("b@x.io");
            RunReport first = f.engine().run("people", Progress.NONE);
            assertThat(first.record().rejected()).isEqualTo(1);
            assertThat(first.problems()).anyMatch(p -> p.contains("INVALID: rejected by the test"));
            assertThat(f.state.snapshotEntry("people", "b@x.io")).isEmpty();

            f.destination.rejects = r -> false;
            RunReport second = f.engine().run("people", Progress.NONE);
            assertThat(second.record().added()).isEqualTo(1);
            assertThat(second.record().delivered()).isEqualTo(1);
            assertThat(f.destination.records).containsOnlyKeys("a@x.io", "b@x.io");
        }
    }

    @Test
    void transientFailuresAreRetriedWithBackoffAndThrottlesHonourRetryAfter() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.row("a@x.io", "1", "free");
            f.destination.faults.add(new DestinationException.TransientException("503", null, false));
            f.destination.faults.add(new DestinationException.TransientException("503", null, false));
            f.destination.faults.add(new DestinationException.ThrottledException("429", Duration.ofSeconds(7), false));
            RunReport run = f.engine().run("people", Progress.NONE);
            assertThat(f.clock.waited).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
            assertThat(run.record().throttles()).isEqualTo(1);
            assertThat(run.record().retries()).isEqualTo(3);
            assertThat(run.record().apiCalls()).isEqualTo(1 + 4);
            assertThat(f.destination.records).containsOnlyKeys("a@x.io");
        }
    }

    @Test
    void exhaustedRetriesLeaveRowsFailedForTheNextRun() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.row("a@x.io", "1", "free");
            f.row("b@x.io", "1", "free");
            for (int i = 0; i < 2; i++) {
                f.destination.faults.add(new DestinationException.TransientException("refused", null, true));
            }
            var policy = new dev.ebb.core.delivery.RetryPolicy(2, Duration.ofMillis(10), Duration.ofSeconds(1), 3);
            RunReport down = f.engine(policy).run("people", Progress.NONE);
            assertThat(down.unreachable()).isTrue();
            assertThat(down.record().status().label()).isEqualTo("failed");
            assertThat(down.record().failed()).isEqualTo(2);
            assertThat(down.record().retries()).isEqualTo(1);
            assertThat(f.state.snapshotSize("people")).isZero();

            RunReport up = f.engine(policy).run("people", Progress.NONE);
            assertThat(up.record().added()).isEqualTo(2);
            assertThat(up.record().delivered()).isEqualTo(2);
            assertThat(f.destination.records).containsOnlyKeys("a@x.io", "b@x.io");
        }
    }

    @Test
    void mirrorDeletesRemovedRowsAndClearFieldsEmptiesThem() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.mode = Mode.MIRROR;
            f.guard = EngineFixture.noGuard();
            f.row("a@x.io", "1", "free");
            f.row("b@x.io", "2", "free");
            f.engine().run("people", Progress.NONE);
            f.source.rows.removeIf(r -> r[0].equals("b@x.io"));
            RunReport run = f.engine().run("people", Progress.NONE);
            assertThat(run.record().removed()).isEqualTo(1);
            assertThat(f.destination.records).containsOnlyKeys("a@x.io");
            assertThat(f.destination.writes.getLast().operation()).isEqualTo(Operation.DELETE);
            assertThat(f.state.snapshotSize("people")).isEqualTo(1);
        }
        try (EngineFixture f = new EngineFixture(dir.resolve("clear"))) {
            f.onRemoved = RemovalBehaviour.CLEAR_FIELDS;
            f.guard = EngineFixture.noGuard();
            f.row("a@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);
            f.source.rows.clear();
            f.engine().run("people", Progress.NONE);
            assertThat(f.destination.records.get("a@x.io")).containsOnlyKeys("email");
        }
    }

    @Test
    void aPlanOverTheGuardIsHeldUntilApprovedAndTheDecisionIsLogged() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.mode = Mode.MIRROR; // deletes: max_removed 10% by default
            for (int i = 0; i < 20; i++) f.row("p" + i + "@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);
            f.source.rows.subList(0, 5).clear(); // a bad model change: 25% of the records would go

            PlanReport plan = f.engine().plan("people", 3, Progress.NONE);
            assertThat(plan.guardBreach()).contains("removes 5 of 20 records (25%), over max_removed 10%");
            int writes = f.destination.writes.size();
            RunReport held = f.engine().run("people", Progress.NONE);
            assertThat(held.record().status().label()).isEqualTo("awaiting_approval");
            assertThat(held.clean()).isFalse();
            assertThat(held.warnings()).anyMatch(w -> w.contains("ebb approve " + held.record().runId()));
            assertThat(f.destination.writes).hasSize(writes);
            assertThat(f.destination.records).hasSize(20);

            RunReport approved = f.engine().approve(held.record().runId(), Progress.NONE);
            assertThat(approved.record().delivered()).isEqualTo(5);
            assertThat(f.destination.records).hasSize(15);
            assertThat(f.state.run(held.record().runId()).orElseThrow().status().label()).isEqualTo("approved");
            assertThat(f.state.run(held.record().runId()).orElseThrow().message())
                    .isEqualTo("approved: delivered by run " + approved.record().runId());
        }
    }

    @Test
    void aModelThatSuddenlyReturnsNoRowsIsHeldEvenWhenRemovalsAreIgnored() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            // on_removed: ignore (the fixture's) makes no call for a removed row, but forgets its snapshot entry:
            // delivered, the next run would send the whole model again as new.
            for (int i = 0; i < 20; i++) f.row("p" + i + "@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);
            List<Object[]> model = List.copyOf(f.source.rows);
            f.source.rows.clear();

            RunReport held = f.engine().run("people", Progress.NONE);
            assertThat(held.record().status().label()).isEqualTo("awaiting_approval");
            assertThat(held.record().message()).contains("forgets 20 of 20 records (100%), over max_removed 10%");
            assertThat(f.state.snapshotSize("people")).isEqualTo(20);

            f.source.rows.addAll(model); // the model is fixed: nothing to send again
            int writes = f.destination.writes.size();
            RunReport fixed = f.engine().run("people", Progress.NONE);
            assertThat(fixed.record().added()).isZero();
            assertThat(f.destination.writes).hasSize(writes);
        }
    }

    @Test
    void aRejectedPlanIsNeverDeliveredAndAHeldPlanThatNoLongerStandsIsRefused() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.mode = Mode.MIRROR;
            f.guard = new dev.ebb.core.config.Guard(null, new dev.ebb.core.config.Threshold(
                    java.math.BigDecimal.ONE, false), new dev.ebb.core.config.Location(Path.of("syncs/people.yaml"), 12));
            for (int i = 0; i < 4; i++) f.row("p" + i + "@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);
            f.set("p0@x.io", "9", "free");
            f.set("p1@x.io", "9", "free");
            RunReport held = f.engine().run("people", Progress.NONE);
            assertThat(held.record().status().label()).isEqualTo("awaiting_approval");
            assertThat(held.record().message()).contains("changes 2 of 4 records (50%), over max_changed 1 rows")
                    .contains("syncs/people.yaml:12");
            f.engine().reject(held.record().runId());
            assertThat(f.state.run(held.record().runId()).orElseThrow().status().label()).isEqualTo("rejected");
            assertThatThrownBy(() -> f.engine().approve(held.record().runId(), Progress.NONE))
                    .hasMessageContaining("is rejected, not awaiting approval");

            RunReport again = f.engine().run("people", Progress.NONE);
            f.set("p2@x.io", "9", "free"); // the model moves after the plan was held
            assertThatThrownBy(() -> f.engine().approve(again.record().runId(), Progress.NONE))
                    .isInstanceOf(SyncException.class).hasMessageContaining("no longer stands");
            assertThat(f.destination.records.get("p0@x.io")).containsEntry("score", new BigDecimal("1"));
        }
    }

    @Test
    void aChangedMappingReplansEveryRowWithAWarning() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.row("a@x.io", "1", "free");
            f.row("b@x.io", "2", "free");
            f.engine().run("people", Progress.NONE);
            f.fields = java.util.List.of(EngineFixture.mapping("score", "score"));
            RunReport run = f.engine().run("people", Progress.NONE);
            assertThat(run.warnings()).anyMatch(w -> w.contains("changed since its last run"));
            assertThat(run.record().changed()).isEqualTo(2);
            assertThat(run.record().delivered()).isEqualTo(2);
        }
    }

    @Test
    void aMappedFieldTheDestinationLacksIsAConfigErrorNamingTheFileAndLine() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.fields = java.util.List.of(EngineFixture.mapping("score", "scroe"));
            assertThatThrownBy(() -> f.engine().run("people", Progress.NONE))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("syncs/people.yaml:9")
                    .hasMessageContaining("has no field 'scroe'")
                    .hasMessageContaining("did you mean 'score'");
        }
    }

    @Test
    void aCrashAfterTheVendorAppliedABatchResendsOnlyThatBatch() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            for (int i = 0; i < 9; i++) f.row("p" + i + "@x.io", "1", "free");
            f.destination.crashAfterApply = null;
            // Let two batches through, then die after the third was applied but before it was committed.
            f.destination.rejects = new java.util.function.Predicate<>() {
                int seen;

                @Override
                public boolean test(dev.ebb.spi.OutboundRecord r) {
                    if (++seen == 7) f.destination.crashAfterApply = new IllegalStateException("killed");
                    return false;
                }
            };
            assertThatThrownBy(() -> f.engine().run("people", Progress.NONE)).hasMessageContaining("killed");
            f.reopen();
            assertThat(f.state.snapshotSize("people")).isEqualTo(6);
            int writesBefore = f.destination.writes.size();
            RunReport recovery = f.engine().run("people", Progress.NONE);
            assertThat(recovery.record().added()).isEqualTo(3);
            assertThat(f.destination.writes.size() - writesBefore).isEqualTo(1);
            assertThat(f.destination.records).hasSize(9);
            assertThat(f.state.runs("people", 10)).extracting(r -> r.status().label())
                    .containsExactly("succeeded", "abandoned");
        }
    }

    @Test
    void asynchronousWritesAreResumedThroughTheBudgetUntilDone() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.destination.pendingSteps = 2;
            for (int i = 0; i < 4; i++) f.row("p" + i + "@x.io", "1", "free");
            RunReport run = f.engine().run("people", Progress.NONE);
            assertThat(run.record().delivered()).isEqualTo(4);
            // two batches (3 + 1), each: start, two pending polls, and the call that finishes it
            assertThat(f.destination.resumes.get()).isEqualTo(2 * 2);
            assertThat(run.record().apiCalls()).isEqualTo(1 + 2 * 3);
            assertThat(f.clock.waited).isGreaterThanOrEqualTo(Duration.ofSeconds(2 * 2 * 2));
            assertThat(f.destination.records).hasSize(4);
        }
    }

    @Test
    void aBatchPoisonedByOneRecordIsBisectedUntilTheGoodRecordsAreDelivered() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.destination.batchSize = 8;
            for (int i = 0; i < 8; i++) f.row("p" + i + "@x.io", "1", "free");
            f.destination.poisons = r -> r.matchValue().equals("p5@x.io");
            RunReport run = f.engine().run("people", Progress.NONE);
            assertThat(run.record().delivered()).isEqualTo(7);
            assertThat(run.record().rejected()).isEqualTo(1);
            assertThat(run.problems()).containsExactly(
                    "rejected p5@x.io: VALIDATION_ERROR: p5@x.io poisons the whole batch");
            assertThat(f.destination.records).hasSize(7).doesNotContainKey("p5@x.io");
            // 8 -> 4 + 4 -> (2 + 2) -> (1 + 1): describe + 1 + 2 + 2 + 2 calls
            assertThat(run.record().apiCalls()).isEqualTo(1 + 1 + 2 + 2 + 2);
            assertThat(f.state.snapshotEntry("people", "p5@x.io")).isEmpty();
        }
    }

    @Test
    void aRecordTheDestinationCouldNotApplyIsFailedWithItsReasonAndSentAgainNextRun() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            for (int i = 0; i < 3; i++) f.row("p" + i + "@x.io", "1", "free");
            f.destination.cannotApply = r -> r.matchValue().equals("p1@x.io");
            RunReport first = f.engine().run("people", Progress.NONE);
            assertThat(first.record().delivered()).isEqualTo(2);
            assertThat(first.record().failed()).isEqualTo(1);
            assertThat(first.record().rejected()).isZero();
            assertThat(first.problems()).containsExactly("failed p1@x.io: UNABLE_TO_LOCK_ROW: the record is locked");
            assertThat(f.state.outcomesOfRun(first.record().runId(), dev.ebb.core.state.Outcome.FAILED, 10))
                    .singleElement().satisfies(o -> assertThat(o.reason())
                            .isEqualTo("p1@x.io: UNABLE_TO_LOCK_ROW: the record is locked"));
            assertThat(f.state.snapshotEntry("people", "p1@x.io")).isEmpty();

            f.destination.cannotApply = r -> false;
            RunReport second = f.engine().run("people", Progress.NONE);
            assertThat(second.record().added()).isEqualTo(1);
            assertThat(second.record().delivered()).isEqualTo(1);
            assertThat(f.destination.records).containsKey("p1@x.io");
        }
    }

    @Test
    void everyRowARunStoppedBeforeSendingIsFailedWithTheReason() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.destination.dailyQuota = Optional.of(new dev.ebb.spi.Quota(3, java.time.ZoneOffset.UTC));
            for (int i = 0; i < 12; i++) f.row("p" + i + "@x.io", "1", "free");
            RunReport run = f.engine().run("people", Progress.NONE);
            // describe + 2 batches of 3 fit the quota; the other 6 rows were never sent
            assertThat(run.record().delivered()).isEqualTo(6);
            assertThat(run.record().failed()).isEqualTo(6);
            List<dev.ebb.core.state.LoggedOutcome> failed = f.state.outcomesOfRun(run.record().runId(),
                    dev.ebb.core.state.Outcome.FAILED, 100);
            assertThat(failed).hasSize(6).allSatisfy(o -> assertThat(o.reason()).contains("daily quota of 3 calls"));
            long outcomes = 0;
            for (dev.ebb.core.state.Outcome o : dev.ebb.core.state.Outcome.values()) {
                outcomes += f.state.outcomesOfRun(run.record().runId(), o, 100).size();
            }
            assertThat(outcomes).as("every planned row has an outcome").isEqualTo(12);
        }
    }

    @Test
    void aRunStopsCleanlyAtTheDailyQuotaAndTheNextDayDeliversTheRest() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.destination.dailyQuota = Optional.of(new dev.ebb.spi.Quota(4, java.time.ZoneOffset.UTC));
            for (int i = 0; i < 12; i++) f.row("p" + i + "@x.io", "1", "free");
            RunReport first = f.engine().run("people", Progress.NONE);
            // describe + 3 batches of 3 fit the quota of 4 calls; the last batch waits for tomorrow
            assertThat(first.record().status().label()).isEqualTo("quota_exhausted");
            assertThat(first.record().delivered()).isEqualTo(9);
            assertThat(first.record().failed()).isEqualTo(3);
            assertThat(first.record().message()).contains("daily quota of 4 calls")
                    .contains("resets at 2026-01-02T00:00:00Z");
            assertThat(f.state.quotaUsed("memory", java.time.LocalDate.parse("2026-01-01"))).isEqualTo(4);

            // A new process the same day is refused at once: the count was persisted.
            f.reopen();
            assertThatThrownBy(() -> f.engine().run("people", Progress.NONE))
                    .hasMessageContaining("daily quota of 4 calls");
            assertThat(f.destination.records).hasSize(9);

            f.clock.advance(Duration.ofDays(1));
            RunReport next = f.engine().run("people", Progress.NONE);
            assertThat(next.record().added()).isEqualTo(3);
            assertThat(next.record().delivered()).isEqualTo(3);
            assertThat(f.destination.records).hasSize(12);
        }
    }

    @Test
    void aRefusalOfEveryBatchIsNotBisectedRecordByRecord() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.destination.batchSize = 8;
            for (int i = 0; i < 8; i++) f.row("p" + i + "@x.io", "1", "free");
            f.destination.poisons = r -> true; // e.g. "imports are not enabled for this account"
            f.destination.poisonMessage = "FORBIDDEN: data imports are not enabled";
            RunReport run = f.engine().run("people", Progress.NONE);
            assertThat(run.record().failed()).isEqualTo(8);
            assertThat(run.record().apiCalls()).as("describe, the batch, and its two halves").isEqualTo(1 + 1 + 2);
            assertThat(run.problems()).allMatch(p -> p.contains("data imports are not enabled"));
            assertThat(f.state.snapshotSize("people")).isZero();
        }
    }

    @Test
    void planWritesNothing() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.row("a@x.io", "1", "free");
            PlanReport plan = f.engine().plan("people", 5, Progress.NONE);
            assertThat(plan.counts().added()).isEqualTo(1);
            assertThat(plan.samples()).singleElement().satisfies(s -> {
                assertThat(s.operation()).isEqualTo("upsert");
                assertThat(s.fields()).containsEntry("plan", "free");
            });
            assertThat(f.destination.writes).isEmpty();
            assertThat(f.state.runs(null, 10)).isEmpty();
            assertThat(f.state.snapshotSize("people")).isZero();
        }
    }

    @Test
    void updateModeRejectsRowsWithoutARecord() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.mode = Mode.UPDATE;
            f.row("a@x.io", "1", "free");
            RunReport run = f.engine().run("people", Progress.NONE);
            assertThat(run.record().rejected()).isEqualTo(1);
            assertThat(f.state.outcomes("people", "a@x.io", 5)).first()
                    .satisfies(o -> assertThat(o.outcome()).isEqualTo(Outcome.REJECTED.name().toLowerCase()));
        }
    }

    @Test
    void aChangeRevertedAfterACrashMidDeliveryIsSentAgain() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.row("a@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);
            f.set("a@x.io", "2", "free");
            // The vendor applies score 2, then the process dies before the snapshot learns of it.
            f.destination.crashOn(f.destination.writeCalls + 1, true, new IllegalStateException("killed"));
            assertThatThrownBy(() -> f.engine().run("people", Progress.NONE)).hasMessageContaining("killed");
            f.reopen();
            // The model goes back to what the snapshot holds; the destination still has 2.
            f.set("a@x.io", "1", "free");
            RunReport run = f.engine().run("people", Progress.NONE);
            assertThat(run.record().changed()).isEqualTo(1);
            assertThat(f.destination.records.get("a@x.io")).containsEntry("score", new BigDecimal("1"));
            assertThat(f.engine().run("people", Progress.NONE).record().delivered()).isZero();
        }
    }

    @Test
    void aChangeRevertedAfterItsAnswersWereLostIsSentAgain() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.row("a@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);
            f.set("a@x.io", "2", "free");
            var policy = new dev.ebb.core.delivery.RetryPolicy(2, Duration.ofMillis(10), Duration.ofSeconds(1), 3);
            for (int i = 0; i < 2; i++) {
                f.destination.faultsAfterApply.add(new DestinationException.TransientException("timeout", null, false));
            }
            RunReport lost = f.engine(policy).run("people", Progress.NONE);
            assertThat(lost.record().failed()).isEqualTo(1);
            assertThat(f.destination.records.get("a@x.io")).containsEntry("score", new BigDecimal("2"));
            f.set("a@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);
            assertThat(f.destination.records.get("a@x.io")).containsEntry("score", new BigDecimal("1"));
        }
    }

    @Test
    void mirrorDeletesARecordWhoseCreationCrashedBeforeItWasCommitted() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.mode = Mode.MIRROR;
            f.row("a@x.io", "1", "free");
            f.destination.crashOn(1, true, new IllegalStateException("killed"));
            assertThatThrownBy(() -> f.engine().run("people", Progress.NONE)).hasMessageContaining("killed");
            f.reopen();
            assertThat(f.state.snapshotSize("people")).isZero();
            f.source.rows.clear();
            RunReport run = f.engine().run("people", Progress.NONE);
            assertThat(run.record().removed()).isEqualTo(1);
            assertThat(f.destination.records).isEmpty();
            assertThat(f.engine().run("people", Progress.NONE).record().apiCalls()).isEqualTo(1);
        }
    }

    @Test
    void aRejectedRowThatLeavesTheModelCostsNoCall() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.mode = Mode.MIRROR;
            f.row("a@x.io", "1", "free");
            f.destination.rejects = r -> true;
            f.engine().run("people", Progress.NONE);
            f.destination.rejects = r -> false;
            f.source.rows.clear();
            RunReport run = f.engine().run("people", Progress.NONE);
            assertThat(run.record().removed()).isZero();
            assertThat(run.record().apiCalls()).isEqualTo(1);
        }
    }

    @Test
    void aFullDiskEndsTheRunFailedSayingSoAndTheNextRunDeliversWhatWasNotRecorded() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            for (int i = 0; i < 10; i++) f.row("p" + i + "@x.io", String.valueOf(i), "free");
            java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
            // The fourth write of the writer finds the disk full: DuckDB fails the commit and rolls it back.
            f.reopen(c -> {
                if (writes.incrementAndGet() != 4) {
                    c.commit();
                    return;
                }
                c.rollback();
                throw new java.sql.SQLException("IO Error: Could not write file: No space left on device");
            });
            assertThatThrownBy(() -> f.engine().run("people", Progress.NONE))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("the disk of the state store is full")
                    .hasMessageNotContaining("no transaction is active");
            var failed = f.state.runs("people", 1).getFirst();
            assertThat(failed.status()).as("the run ends with a status").isEqualTo(RunStatus.FAILED);
            assertThat(failed.message()).contains("the disk of the state store is full");
            assertThat(failed.finishedAt()).isNotNull();
            assertThat(failed.delivered()).as("only what was recorded counts").isLessThan(10);
            assertThat(f.state.snapshotSize("people")).isEqualTo(failed.delivered());

            f.reopen();
            RunReport next = f.engine().run("people", Progress.NONE);
            assertThat(next.record().status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(f.state.snapshotSize("people")).as("nothing lost").isEqualTo(10);
            assertThat(f.destination.records).hasSize(10);
        }
    }

    @Test
    void theProjectsMaxConcurrencyBoundsTheBatchesInFlightSoEachIsCommittedBeforeTheNextGoes() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            // The destination allows 4 calls at once; ebb.yaml lowers it to 1.
            f.destination.concurrency = 4;
            f.limits = new dev.ebb.core.config.DestinationLimits(null, 1, null,
                    new dev.ebb.core.config.Location(Path.of("ebb.yaml"), 5));
            for (int i = 0; i < 12; i++) f.row("p" + i + "@x.io", String.valueOf(i), "free");
            List<Long> committed = new java.util.concurrent.CopyOnWriteArrayList<>();
            f.destination.beforeWrite = () -> {
                try {
                    committed.add(f.state.snapshotSize("people"));
                } catch (dev.ebb.core.state.StateException e) {
                    throw new IllegalStateException(e);
                }
            };
            RunReport run = f.engine().run("people", Progress.NONE);
            assertThat(run.record().status()).isEqualTo(RunStatus.SUCCEEDED);
            // One batch in flight: a process dying mid-call leaves at most that batch to send again.
            assertThat(committed).as("rows committed when each of the four batches of 3 was sent")
                    .containsExactly(0L, 3L, 6L, 9L);
        }
    }
}
