package dev.ebb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectScaffoldTest {
    @TempDir
    Path root;

    @Test
    void theScaffoldLoadsCleanly() throws Exception {
        assertThat(ProjectScaffold.write(root)).containsExactly(Path.of("ebb.yaml"),
                Path.of("models/customer_health.sql"), Path.of("models/customer_health.yaml"),
                Path.of("syncs/churn_to_hubspot.yaml"), Path.of(".gitignore"));

        LoadedProject loaded = ProjectLoader.loadWithWarnings(root, TestingConnectors.catalog());

        assertThat(loaded.warnings()).isEmpty();
        ProjectConfig project = loaded.project();
        assertThat(project.sources().get("lakehouse").settings()).containsEntry("path", "data/lakehouse.duckdb");
        assertThat(project.destinations().get("hubspot").settings()).containsEntry("token", "${env:HUBSPOT_TOKEN}");
        assertThat(project.sync("churn_to_hubspot").orElseThrow().key()).containsExactly("customer_email");
    }

    @Test
    void anExistingProjectIsNeverOverwritten() throws Exception {
        Files.writeString(root.resolve("ebb.yaml"), "name: mine\n");

        assertThatThrownBy(() -> ProjectScaffold.write(root))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("a project already exists here");
        assertThat(Files.readString(root.resolve("ebb.yaml"))).isEqualTo("name: mine\n");
        assertThat(root.resolve("models")).doesNotExist();
    }

    @Test
    void otherExistingFilesAreLeftAsTheyAre() throws Exception {
        Files.writeString(root.resolve(".gitignore"), "target/\n");

        assertThat(ProjectScaffold.write(root)).doesNotContain(Path.of(".gitignore"));
        assertThat(Files.readString(root.resolve(".gitignore"))).isEqualTo("target/\n");
    }
}
