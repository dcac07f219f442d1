package dev.ebb.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebb.core.config.FieldMapping;
import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.config.Location;
import dev.ebb.core.config.NullPolicy;
import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.Resolution;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldOwnershipTest {
    @TempDir
    Path dir;

    static FieldMapping owned(String column, String field, FieldPolicy policy) {
        return new FieldMapping(column, null, field, policy, NullPolicy.CLEAR, new Location(Path.of("syncs/people.yaml"), 9));
    }

    @Test
    void ifEmptyWritesOnlyWhileTheFieldIsEmpty() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.fields = List.of(EngineFixture.mapping("score", "score"), owned("plan", "plan", FieldPolicy.IF_EMPTY));
            f.destination.personSets("a@x.io", "plan", "gold"); // typed in by a person before Ebb came
            f.row("a@x.io", "1", "free");
            f.row("b@x.io", "2", "free");
            RunReport run = f.engine().run("people", Progress.NONE);
            assertThat(f.destination.records.get("a@x.io")).containsEntry("plan", "gold")
                    .containsEntry("score", new BigDecimal("1"));
            assertThat(f.destination.records.get("b@x.io")).containsEntry("plan", "free");
            assertThat(run.record().readCalls()).isEqualTo(1);
            assertThat(run.record().apiCalls()).isEqualTo(1 + 1 + 1); // describe, read back, write
        }
    }

    @Test
    void createOnlySetsAFieldWhenTheRecordIsCreatedNeverAfter() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.fields = List.of(EngineFixture.mapping("score", "score"), owned("plan", "plan", FieldPolicy.CREATE_ONLY));
            f.row("a@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);
            assertThat(f.destination.records.get("a@x.io")).containsEntry("plan", "free");
            f.set("a@x.io", "2", "pro");
            f.engine().run("people", Progress.NONE);
            assertThat(f.destination.records.get("a@x.io")).containsEntry("plan", "free")
                    .containsEntry("score", new BigDecimal("2"));
        }
    }

    @Test
    void respectManualEditsKeepsThePersonsValueRecordsAConflictAndKeepsSyncingTheOtherFields() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.fields = List.of(owned("score", "score", FieldPolicy.RESPECT_MANUAL_EDITS),
                    EngineFixture.mapping("plan", "plan"));
            f.row("a@x.io", "1", "free");
            f.row("b@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);

            f.destination.personSets("a@x.io", "score", new BigDecimal("5")); // a person fixes a's score
            f.set("a@x.io", "2", "pro");
            f.set("b@x.io", "2", "pro");
            RunReport second = f.engine().run("people", Progress.NONE);
            assertThat(second.record().conflicts()).isEqualTo(1);
            assertThat(f.destination.records.get("a@x.io")).containsEntry("score", new BigDecimal("5"))
                    .containsEntry("plan", "pro");
            assertThat(f.destination.records.get("b@x.io")).containsEntry("score", new BigDecimal("2"));
            List<Conflict> open = f.state.openConflicts("people", null);
            assertThat(open).singleElement().satisfies(c -> {
                assertThat(c.key()).isEqualTo("a@x.io");
                assertThat(c.field()).isEqualTo("score");
                assertThat(c.destinationValue()).isEqualTo("5");
                assertThat(c.warehouseValue()).isEqualTo("2");
                assertThat(c.baseHash()).isEqualTo(dev.ebb.core.ownership.ValueHashes.valueHash(new BigDecimal("1")));
            });

            // The warehouse moves again: still the person's field, still one open conflict (with the new value).
            f.set("a@x.io", "3", "pro");
            f.engine().run("people", Progress.NONE);
            assertThat(f.destination.records.get("a@x.io")).containsEntry("score", new BigDecimal("5"));
            assertThat(f.state.openConflicts("people", null)).singleElement()
                    .satisfies(c -> assertThat(c.warehouseValue()).isEqualTo("3"));

            // Resolved for the warehouse: written now, and Ebb's again from then on.
            f.engine().resolve("people", "a@x.io", "score", dev.ebb.core.state.Resolution.WAREHOUSE);
            assertThat(f.destination.records.get("a@x.io")).containsEntry("score", new BigDecimal("3"));
            assertThat(f.state.openConflicts("people", null)).isEmpty();
            f.set("a@x.io", "4", "pro");
            RunReport after = f.engine().run("people", Progress.NONE);
            assertThat(after.record().conflicts()).isZero();
            assertThat(f.destination.records.get("a@x.io")).containsEntry("score", new BigDecimal("4"));
        }
    }

    @Test
    void takingTheWarehouseValueWritesThroughAnAsynchronousDestinationStepByStep() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.fields = List.of(owned("score", "score", FieldPolicy.RESPECT_MANUAL_EDITS));
            f.row("a@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);
            f.destination.personSets("a@x.io", "score", new BigDecimal("5"));
            f.set("a@x.io", "2", "free");
            f.engine().run("people", Progress.NONE);
            assertThat(f.state.openConflicts("people", null)).hasSize(1);

            // Writes become jobs (like Zendesk's job_status or a Salesforce Bulk job): start, then resume.
            f.destination.pendingSteps = 2;
            int resumesBefore = f.destination.resumes.get();
            f.engine().resolve("people", "a@x.io", "score", dev.ebb.core.state.Resolution.WAREHOUSE);
            assertThat(f.destination.resumes.get() - resumesBefore).as("the job was resumed to its end").isEqualTo(2);
            assertThat(f.destination.records.get("a@x.io")).containsEntry("score", new BigDecimal("2"));
            assertThat(f.state.openConflicts("people", null)).isEmpty();
        }
    }

    @Test
    void takingThePersonsValueMakesItTheBaseSoLaterWarehouseChangesFlowAgain() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.fields = List.of(owned("score", "score", FieldPolicy.RESPECT_MANUAL_EDITS));
            f.row("a@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);
            f.destination.personSets("a@x.io", "score", new BigDecimal("5"));
            f.set("a@x.io", "2", "free");
            f.engine().run("people", Progress.NONE);
            f.engine().resolve("people", "a@x.io", "score", dev.ebb.core.state.Resolution.DESTINATION);
            assertThat(f.destination.records.get("a@x.io")).containsEntry("score", new BigDecimal("5"));
            assertThatThrownBy(() -> f.engine().resolve("people", "a@x.io", "score", dev.ebb.core.state.Resolution.DESTINATION))
                    .hasMessageContaining("no open conflict");

            f.set("a@x.io", "7", "free");
            f.engine().run("people", Progress.NONE);
            assertThat(f.destination.records.get("a@x.io")).containsEntry("score", new BigDecimal("7"));
        }
    }

    @Test
    void readBacksAreBatchedAndOnlyRowsThatChangeAreRead() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.fields = List.of(owned("score", "score", FieldPolicy.RESPECT_MANUAL_EDITS));
            for (int i = 0; i < 10; i++) f.row("p" + i + "@x.io", "1", "free");
            RunReport first = f.engine().run("people", Progress.NONE);
            assertThat(first.record().readCalls()).isEqualTo(4); // ceil(10 / 3)
            for (int i = 0; i < 4; i++) f.set("p" + i + "@x.io", "2", "free");
            int reads = f.destination.reads.get();
            RunReport second = f.engine().run("people", Progress.NONE);
            assertThat(f.destination.reads.get() - reads).isEqualTo(2); // ceil(4 / 3)
            assertThat(second.record().readCalls()).isEqualTo(2);
            assertThat(second.record().apiCalls()).isEqualTo(1 + 2 + 2);
        }
    }

    @Test
    void nullsSkipLeavesTheFieldAndNullsClearEmptiesIt() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.fields = List.of(new FieldMapping("score", null, "score", FieldPolicy.OVERWRITE, NullPolicy.SKIP,
                    new Location(Path.of("syncs/people.yaml"), 9)), EngineFixture.mapping("plan", "plan"));
            f.row("a@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);
            f.set("a@x.io", null, null);
            f.engine().run("people", Progress.NONE);
            assertThat(f.destination.records.get("a@x.io")).containsEntry("score", new BigDecimal("1"))
                    .doesNotContainKey("plan");
        }
    }

    @Test
    void aResetResendsEverythingWithoutTakingEbbsOwnEarlierWritesForAPersonsEdits() throws Exception {
        try (EngineFixture f = new EngineFixture(dir)) {
            f.fields = List.of(owned("score", "score", FieldPolicy.RESPECT_MANUAL_EDITS),
                    EngineFixture.mapping("plan", "plan"));
            f.row("a@x.io", "1", "free");
            f.row("b@x.io", "1", "free");
            f.engine().run("people", Progress.NONE);
            f.destination.personSets("b@x.io", "score", new BigDecimal("7")); // a person edits b, not a

            assertThat(f.state.reset("people")).isEqualTo(2);
            f.set("a@x.io", "2", "free"); // the destination now differs from the model: Ebb wrote 1 there
            f.set("b@x.io", "2", "free");
            RunReport full = f.engine().run("people", Progress.NONE);

            assertThat(full.record().added()).as("a reset re-sends every row").isEqualTo(2);
            assertThat(f.destination.records.get("a@x.io")).as("Ebb's own earlier value is Ebb's to replace")
                    .containsEntry("score", new BigDecimal("2"));
            assertThat(f.destination.records.get("b@x.io")).as("the person's edit is kept")
                    .containsEntry("score", new BigDecimal("7"));
            assertThat(f.state.openConflicts("people", null)).singleElement()
                    .satisfies(c -> assertThat(c.key()).isEqualTo("b@x.io"));
        }
    }
}
