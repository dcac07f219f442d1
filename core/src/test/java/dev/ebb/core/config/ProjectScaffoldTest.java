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
                Path.of(".secrets/hubspot-token"), Path.of("data/customers.csv"),
                Path.of("models/customer_health.sql"), Path.of("models/customer_health.yaml"),
                Path.of("syncs/churn_to_hubspot.yaml"), Path.of("README.md"), Path.of(".gitignore"));

        LoadedProject loaded = ProjectLoader.loadWithWarnings(root, TestingConnectors.catalog());

        assertThat(loaded.warnings()).isEmpty();
        ProjectConfig project = loaded.project();
        assertThat(project.sources().get("lakehouse").settings()).doesNotContainKey("path");
        assertThat(project.destinations().get("hubspot").settings())
                .containsEntry("token", "${file:.secrets/hubspot-token}")
                .containsEntry("base_url", "http://127.0.0.1:8089");
        assertThat(Files.readString(root.resolve("data/customers.csv"))).startsWith("email,churn_risk_score");
        assertThat(Files.readString(root.resolve(".gitignore"))).contains(".secrets/");
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
