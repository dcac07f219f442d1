package dev.ebb.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.delivery.RetryPolicy;
import dev.ebb.core.plan.Fingerprint;
import dev.ebb.core.plan.SyncException;
import dev.ebb.core.run.MemoryDestination.Applied;
import dev.ebb.core.run.ModelArbitraries.Row;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import dev.ebb.spi.DestinationException;
import dev.ebb.spi.Mode;
import dev.ebb.spi.Operation;
import dev.ebb.spi.OutboundRecord;
import dev.ebb.spi.WriteBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Convergence and no lost update (DESIGN §3, invariants 1 and 2), under any sequence of model changes (null and
 * duplicate keys, unfit values included), refusals, transient failures, throttles, lost answers and crashes.
 *
 * <p>After every run, crashed or not, the snapshot may only hold what the destination applied. After a final run
 * without faults, the destination holds the model's mapped projection, each valid row's last applied write carried
 * its current values, invalid rows were neither sent nor removed, and one more run sends nothing.
 */
class ConvergencePropertyTest {

    /** One thing that happens between or during runs. */
    sealed interface Step {
    }

    /** The model's rows with this key become one row with these values. */
    record Put(int key, String score, String plan) implements Step {
    }

    /** One more row, whatever else holds its key: a duplicate, or a null key. */
    record Append(Row row) implements Step {
    }

    /** Every row with this key leaves the model. */
    record Delete(Integer key) implements Step {
    }

    /** This key's rows go back to what they were before the last step that touched them: a reverted change. */
    record Undo(int key) implements Step {
    }

    /** A run, with faults scripted into the destination for it. */
    record Run(List<Fault> faults, Set<Integer> refused, Crash crash, boolean describeFails) implements Step {
    }

    /** The process dies during write call {@code write} of the run (1 = its first), before or after the vendor applied it. */
    record Crash(int write, boolean afterApplying) {
    }

    enum Fault {
        TRANSIENT, UNREACHABLE, THROTTLED, THROTTLED_WITHOUT_HINT, PERMANENT, DAILY_LIMIT, ANSWER_LOST,
        /** Applied, but every answer lost until the runner gives up: the rows end failed, yet they landed. */
        ANSWER_LOST_EVERY_TIME;

        void inject(MemoryDestination d) {
            switch (this) {
                case TRANSIENT -> d.faults.add(new DestinationException.TransientException("503", null, false));
                case UNREACHABLE -> d.faults.add(new DestinationException.TransientException("refused", null, true));
                case THROTTLED -> d.faults.add(
                        new DestinationException.ThrottledException("429", Duration.ofSeconds(10), false));
                case THROTTLED_WITHOUT_HINT -> d.faults.add(
                        new DestinationException.ThrottledException("429", null, false));
                case PERMANENT -> d.faults.add(new DestinationException.PermanentException("400 malformed", null));
                case DAILY_LIMIT -> d.faults.add(
                        new DestinationException.ThrottledException("daily limit", null, true));
                case ANSWER_LOST -> d.faultsAfterApply.add(
                        new DestinationException.TransientException("read timed out", null, false));
                case ANSWER_LOST_EVERY_TIME -> {
                    for (int i = 0; i < RetryPolicy.DEFAULT.maxAttempts(); i++) ANSWER_LOST.inject(d);
                }
            }
        }
    }

    @Property(tries = 40)
    void upsertConverges(@ForAll("histories") List<Step> history, @ForAll @IntRange(min = 1, max = 4) int batchSize)
            throws Exception {
        check(Mode.UPSERT, history, batchSize);
    }

    @Property(tries = 40)
    void mirrorConverges(@ForAll("histories") List<Step> history, @ForAll @IntRange(min = 1, max = 4) int batchSize)
            throws Exception {
        check(Mode.MIRROR, history, batchSize);
    }

    private static void check(Mode mode, List<Step> history, int batchSize) throws Exception {
        List<String> crashes = new ArrayList<>();
        Path dir = Files.createTempDirectory("ebb-convergence");
        try (EngineFixture f = new EngineFixture(dir)) {
            f.mode = mode;
            // The guard would hold plans that remove much; convergence is about delivery, so it stays out of the way.
            f.guard = EngineFixture.noGuard();
            f.destination.batchSize = batchSize;
            Set<String> everHeld = new HashSet<>();
            Map<String, Deque<List<Object[]>>> undo = new HashMap<>();
            for (Step step : history) {
                switch (step) {
                    case Put put -> {
                        String key = ModelArbitraries.key(put.key());
                        undo.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(rowsOf(f, key));
                        replaceRows(f, key, List.<Object[]>of(new Row(put.key(), put.score(), put.plan()).values()));
                    }
                    case Append append -> {
                        String key = ModelArbitraries.key(append.row().key());
                        undo.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(rowsOf(f, key));
                        f.source.rows.add(append.row().values());
                    }
                    case Delete delete -> {
                        String key = ModelArbitraries.key(delete.key());
                        undo.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(rowsOf(f, key));
                        replaceRows(f, key, List.of());
                    }
                    case Undo u -> {
                        String key = ModelArbitraries.key(u.key());
                        List<Object[]> before = undo.getOrDefault(key, new ArrayDeque<>()).pollLast();
                        if (before != null) replaceRows(f, key, before);
                    }
                    case Run run -> {
                        run(f, run, crashes);
                        assertSnapshotHoldsOnlyWhatWasApplied(f);
                    }
                }
                everHeld.addAll(ModelOracle.keys(f.source.rows));
            }
            finalRun(f, mode, everHeld);
        } finally {
            // The generator must keep producing crashes on both sides of the vendor's work, or this test proves less.
            Statistics.label("crash").collect(crashes.isEmpty() ? "none" : crashes.getFirst());
            Statistics.label("crash").coverage(c -> {
                c.check("after applying").count(n -> n >= 2);
                c.check("before applying").count(n -> n >= 2);
            });
            PlanDiffPropertyTest.delete(dir);
        }
    }

    private static List<Object[]> rowsOf(EngineFixture f, String key) {
        return f.source.rows.stream().filter(r -> Objects.equals(r[0], key)).toList();
    }

    private static void replaceRows(EngineFixture f, String key, List<Object[]> rows) {
        f.source.rows.removeIf(r -> Objects.equals(r[0], key));
        f.source.rows.addAll(rows);
    }

    private static void run(EngineFixture f, Run run, List<String> crashes) throws Exception {
        MemoryDestination d = f.destination;
        run.faults().forEach(fault -> fault.inject(d));
        Set<String> refused = new HashSet<>();
        run.refused().forEach(k -> refused.add(ModelArbitraries.key(k)));
        d.rejects = r -> refused.contains(r.key());
        RuntimeException death = new IllegalStateException("the process was killed");
        if (run.crash() != null) d.crashOn(d.writeCalls + run.crash().write(), run.crash().afterApplying(), death);
        if (run.describeFails()) {
            for (int i = 0; i < 5; i++) {
                d.describeFaults.add(new DestinationException.TransientException("503", null, false));
            }
        }
        try {
            f.engine().run("people", Progress.NONE);
        } catch (SyncException e) {
            assertThat(run.describeFails()).as("only an undescribable destination stops a run: %s", e).isTrue();
        } catch (IllegalStateException e) {
            if (e != death) throw e;
            crashes.add(run.crash().afterApplying() ? "after applying" : "before applying");
            f.reopen(); // as a new process would, after the crash
        } finally {
            d.faults.clear();
            d.faultsAfterApply.clear();
            d.describeFaults.clear();
            d.rejects = r -> false;
            d.crashOn(0, false, null);
        }
    }

    private static void finalRun(EngineFixture f, Mode mode, Set<String> everHeld) throws Exception {
        List<Object[]> model = f.source.rows;
        Map<String, Map<String, Object>> expected = ModelOracle.projection(model);
        Set<String> invalidKeys = ModelOracle.invalidKeys(model);
        Map<String, Map<String, Object>> invalidBefore = new HashMap<>();
        for (String key : invalidKeys) invalidBefore.put(key, f.destination.records.get(key));
        int writesBefore = f.destination.writes.size();

        RunReport last = f.engine().run("people", Progress.NONE);

        assertThat(last.record().failed()).as("failed rows in a run without faults").isZero();
        assertThat(last.record().rejected()).isZero();
        assertThat(last.record().invalid()).isEqualTo(ModelOracle.invalidRows(model));
        assertThat(last.record().status().label()).isIn("succeeded", "completed_with_errors");

        // Convergence: every valid row is in the destination with its mapped values.
        Map<String, Map<String, Object>> actual = new HashMap<>();
        f.destination.records.forEach((k, v) -> actual.put(k, ModelOracle.canonical(v)));
        for (var e : expected.entrySet()) {
            assertThat(actual.get(e.getKey())).as("record %s", e.getKey()).isEqualTo(ModelOracle.canonical(e.getValue()));
        }
        Set<String> extra = new HashSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        if (mode == Mode.MIRROR) {
            assertThat(invalidKeys).as("mirror keeps only the model's records; invalid rows are not removed")
                    .containsAll(extra);
        } else {
            assertThat(everHeld).as("upsert never invents a record").containsAll(extra);
        }

        // Invalid rows were neither sent nor removed by the final run.
        for (WriteBatch batch : f.destination.writes.subList(writesBefore, f.destination.writes.size())) {
            for (OutboundRecord r : batch.records()) {
                assertThat(invalidKeys).as("an invalid row was sent").doesNotContain(r.key());
            }
        }
        for (String key : invalidKeys) {
            assertThat(f.destination.records.get(key)).as("record of invalid row %s", key)
                    .isEqualTo(invalidBefore.get(key));
        }

        // No record twice: one vendor id per record, never shared.
        assertThat(f.destination.ids.keySet()).isEqualTo(f.destination.records.keySet());
        assertThat(new HashSet<>(f.destination.ids.values())).hasSize(f.destination.ids.size());

        // No lost update: for each row, the last write the vendor applied carried its current values; in mirror
        // mode, a row that left the model was last deleted (or never delivered).
        Map<String, Applied> lastApplied = new HashMap<>();
        for (Applied a : f.destination.applied) lastApplied.put(a.key(), a);
        for (var e : expected.entrySet()) {
            Applied a = lastApplied.get(e.getKey());
            assertThat(a).as("a write of %s", e.getKey()).isNotNull();
            assertThat(a.operation()).isEqualTo(Operation.UPSERT);
            assertThat(ModelOracle.canonical(sent(a))).as("the last write of %s", e.getKey())
                    .isEqualTo(ModelOracle.canonical(e.getValue()));
        }
        if (mode == Mode.MIRROR) {
            for (String key : everHeld) {
                if (ModelOracle.keys(model).contains(key)) continue;
                Applied a = lastApplied.get(key);
                if (a != null) assertThat(a.operation()).as("the last write of removed %s", key).isEqualTo(Operation.DELETE);
            }
        }
        // The snapshot now says exactly what was delivered.
        Map<String, String> snapshot = snapshot(f);
        for (var e : expected.entrySet()) {
            assertThat(snapshot.get(e.getKey())).isEqualTo(fingerprint(sent(lastApplied.get(e.getKey()))));
        }

        // Minimal traffic: nothing changed, so the next run sends nothing.
        int writes = f.destination.writeCalls;
        RunReport idle = f.engine().run("people", Progress.NONE);
        assertThat(f.destination.writeCalls).as("writes of a run with nothing to do").isEqualTo(writes);
        assertThat(idle.record().apiCalls()).isEqualTo(1);
    }

    /** The record an applied write left, as {@link ModelOracle#record} would write it. */
    private static Map<String, Object> sent(Applied a) {
        Map<String, Object> record = new java.util.LinkedHashMap<>();
        record.put("email", a.matchValue());
        a.fields().forEach((k, v) -> {
            if (v != null) record.put(k, v);
        });
        return record;
    }

    /** The fingerprint the engine gives a record with these destination values. */
    private static String fingerprint(Map<String, Object> record) {
        return Fingerprint.of(List.of("score", "plan"), Arrays.asList(record.get("score"), record.get("plan")));
    }

    /**
     * No lost update, checked after every step: a snapshot entry claims a delivery, so its fingerprint must be one
     * the destination actually applied for that key (an entry with no fingerprint claims nothing).
     */
    private static void assertSnapshotHoldsOnlyWhatWasApplied(EngineFixture f) throws Exception {
        Map<String, Set<String>> appliedFingerprints = new HashMap<>();
        for (Applied a : f.destination.applied) {
            if (a.operation() == Operation.DELETE) continue;
            appliedFingerprints.computeIfAbsent(a.key(), k -> new HashSet<>()).add(fingerprint(sent(a)));
        }
        for (var e : snapshot(f).entrySet()) {
            if (e.getValue() == null) continue;
            assertThat(appliedFingerprints.getOrDefault(e.getKey(), Set.of()))
                    .as("the snapshot claims %s was delivered", e.getKey()).contains(e.getValue());
        }
    }

    private static Map<String, String> snapshot(EngineFixture f) throws Exception {
        Map<String, String> snapshot = new HashMap<>();
        try (Connection c = f.state.connect();
             PreparedStatement ps = c.prepareStatement("SELECT key, fp FROM (" + DuckDbStateStore.currentSnapshotQuery() + ")")) {
            ps.setString(1, "people");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) snapshot.put(rs.getString(1), rs.getString(2));
            }
        }
        return snapshot;
    }

    // ---- generators ---------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> put = Combinators.combine(ModelArbitraries.keyIndex(), ModelArbitraries.scores(),
                ModelArbitraries.plans()).as(Put::new);
        Arbitrary<Step> append = ModelArbitraries.rows().map(Append::new);
        Arbitrary<Step> delete = ModelArbitraries.keyIndex().injectNull(0.15).map(Delete::new);
        Arbitrary<Step> undo = ModelArbitraries.keyIndex().map(Undo::new);
        Arbitrary<Step> change = Arbitraries.frequencyOf(Tuple.of(5, put), Tuple.of(1, append), Tuple.of(2, delete),
                Tuple.of(3, undo));
        Arbitrary<Crash> crash = Combinators.combine(
                Arbitraries.frequency(Tuple.of(3, 1), Tuple.of(2, 2), Tuple.of(1, 3)), Arbitraries.of(true, false))
                .as(Crash::new);
        Arbitrary<Run> run = Combinators.combine(
                Arbitraries.of(Fault.class).list().ofMaxSize(5),
                ModelArbitraries.keyIndex().set().ofMaxSize(2),
                crash.injectNull(0.4),
                Arbitraries.frequency(Tuple.of(1, true), Tuple.of(15, false))).as(Run::new);
        // Rounds of a few model changes and then a run, so that every history has runs to fail in.
        Arbitrary<List<Step>> round = Combinators.combine(
                        change.list().ofMinSize(1).ofMaxSize(5).withSizeDistribution(RandomDistribution.uniform()), run)
                .as((changes, r) -> {
                    List<Step> steps = new ArrayList<>(changes);
                    steps.add(r);
                    return steps;
                });
        return round.list().ofMinSize(2).ofMaxSize(6).withSizeDistribution(RandomDistribution.uniform())
                .map(rounds -> rounds.stream().flatMap(List::stream).toList());
    }
}
