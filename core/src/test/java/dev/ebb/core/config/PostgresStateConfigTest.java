package dev.ebb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code state: { store: postgres, … }}: read whole, checked early, its password never shown. */
class PostgresStateConfigTest {
    private static final Path EBB = Path.of("ebb.yaml");

    @TempDir
    Path root;

    private TestingProject project(String state) {
        return TestingProject.valid(root).file("ebb.yaml", TestingProject.EBB_YAML + state);
    }

    @Test
    void aPostgresStoreLoadsWithItsSecretReferenceUnresolvedAndTheDefaultSchema() throws ConfigException {
        LoadedProject loaded = project("""
                state:
                  store: postgres
                  url: jdbc:postgresql://db.internal:5432/ebb
                  user: ebb
                  password: "${env:EBB_STATE_PASSWORD}"
                """).load();

        StateConfig state = loaded.project().state();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(state.store()).isEqualTo(StateConfig.Store.POSTGRES);
        assertThat(state.path()).isNull();
        assertThat(state.postgres().url()).isEqualTo("jdbc:postgresql://db.internal:5432/ebb");
        assertThat(state.postgres().password()).isEqualTo("${env:EBB_STATE_PASSWORD}");
        assertThat(state.postgres().schema()).isEqualTo("ebb");
        assertThat(state.postgres().server()).isEqualTo("db.internal:5432/ebb");
    }

    @Test
    void resolvingGivesThePasswordToTheStoreButNeverToItsPrintedForm() throws ConfigException {
        PostgresState written = new PostgresState("jdbc:postgresql://db/ebb", "${env:PGUSER}", "${env:PGPASS}",
                "ebb", new Location(EBB, 6));
        PostgresState resolved = written.resolve(root, Map.of("PGUSER", "ebb", "PGPASS", "s3cret-value"));

        assertThat(resolved.user()).isEqualTo("ebb");
        assertThat(resolved.password()).isEqualTo("s3cret-value");
        assertThat(resolved.toString()).doesNotContain("s3cret-value").contains("password=******");
        assertThat(written.toString()).contains("password=${env:PGPASS}");
        assertThat(StateConfig.postgres(resolved).toString()).doesNotContain("s3cret-value");
    }

    @Test
    void anUnsetVariableIsNamedWithTheKeyThatNeedsIt() {
        PostgresState written = new PostgresState("jdbc:postgresql://db/ebb", "ebb", "${env:PGPASS}", "ebb",
                new Location(EBB, 6));

        assertThatThrownBy(() -> written.resolve(root, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("state.password: environment variable PGPASS is not set");
    }

    @Test
    void aUrlBehindAReferenceIsCheckedWhenResolved() {
        PostgresState written = new PostgresState("${env:STATE_URL}", "ebb", null, "ebb", new Location(EBB, 6));

        assertThatThrownBy(() -> written.resolve(root, Map.of("STATE_URL", "postgres://db/ebb")))
                .hasMessageContaining("state.url must be a PostgreSQL JDBC URL: jdbc:postgresql://");
    }

    @Test
    void aPasswordWrittenOutIsAcceptedWithAWarningThatNeverRepeatsIt() throws ConfigException {
        LoadedProject loaded = project("""
                state: { store: postgres, url: "jdbc:postgresql://db/ebb", user: ebb, password: hunter2 }
                """).load();

        assertThat(loaded.warnings()).singleElement().satisfies(w -> {
            assertThat(w.message()).startsWith("state.password is written in plain text")
                    .doesNotContain("hunter2");
            assertThat(w.location()).isEqualTo(new Location(EBB, 6));
        });
    }

    @Test
    void everyMistakeIsReportedAtOnceWithWhatToWrite() {
        List<ConfigProblem> problems = project("""
                state:
                  store: postgres
                  path: .ebb/state.duckdb
                  url: "postgres://db.internal/ebb"
                  schema: Ebb-State
                """).problems();

        assertThat(problems).extracting(ConfigProblem::message).containsExactlyInAnyOrder(
                "'path' is a setting of the embedded state store; a postgres store lives in the database that"
                        + " 'url' names: remove 'path'",
                "state.url must be a PostgreSQL JDBC URL: jdbc:postgresql://host[:port]/database"
                        + " (e.g. jdbc:postgresql://db.internal:5432/ebb)",
                "missing required key 'user' in state: (store: postgres); add e.g. state: { store: postgres, url:"
                        + " \"jdbc:postgresql://db.internal:5432/ebb\", user: ebb, password:"
                        + " \"${env:EBB_STATE_PASSWORD}\" }",
                "'schema' cannot be 'Ebb-State': use lower-case letters, digits and underscores, starting with a"
                        + " letter or underscore (at most 63), e.g. schema: ebb");
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutEchoingThem() {
        for (String url : List.of("jdbc:postgresql://db/ebb?user=ebb&password=hunter2",
                "jdbc:postgresql://ebb:hunter2@db/ebb")) {
            ConfigProblem problem = project("state: { store: postgres, url: \"" + url + "\", user: ebb }\n")
                    .problem();
            assertThat(problem.message()).startsWith("state.url must not hold credentials")
                    .doesNotContain("hunter2");
        }
        assertThat(project("state: { store: postgres, url: \"jdbc:postgresql://db.internal:5432\", user: ebb }\n")
                .problem().message()).isEqualTo("state.url names no database: write"
                + " jdbc:postgresql://host[:port]/database");
    }

    @Test
    void postgresKeysBesideTheEmbeddedStoreSayWhichStoreTheyBelongTo() {
        ConfigProblem problem = project("state: { store: embedded, url: \"jdbc:postgresql://db/ebb\" }\n")
                .problem();

        assertThat(problem.message()).isEqualTo("'url' is a setting of the postgres state store; remove it, or"
                + " write store: postgres");
    }

    @Test
    void theStatePasswordIsTakenOutOfEverythingPrinted() throws ConfigException {
        ProjectConfig loaded = project("""
                state: { store: postgres, url: "jdbc:postgresql://db/ebb", user: ebb, password: "${env:PGPASS}" }
                """).load().project();

        Redaction redaction = Redaction.of(loaded, TestingConnectors.catalog(), Map.of("PGPASS", "s3cret-value",
                "HUBSPOT_TOKEN", "token-value"));

        assertThat(redaction.apply("failed with s3cret-value at jdbc:postgresql://db/ebb"))
                .isEqualTo("failed with ${env:PGPASS} at jdbc:postgresql://db/ebb");
    }
}
