package dev.ebb.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebb.core.config.ProjectConfig;
import dev.ebb.core.config.StateConfig;
import dev.ebb.core.state.Access;
import dev.ebb.core.state.StateStore;
import dev.ebb.core.state.duckdb.DuckDbStateStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store {@code state:} names is opened as it says, the embedded store's DuckDB bounds included. */
class StateStoresTest {
    @TempDir
    Path root;

    @Test
    void theEmbeddedStoresDuckDbGetsStatesMemoryLimitAndSpillFolderInTheProject() throws Exception {
        ProjectConfig project = new ProjectConfig(root, "bounded", StateConfig.embedded(Path.of(".ebb/state.duckdb"),
                "512MB", Path.of("scratch/spill")), Map.of(), Map.of(), Map.of(), Map.of());

        try (StateStore store = StateStores.open(project, Access.READ_WRITE, Map.of());
             Connection c = ((DuckDbStateStore) store).connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('memory_limit'),"
                     + " current_setting('temp_directory')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("488.2 MiB");
            assertThat(rs.getString(2)).isEqualTo(root.resolve("scratch/spill").toString());
        }
    }
}
