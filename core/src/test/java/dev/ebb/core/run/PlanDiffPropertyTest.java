package dev.ebb.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.plan.PlanReport;
import dev.ebb.core.run.ModelArbitraries.Row;
import dev.ebb.core.state.PlanCounts;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The diff (DESIGN §3): for any snapshot and any model, the plan puts every key in exactly the right set. The
 * expected sets are worked out by {@link ModelOracle} from the values, not from fingerprints.
 */
class PlanDiffPropertyTest {

    @Property(tries = 50)
    void thePlanSortsEveryKeyIntoExactlyTheRightSet(@ForAll("models") List<Row> before,
                                                    @ForAll("keySets") Set<Integer> rejectedBefore,
                                                    @ForAll("models") List<Row> now) throws Exception {
        Path dir = Files.createTempDirectory("ebb-diff");
        try (EngineFixture f = new EngineFixture(dir)) {
            // The snapshot: a run of the earlier model, in which the destination refused some records.
            before.forEach(r -> f.source.rows.add(r.values()));
            Set<String> refused = new HashSet<>();
            rejectedBefore.forEach(k -> refused.add(ModelArbitraries.key(k)));
            f.destination.rejects = r -> refused.contains(r.key());
            f.engine().run("people", Progress.NONE);
            Map<String, Map<String, Object>> snapshot = ModelOracle.projection(f.source.rows);
            snapshot.keySet().removeAll(refused);
            assertThat(snapshotKeys(f)).as("the snapshot holds exactly the acknowledged rows")
                    .isEqualTo(snapshot.keySet());

            f.source.rows.clear();
            now.forEach(r -> f.source.rows.add(r.values()));
            int writes = f.destination.writes.size();
            PlanReport plan = f.engine().plan("people", 1000, Progress.NONE);

            List<Object[]> model = f.source.rows;
            Map<String, Map<String, Object>> current = ModelOracle.projection(model);
            Set<String> added = new TreeSet<>();
            Set<String> changed = new TreeSet<>();
            Set<String> unchanged = new TreeSet<>();
            current.forEach((key, record) -> {
                Map<String, Object> last = snapshot.get(key);
                if (last == null) added.add(key);
                else if (ModelOracle.sameValues(last, record)) unchanged.add(key);
                else changed.add(key);
            });
            Set<String> removed = new TreeSet<>(snapshot.keySet());
            removed.removeAll(ModelOracle.keys(model));

            assertThat(sampled(plan, "added")).as("added").isEqualTo(added);
            assertThat(sampled(plan, "changed")).as("changed").isEqualTo(changed);
            assertThat(sampled(plan, "removed")).as("removed").isEqualTo(removed);
            PlanCounts counts = plan.counts();
            assertThat(counts.unchanged()).as("unchanged").isEqualTo(unchanged.size());
            assertThat(counts.added()).isEqualTo(added.size());
            assertThat(counts.changed()).isEqualTo(changed.size());
            assertThat(counts.removed()).isEqualTo(removed.size());
            assertThat(counts.rows()).isEqualTo(model.size());
            assertThat(counts.invalid()).as("invalid rows").isEqualTo(ModelOracle.invalidRows(model));
            Set<String> invalidKeys = new TreeSet<>();
            plan.invalid().stream().map(PlanReport.Invalid::key).filter(k -> k != null).forEach(invalidKeys::add);
            assertThat(invalidKeys).as("invalid keys").isEqualTo(ModelOracle.invalidKeys(model));

            // Every planned upsert carries the row's values, and a dry run writes nothing.
            for (PlanReport.Sample s : plan.samples()) {
                if (s.change().equals("removed")) continue;
                Map<String, Object> sent = new java.util.LinkedHashMap<>();
                sent.put("email", s.key());
                s.fields().forEach((k, v) -> {
                    if (v != null) sent.put(k, v);
                });
                assertThat(ModelOracle.canonical(sent)).isEqualTo(ModelOracle.canonical(current.get(s.key())));
            }
            assertThat(f.destination.writes).hasSize(writes);
        } finally {
            delete(dir);
        }
    }

    @Provide
    Arbitrary<List<Row>> models() {
        return ModelArbitraries.rows().list().ofMaxSize(10);
    }

    @Provide
    Arbitrary<Set<Integer>> keySets() {
        return ModelArbitraries.keyIndex().set().ofMaxSize(3);
    }

    private static Set<String> sampled(PlanReport plan, String change) {
        Set<String> keys = new TreeSet<>();
        for (PlanReport.Sample s : plan.samples()) if (s.change().equals(change)) keys.add(s.key());
        return keys;
    }

    static Set<String> snapshotKeys(EngineFixture f) throws Exception {
        Set<String> keys = new TreeSet<>();
        try (Connection c = f.state.connect();
             PreparedStatement ps = c.prepareStatement("SELECT key FROM (" + DuckDbStateStore.currentSnapshotQuery() + ")")) {
            ps.setString(1, "people");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    static void delete(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) Files.deleteIfExists(p);
        }
    }
}
