package dev.ebb.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.core.plan.SyncException;
import dev.ebb.core.state.LoggedOutcome;
import dev.ebb.core.state.Outcome;
import dev.ebb.spi.BatchLimits;
import dev.ebb.spi.Mode;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.RemovalBehaviour;
import dev.ebb.spi.WriteBatch;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Audience syncs (mode add_remove): additions, removals with the values last delivered, and replaces. */
class AudienceSyncTest {
    @TempDir
    Path dir;

    private static EngineFixture audience(EngineFixture f) {
        f.mode = Mode.ADD_REMOVE;
        f.onRemoved = RemovalBehaviour.DELETE;
        return f;
    }

    private static List<WriteBatch> batches(EngineFixture f, Operation operation) {
        return f.destination.writes.stream().filter(b -> b.operation() == operation).toList();
    }

    @Test
    void halfTheMembersLeavingAreRemovedInFullDeleteBatchesCarryingTheirOldValues() throws Exception {
        try (EngineFixture f = audience(new EngineFixture(dir))) {
            f.guard = EngineFixture.noGuard();
            f.destination.batchSize = 100;
            for (int i = 0; i < 1000; i++) f.row("m" + i + "@x.io", String.valueOf(i), i % 2 == 0 ? "free" : "pro");
            RunReport first = f.engine().run("people", Progress.NONE);
            assertThat(first.record().delivered()).isEqualTo(1000);
            assertThat(batches(f, Operation.UPSERT)).hasSize(10);

            f.source.rows.removeIf(r -> Integer.parseInt(((String) r[0]).substring(1, ((String) r[0]).indexOf('@')))
                    % 2 == 1);
            f.destination.writes.clear();
            RunReport second = f.engine().run("people", Progress.NONE);

            assertThat(second.record().removed()).isEqualTo(500);
            assertThat(second.record().delivered()).isEqualTo(500);
            assertThat(f.destination.writes).hasSize(5).allMatch(b -> b.operation() == Operation.DELETE);
            for (WriteBatch batch : f.destination.writes) {
                assertThat(batch.records()).hasSize(100);
                for (OutboundRecord r : batch.records()) {
                    int i = Integer.parseInt(r.matchValue().substring(1, r.matchValue().indexOf('@')));
                    assertThat(r.fields()).as(r.matchValue()).containsExactly(
                            Map.entry("score", new BigDecimal(i)), Map.entry("plan", "pro"));
                }
            }
            assertThat(f.destination.records).hasSize(500);
            assertThat(f.state.snapshotSize("people")).isEqualTo(500);
            assertThat(f.engine().run("people", Progress.NONE).record().apiCalls()).isEqualTo(1);
        }
    }

    @Test
    void aChangedMemberIsRemovedWithItsOldValuesBeforeItIsAddedWithItsNewOnes() throws Exception {
        try (EngineFixture f = audience(new EngineFixture(dir))) {
            f.guard = EngineFixture.noGuard();
            f.row("a@x.io", "1", "free");
            f.row("b@x.io", "2", "free");
            f.engine().run("people", Progress.NONE);
            f.reopen(); // the values last delivered live in the state file, not in the process

            f.set("a@x.io", "9", "pro");
            f.row("c@x.io", "3", "free");
            f.destination.applied.clear();
            RunReport run = f.engine().run("people", Progress.NONE);

            assertThat(run.record().changed()).isEqualTo(1);
            assertThat(run.record().added()).isEqualTo(1);
            assertThat(f.destination.applied).extracting(a -> a.operation() + " " + a.matchValue() + " " + a.fields())
                    .containsExactly("DELETE a@x.io {score=1, plan=free}", "UPSERT a@x.io {score=9, plan=pro}",
                            "UPSERT c@x.io {score=3, plan=free}");
            assertThat(f.state.outcomes("people", "a@x.io", 10)).extracting(LoggedOutcome::operation)
                    .contains("delete", "upsert");
            assertThat(f.engine().run("people", Progress.NONE).record().apiCalls()).isEqualTo(1);

            f.source.rows.removeIf(r -> r[0].equals("a@x.io"));
            f.destination.applied.clear();
            f.engine().run("people", Progress.NONE);
            assertThat(f.destination.applied).extracting(a -> a.operation() + " " + a.fields())
                    .containsExactly("DELETE {score=9, plan=pro}");
        }
    }

    @Test
    void aChangedMemberWhoseRemovalWasRefusedIsNotAddedAndIsTriedAgainNextRun() throws Exception {
        try (EngineFixture f = audience(new EngineFixture(dir))) {
            f.row("a@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);
            f.set("a@x.io", "9", "free");
            f.destination.rejects = r -> new BigDecimal("1").equals(r.fields().get("score"));
            f.destination.applied.clear();
            RunReport refused = f.engine().run("people", Progress.NONE);

            assertThat(refused.record().rejected()).isEqualTo(1);
            assertThat(f.destination.applied).isEmpty();
            assertThat(f.destination.records.get("a@x.io")).containsEntry("score", new BigDecimal("1"));

            f.destination.rejects = r -> false;
            RunReport again = f.engine().run("people", Progress.NONE);
            assertThat(again.record().changed()).isEqualTo(1);
            assertThat(f.destination.applied).extracting(a -> a.operation() + " " + a.fields().get("score"))
                    .containsExactly("DELETE 1", "UPSERT 9");
        }
    }

    @Test
    void aMemberWhoseAdditionCrashedBeforeItWasCommittedIsRemovedWithTheValuesSent() throws Exception {
        try (EngineFixture f = audience(new EngineFixture(dir))) {
            f.row("a@x.io", "1", "free");
            f.destination.crashOn(1, true, new IllegalStateException("killed"));
            assertThatThrownBy(() -> f.engine().run("people", Progress.NONE)).hasMessageContaining("killed");
            f.reopen();
            assertThat(f.state.snapshotSize("people")).isZero();

            f.source.rows.clear();
            f.destination.applied.clear();
            RunReport run = f.engine().run("people", Progress.NONE);
            assertThat(run.record().removed()).isEqualTo(1);
            assertThat(f.destination.applied).extracting(a -> a.operation() + " " + a.fields())
                    .containsExactly("DELETE {score=1, plan=free}");
            assertThat(f.destination.records).isEmpty();
        }
    }

    @Test
    void aRowTheDestinationObjectsToIsInvalidWithItsReasonAndNeverSent() throws Exception {
        try (EngineFixture f = audience(new EngineFixture(dir))) {
            f.destination.problems = fields -> "nobody".equals(fields.get("plan"))
                    ? Optional.of("field 'plan': 'nobody' is not a plan the audience knows") : Optional.empty();
            f.row("a@x.io", "1", "free");
            f.row("b@x.io", "2", "nobody");
            RunReport run = f.engine().run("people", Progress.NONE);

            assertThat(run.record().invalid()).isEqualTo(1);
            assertThat(run.record().delivered()).isEqualTo(1);
            assertThat(f.destination.records).containsOnlyKeys("a@x.io");
            assertThat(run.problems()).anyMatch(p -> p.contains("'nobody' is not a plan the audience knows"));
            assertThat(f.state.outcomesOfRun(run.record().runId(), Outcome.INVALID, 10))
                    .singleElement().satisfies(o -> {
                        assertThat(o.outcome()).isEqualTo("invalid");
                        assertThat(o.reason()).endsWith("field 'plan': 'nobody' is not a plan the audience knows");
                    });
            assertThat(f.engine().plan("people", 3, Progress.NONE).counts().invalid()).isEqualTo(1);
        }
    }

    @Test
    void theMatchValueIsCheckedAsWellAsTheMappedFields() throws Exception {
        try (EngineFixture f = audience(new EngineFixture(dir))) {
            f.destination.problems = fields -> String.valueOf(fields.get("email")).contains("@")
                    ? Optional.empty() : Optional.of("field 'email': not an email address");
            f.row("a@x.io", "1", "free");
            f.row("not-an-email", "2", "free");
            RunReport run = f.engine().run("people", Progress.NONE);

            assertThat(run.record().invalid()).isEqualTo(1);
            assertThat(f.destination.records).containsOnlyKeys("a@x.io");
        }
    }

    @Test
    void aReplaceMakesTheMembershipAndTheSnapshotExactlyTheAcceptedRows() throws Exception {
        try (EngineFixture f = audience(new EngineFixture(dir))) {
            f.guard = EngineFixture.noGuard();
            f.destination.replaceLimits = Optional.of(new BatchLimits(10, 1_000_000));
            for (String m : List.of("a", "b", "c")) f.row(m + "@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);

            f.source.rows.clear();
            for (String m : List.of("b", "c", "d", "e")) f.row(m + "@x.io", "2", "free");
            f.destination.rejects = r -> r.matchValue().equals("e@x.io");
            f.destination.writes.clear();
            RunReport replaced = f.engine().run("people", RunKind.REPLACE, Progress.NONE);

            assertThat(f.destination.writes).singleElement().satisfies(b -> {
                assertThat(b.operation()).isEqualTo(Operation.REPLACE);
                assertThat(b.records()).extracting(OutboundRecord::matchValue)
                        .containsExactly("b@x.io", "c@x.io", "d@x.io", "e@x.io");
            });
            assertThat(f.destination.resumes.get()).as("driven through the session's steps")
                    .isEqualTo(MemoryDestination.REPLACE_STEPS);
            assertThat(f.destination.records).containsOnlyKeys("b@x.io", "c@x.io", "d@x.io");
            assertThat(replaced.record().rejected()).isEqualTo(1);
            assertThat(f.state.snapshotSize("people")).isEqualTo(3);
            assertThat(f.state.snapshotEntry("people", "a@x.io")).isEmpty();
            assertThat(f.state.snapshotEntry("people", "e@x.io")).isEmpty();

            f.destination.rejects = r -> false;
            f.destination.writes.clear();
            RunReport next = f.engine().run("people", Progress.NONE);
            assertThat(next.record().added()).as("only the refused row").isEqualTo(1);
            assertThat(next.record().removed()).isZero();
            assertThat(f.destination.records).containsOnlyKeys("b@x.io", "c@x.io", "d@x.io", "e@x.io");
        }
    }

    @Test
    void aReplaceThatDoesNotFitInOneBatchIsRefusedAndSendsNothing() throws Exception {
        try (EngineFixture f = audience(new EngineFixture(dir))) {
            f.destination.replaceLimits = Optional.of(new BatchLimits(2, 1_000_000));
            for (String m : List.of("a", "b", "c")) f.row(m + "@x.io", "1", "free");
            assertThatThrownBy(() -> f.engine().run("people", RunKind.REPLACE, Progress.NONE))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("takes at most 2 records")
                    .hasMessageContaining("Run without --replace");
            assertThat(f.destination.writes).isEmpty();
            assertThat(f.state.snapshotSize("people")).isZero();
        }
    }

    @Test
    void aReplaceIsRefusedForOtherModesAndForObjectsThatCannotBeReplaced() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.row("a@x.io", "1", "free");
            f.destination.replaceLimits = Optional.of(new BatchLimits(10, 1_000_000));
            assertThatThrownBy(() -> f.engine().run("people", RunKind.REPLACE, Progress.NONE))
                    .isInstanceOf(SyncException.class).hasMessageContaining("needs mode: add_remove")
                    .hasMessageContaining("has mode: upsert");

            audience(f).destination.replaceLimits = Optional.empty();
            assertThatThrownBy(() -> f.engine().run("people", RunKind.REPLACE, Progress.NONE))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("object 'people' of destination 'crm' cannot be");
            assertThat(f.destination.writes).isEmpty();
            assertThat(f.state.runs("people", 10)).isEmpty();
        }
    }

    @Test
    void aReplaceThatWouldDropMoreMembersThanTheGuardAllowsIsRefused() throws Exception {
        try (EngineFixture f = audience(new EngineFixture(dir))) {
            f.destination.replaceLimits = Optional.of(new BatchLimits(10, 1_000_000));
            for (String m : List.of("a", "b", "c", "d")) f.row(m + "@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);
            f.source.rows.subList(0, 3).clear();
            f.destination.writes.clear();
            assertThatThrownBy(() -> f.engine().run("people", RunKind.REPLACE, Progress.NONE))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("it removes 3 of 4 records (75%), over max_removed 10%");
            assertThat(f.destination.writes).isEmpty();
            assertThat(f.destination.records).hasSize(4);
        }
    }
}
