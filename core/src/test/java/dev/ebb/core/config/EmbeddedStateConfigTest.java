package dev.ebb.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code state: { store: embedded, memory_limit, temp_directory }}: the bounds of the store's own DuckDB. */
class EmbeddedStateConfigTest {
    @TempDir
    Path root;

    private TestingProject project(String state) {
        return TestingProject.valid(root).file("ebb.yaml", TestingProject.EBB_YAML + state);
    }

    @Test
    void theStoresDuckDbBoundsAreRead() throws ConfigException {
        StateConfig state = project("""
                state: { store: embedded, memory_limit: 2GB, temp_directory: scratch/spill }
                """).load().project().state();

        assertThat(state).isEqualTo(StateConfig.embedded(Path.of(".ebb", "state.duckdb"), "2GB",
                Path.of("scratch/spill")));
    }

    @Test
    void withoutThemTheStoreKeepsItsDefaults() throws ConfigException {
        assertThat(project("state: { store: embedded }\n").load().project().state())
                .isEqualTo(StateConfig.embeddedDefault());
        assertThat(StateConfig.embeddedDefault().memoryLimit()).isNull();
        assertThat(StateConfig.embeddedDefault().tempDirectory()).isNull();
    }

    @Test
    void everyFormDuckDbTakesAboveAFewKilobytesIsAccepted() {
        for (String accepted : List.of("2GB", "512MB", "1.5GB", "2 GB", "4gb", "512MiB", "2GiB", "1TB")) {
            assertThat(StateConfig.memoryProblem(accepted)).as(accepted).isEmpty();
        }
        for (String refused : List.of("lots", "2", "0GB", "80%", "GB", "2GBs", "100KB", "-1GB", "")) {
            assertThat(StateConfig.memoryProblem(refused)).as(refused).isPresent();
        }
    }

    @Test
    void aMemoryLimitDuckDbDoesNotTakeIsNamedWithTheFormToWrite() {
        ConfigProblem problem = project("state: { store: embedded, memory_limit: lots }\n").problem();

        assertThat(problem.message()).isEqualTo("state.memory_limit: 'lots' is not an amount of memory DuckDB"
                + " takes: write a number and a unit, e.g. 2GB or 512MB (units MB, GB, TB, or MiB, GiB, TiB)");
        assertThat(problem.location().line()).isEqualTo(6);
    }

    @Test
    void anEmptyTempDirectoryIsRefused() {
        assertThat(project("state: { store: embedded, temp_directory: \"\" }\n").problem().message())
                .isEqualTo("'temp_directory' must not be empty");
    }

    @Test
    void thePostgresStoreRefusesTheEmbeddedStoresBounds() {
        List<ConfigProblem> problems = project("""
                state: { store: postgres, url: "jdbc:postgresql://db/ebb", user: ebb, memory_limit: 2GB,
                         temp_directory: spill }
                """).problems();

        assertThat(problems).extracting(ConfigProblem::message).containsExactlyInAnyOrder(
                "'memory_limit' is a setting of the embedded state store's DuckDB; a postgres store's memory is"
                        + " the database server's: remove 'memory_limit'",
                "'temp_directory' is a setting of the embedded state store's DuckDB; a postgres store's memory is"
                        + " the database server's: remove 'temp_directory'");
    }
}
