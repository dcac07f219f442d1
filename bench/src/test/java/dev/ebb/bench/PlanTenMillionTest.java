package dev.ebb.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan-10m} at a size that takes seconds: every scenario sets up, seeds, plans and checks itself. */
class PlanTenMillionTest {
    @TempDir
    Path work;

    @Test
    @SuppressWarnings("unchecked")
    void everyScenarioSeedsEveryRowAndPlansExactlyTheChangedOnes() throws Exception {
        List<String> progress = new ArrayList<>();
        Benchmark.Result result = new PlanTenMillion().run(new String[]{"--sizes", "2000", "--scenarios", "a,b,c,d",
                "--work", work.toString()}, progress::add);

        assertThat(result.ok()).as(String.join("\n", progress)).isTrue();
        for (String scenario : List.of("a_duckdb_source_embedded_store", "b_warehouse_native_duckdb",
                "c_postgres_source_embedded_store", "d_warehouse_native_postgres")) {
            List<Map<String, Object>> sizes = (List<Map<String, Object>>) result.figures().get(scenario);
            assertThat(sizes).as(scenario).hasSize(1);
            Map<String, Object> figures = sizes.getFirst();
            assertThat(figures).as(scenario).containsEntry("rows", 2000L).containsEntry("seed_snapshot_rows", 2000L)
                    .containsEntry("seed_api_calls", 1L).containsEntry("seed_commits", 1L)
                    .containsKeys("ratio", "ebb_plan_ms", "baseline_ms", "heap_peak_mb_plan", "rss_peak_mb_plan",
                            "seed_ms", "warnings");
            assertThat((Map<String, Object>) figures.get("plan")).as(scenario).containsEntry("changed", 2L)
                    .containsEntry("unchanged", 1998L);
            assertThat((Map<String, Long>) figures.get("baseline_counts")).as(scenario).containsEntry("changed", 2L);
        }
        // The PostgreSQL server's own memory is read where /proc tells it.
        List<Map<String, Object>> postgres = (List<Map<String, Object>>) result.figures()
                .get("d_warehouse_native_postgres");
        if (Files.isReadable(Path.of("/proc/self/smaps_rollup"))) {
            assertThat((Long) postgres.getFirst().get("server_pss_peak_mb_plan")).isPositive();
        }
        assertThat((Map<String, Object>) result.figures().get("postgres")).containsEntry("shared_buffers", "1GB")
                .containsKey("server_version");
    }

    @Test
    void anUnknownScenarioIsRefusedWithTheOnesThereAre() {
        assertThatThrownBy(() -> new PlanTenMillion().run(new String[]{"--scenarios", "a,e"}, line -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--scenarios takes letters among a, b, c, d (e.g. a,c), not 'e'");
    }
}
