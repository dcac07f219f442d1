package dev.ebb.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.config.FieldMapping;
import dev.ebb.core.config.FieldPolicy;
import dev.ebb.core.config.Location;
import dev.ebb.core.config.NullPolicy;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.plan.Values;
import dev.ebb.core.state.Conflict;
import dev.ebb.core.state.LoggedOutcome;
import dev.ebb.core.state.Resolution;
import dev.ebb.spi.DestinationException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Field ownership under any interleaving (DESIGN §6): no edit a person made to a {@code respect_manual_edits} field is
 * ever overwritten without an explicit resolve, and every field nobody edited converges to the warehouse's value.
 *
 * <p>The sync maps {@code score} with {@code respect_manual_edits} and {@code plan} with {@code overwrite}. Between
 * runs the warehouse changes rows (scores, plans, rows added and removed), a person edits records in the tool,
 * runs meet transient write failures, and conflicts are resolved either way. The test keeps its own account of
 * what Ebb last wrote to each field (from the writes the destination applied, never from the engine's state) and
 * of the edits still pending, and checks after every run:
 * <ul>
 *   <li>a field a person edited since the last resolve of that field holds the person's value; the edit stops
 *       counting once a run saw the warehouse agree with it (then both sides hold the same value), or when the
 *       person puts back exactly what Ebb last wrote (an edit that leaves no trace);</li>
 *   <li>after {@code --take destination}, the person's value stays while the warehouse still says what it said
 *       when the conflict was resolved, and only a new warehouse value is written over it;</li>
 *   <li>after a run without faults, every other field of every row holds the warehouse's value.</li>
 * </ul>
 */
class ManualEditsPropertyTest {
    static final String SYNC = "people";
    static final int KEYS = 4;

    sealed interface Step {
    }

    /** The warehouse's row for this key becomes (score, plan); null values are nulls in the model. */
    record Warehouse(int key, String score, String plan) implements Step {
    }

    /** The key's row leaves the model. */
    record Leave(int key) implements Step {
    }

    /** A person sets a field of the record in the tool ({@code null} clears it; a missing record is created). */
    record Person(int key, boolean score, String value) implements Step {
    }

    /** A run whose first {@code transientFaults} write calls fail with a 503; five or more exhaust the retries. */
    record Run(int transientFaults) implements Step {
    }

    /** Resolves one of the open conflicts (picked by index), possibly while the destination fails every call. */
    record Resolve(int pick, boolean takeWarehouse, boolean destinationDown) implements Step {
    }

    /** What the test knows about one key's score field. */
    static final class Field {
        /** What Ebb last wrote (or adopted) as its own value; meaningful only when {@link #baseKnown}. */
        String base;
        boolean baseKnown;
        /** The person's value, while their edit is pending (not resolved, not agreed with). */
        String edit;
        boolean edited;
        /** After take-destination: the warehouse value at the time, and the person's value kept. */
        String keptWarehouse;
        String keptValue;
        boolean kept;
        /**
         * The person put back Ebb's value after a run had seen their edit: the field is Ebb's again, but Ebb reads a
         * record back only when its row changes, so the warehouse's value follows at the row's next change.
         */
        boolean reverted;
    }

    @Property(tries = 50)
    void noManualEditIsOverwrittenWithoutAResolve(@ForAll("histories") List<Step> history,
                                                  @ForAll @IntRange(min = 1, max = 3) int batchSize)
            throws Exception {
        check(history, batchSize);
    }

    // Histories the generator found, kept as examples: each once broke a rule above.

    /** A row leaves the model and comes back: the score Ebb wrote before is still Ebb's, not a person's. */
    @Example
    void aRowThatLeavesAndComesBackStillKnowsWhatEbbWrote() throws Exception {
        check(List.of(new Warehouse(0, "1", "free"), new Run(0), new Leave(0), new Run(0),
                new Warehouse(0, "2", "free"), new Run(0)), 2);
    }

    /** Taking the person's value keeps it when another column of the row changes; a new score replaces it. */
    @Example
    void takingThePersonsValueSurvivesChangesToOtherColumns() throws Exception {
        check(List.of(new Warehouse(0, "1", "free"), new Run(0), new Person(0, true, "7"),
                new Warehouse(0, "2", "free"), new Run(0), new Resolve(0, false, false),
                new Warehouse(0, "2", "pro"), new Run(0), new Warehouse(0, "3", "pro"), new Run(0)), 2);
    }

    /**
     * The warehouse comes round to the person's value, then moves on: the conflict is moot once both agree, so a
     * late resolve cannot write the warehouse's old value over the new one.
     */
    @Example
    void aConflictBothSidesSettledIsNoLongerOpen() throws Exception {
        check(List.of(new Warehouse(0, "1", "free"), new Run(0), new Person(0, true, "2"),
                new Warehouse(0, "3", "free"), new Run(0), new Warehouse(0, "2", "free"), new Run(0),
                new Warehouse(0, "1", "free"), new Run(0), new Resolve(0, true, false), new Run(0)), 2);
    }

    /** A person who puts Ebb's value back gives the field back; the conflict they had raised is moot. */
    @Example
    void anEditUndoneByThePersonGivesTheFieldBack() throws Exception {
        check(List.of(new Warehouse(0, "1", "free"), new Run(0), new Person(0, true, "7"),
                new Warehouse(0, "2", "free"), new Run(0), new Person(0, true, "1"),
                new Warehouse(0, "3", "free"), new Run(0), new Resolve(0, true, false), new Run(0)), 2);
    }

    private static void check(List<Step> history, int batchSize) throws Exception {
        Path dir = Files.createTempDirectory("ebb-manual-edits");
        Map<String, Integer> seen = new HashMap<>();
        try (EngineFixture f = new EngineFixture(dir)) {
            f.fields = List.of(
                    new FieldMapping("score", null, "score", FieldPolicy.RESPECT_MANUAL_EDITS, NullPolicy.CLEAR,
                            new Location(Path.of("syncs/people.yaml"), 9)),
                    EngineFixture.mapping("plan", "plan"));
            f.guard = EngineFixture.noGuard();
            f.destination.batchSize = batchSize;
            Map<String, Field> fields = new HashMap<>();
            Set<String> planEdited = new HashSet<>();
            for (int i = 0; i < KEYS; i++) fields.put(key(i), new Field());

            for (Step step : history) {
                switch (step) {
                    case Warehouse w -> f.set(key(w.key()), w.score(), w.plan());
                    case Leave l -> f.source.rows.removeIf(r -> r[0].equals(key(l.key())));
                    case Person person -> personEdits(f, fields.get(key(person.key())), planEdited, person);
                    case Resolve resolve -> resolve(f, fields, resolve, seen);
                    case Run run -> run(f, fields, planEdited, run, seen);
                }
            }
            // Whatever happened, a last run without faults leaves every field as the rules say.
            run(f, fields, planEdited, new Run(0), seen);
        } finally {
            seen.forEach((what, n) -> Statistics.label(what).collect(n > 0));
            PlanDiffPropertyTest.delete(dir);
        }
    }

    private static void personEdits(EngineFixture f, Field field, Set<String> planEdited, Person person) {
        String key = key(person.key());
        Map<String, Object> record = f.destination.records.get(key);
        if (!person.score()) {
            if (record != null && Objects.equals(record.get("plan"), person.value())) return;
            f.destination.personSets(key, "plan", person.value());
            planEdited.add(key);
            return;
        }
        String before = record == null ? null : text(record.get("score"));
        if (Objects.equals(before, person.value())) return; // typing the value that is there is no edit
        f.destination.personSets(key, "score", person.value() == null ? null : new BigDecimal(person.value()));
        if (field.baseKnown ? Objects.equals(person.value(), field.base) : person.value() == null) {
            // Back to exactly what Ebb last wrote (or, where Ebb holds no value of its own, back to empty): the
            // record looks as if nobody had touched it, and no rule could tell otherwise.
            field.reverted = field.edited;
            field.edited = false;
        } else {
            field.edited = true;
            field.edit = person.value();
            field.reverted = false;
        }
    }

    private static void resolve(EngineFixture f, Map<String, Field> fields, Resolve resolve, Map<String, Integer> seen)
            throws Exception {
        List<Conflict> open = f.state.openConflicts(SYNC, null);
        if (open.isEmpty()) return;
        Conflict conflict = open.get(resolve.pick() % open.size());
        Field field = fields.get(conflict.key());
        if (resolve.destinationDown()) {
            for (int i = 0; i < 5; i++) {
                f.destination.faults.add(new DestinationException.TransientException("503", null, false));
            }
        }
        int appliedBefore = f.destination.applied.size();
        try {
            f.engine().resolve(SYNC, conflict.key(), "score", resolve.takeWarehouse() ? dev.ebb.core.state.Resolution.WAREHOUSE
                    : dev.ebb.core.state.Resolution.DESTINATION);
        } catch (SyncException e) {
            boolean delivered = f.state.snapshotEntry(SYNC, conflict.key()).isPresent();
            assertThat(resolve.takeWarehouse() && (resolve.destinationDown() || !delivered))
                    .as("resolve failed: %s", e).isTrue();
            assertThat(f.state.openConflicts(SYNC, conflict.key())).as("a failed resolve leaves it open")
                    .isNotEmpty();
            count(seen, "resolve refused");
            return;
        } finally {
            f.destination.faults.clear();
        }
        assertThat(f.state.openConflicts(SYNC, conflict.key())).isEmpty();
        String now = text(f.destination.records.get(conflict.key()).get("score"));
        if (resolve.takeWarehouse()) {
            count(seen, "resolved for the warehouse");
            assertThat(f.destination.applied.size()).isEqualTo(appliedBefore + 1);
            assertThat(now).as("the warehouse value, written by the resolve").isEqualTo(conflict.warehouseValue());
            field.base = conflict.warehouseValue();
            field.baseKnown = true;
            field.edited = false;
            field.kept = false;
            field.reverted = false;
        } else {
            count(seen, "resolved for the destination");
            assertThat(f.destination.applied.size()).as("keeping the person's value writes nothing")
                    .isEqualTo(appliedBefore);
            field.base = conflict.destinationValue();
            field.baseKnown = true;
            field.reverted = false;
            field.kept = true;
            field.keptValue = conflict.destinationValue();
            field.keptWarehouse = conflict.warehouseValue();
            // If the person changed the field again after the conflict was found (even back to Ebb's old value),
            // the value chosen is not the one in the record, so what is there now is still theirs.
            field.edited = !Objects.equals(now, conflict.destinationValue());
            field.edit = now;
        }
    }

    private static void run(EngineFixture f, Map<String, Field> fields, Set<String> planEdited, Run run,
                            Map<String, Integer> seen) throws Exception {
        MemoryDestination d = f.destination;
        for (int i = 0; i < run.transientFaults(); i++) {
            d.faults.add(new DestinationException.TransientException("503 Service Unavailable", null, false));
        }
        Map<String, Object[]> model = new HashMap<>();
        for (Object[] row : f.source.rows) model.put((String) row[0], row);
        int appliedBefore = d.applied.size();
        RunReport report;
        try {
            report = f.engine().run(SYNC, Progress.NONE);
        } finally {
            d.faults.clear();
        }
        long runId = report.record().runId();
        if (report.record().conflicts() > 0) count(seen, "run with conflicts");
        Map<String, String> written = new HashMap<>();
        for (MemoryDestination.Applied a : d.applied.subList(appliedBefore, d.applied.size())) {
            if (a.fields().containsKey("score")) written.put(a.key(), text(a.fields().get("score")));
        }

        for (int i = 0; i < KEYS; i++) {
            String key = key(i);
            Field field = fields.get(key);
            Object[] row = model.get(key);
            Map<String, Object> record = d.records.get(key);
            String value = record == null ? null : text(record.get("score"));
            String ours = row == null ? null : text(row[1]);
            LoggedOutcome last = f.state.outcomes(SYNC, key, 1).stream().findFirst().orElse(null);
            boolean settled = last != null && last.runId() == runId
                    && (last.outcome().equals("delivered") || last.outcome().equals("skipped"));

            // Safety, after every run, faults or not.
            if (field.edited) {
                assertThat(value).as("%s: the person's score, never overwritten without a resolve (step %s)", key,
                        run).isEqualTo(field.edit);
                assertThat(written).as("%s: a write of the score the person owns", key)
                        .doesNotContainKey(key);
            }
            if (!field.edited && field.kept && Objects.equals(ours, field.keptWarehouse)) {
                assertThat(value).as("%s: the score kept by 'take destination' while the warehouse has not moved",
                        key).isEqualTo(field.keptValue);
            }

            // What Ebb now counts as its own, as far as the test can tell from the outside.
            // A row that leaves the model keeps what Ebb knows of its fields, for when it comes back.
            if (settled && last.change().equals("removed")) {
                count(seen, "row left the model");
            } else if (settled && written.containsKey(key)) {
                field.base = written.get(key);
                field.baseKnown = true;
                field.kept = false;
            } else if (settled && Objects.equals(value, ours)) {
                if (field.edited) count(seen, "person and warehouse agreed");
                field.base = ours; // both sides say the same: nothing to write, and the value is Ebb's again
                field.baseKnown = true;
                field.edited = false;
                field.kept = false;
            }
            if (settled) field.reverted = false;
            if (settled && row != null) planEdited.remove(key); // overwrite: Ebb wrote plan again

            // Convergence, after a run without faults.
            if (run.transientFaults() == 0 && row != null) {
                assertThat(report.record().failed()).as("failed rows in a run without faults").isZero();
                assertThat(record).as("%s: a record for every row", key).isNotNull();
                if (!planEdited.contains(key)) {
                    assertThat(record.get("plan")).as("%s: plan (overwrite)", key).isEqualTo(row[2]);
                }
                if (field.edited) {
                    count(seen, "edit kept");
                } else if (field.kept && Objects.equals(ours, field.keptWarehouse)) {
                    count(seen, "person's value kept after take destination");
                } else if (field.reverted) {
                    count(seen, "edit undone, waiting for the row to change");
                } else {
                    assertThat(value).as("%s: a score nobody edited is the warehouse's (step %s)", key, run)
                            .isEqualTo(ours);
                }
            }
        }
    }

    private static void count(Map<String, Integer> seen, String what) {
        seen.merge(what, 1, Integer::sum);
    }

    static String key(int index) {
        return "k" + index + "@x.io";
    }

    /** A score as the engine compares it: canonical decimal text, or null. */
    static String text(Object value) {
        if (value == null) return null;
        return Values.text(value instanceof BigDecimal d ? d : new BigDecimal(value.toString()));
    }

    // ---- generators ---------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, KEYS - 1);
        // Small domains, overlapping between the warehouse and the person, so that edits, agreements and reverts
        // to Ebb's own value all happen.
        Arbitrary<String> warehouseScore = Arbitraries.of("1", "2", "3").injectNull(0.15);
        Arbitrary<String> personScore = Arbitraries.of("1", "2", "7", "9").injectNull(0.15);
        Arbitrary<String> plan = Arbitraries.of("free", "pro").injectNull(0.1);
        Arbitrary<Step> warehouse = Combinators.combine(key, warehouseScore, plan).as(Warehouse::new);
        Arbitrary<Step> leave = key.map(Leave::new);
        Arbitrary<Step> personScoreEdit = Combinators.combine(key, personScore)
                .as((k, v) -> new Person(k, true, v));
        Arbitrary<Step> personPlanEdit = key.map(k -> new Person(k, false, "gold"));
        Arbitrary<Step> run = Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(2, 2), Tuple.of(2, 6))
                .map(Run::new);
        Arbitrary<Step> resolve = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.of(true, false), Arbitraries.frequency(Tuple.of(1, true), Tuple.of(5, false)))
                .as(Resolve::new);
        Arbitrary<Step> step = Arbitraries.frequencyOf(Tuple.of(5, warehouse), Tuple.of(1, leave),
                Tuple.of(4, personScoreEdit), Tuple.of(1, personPlanEdit), Tuple.of(5, run), Tuple.of(4, resolve));
        // Every history starts with a model and a run, so there are records for people to edit.
        Arbitrary<List<Step>> start = Combinators.combine(warehouseScore.list().ofSize(KEYS), plan.list().ofSize(KEYS))
                .as((scores, plans) -> {
                    List<Step> steps = new ArrayList<>();
                    for (int i = 0; i < KEYS; i++) steps.add(new Warehouse(i, scores.get(i), plans.get(i)));
                    steps.add(new Run(0));
                    return steps;
                });
        return Combinators.combine(start, step.list().ofMinSize(5).ofMaxSize(25))
                .as((first, rest) -> {
                    List<Step> all = new ArrayList<>(first);
                    all.addAll(rest);
                    return all;
                });
    }
}
