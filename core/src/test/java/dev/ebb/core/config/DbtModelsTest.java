package dev.ebb.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code model: { ref: NAME }} resolved from a dbt project's target/manifest.json, and what validate reports. */
class DbtModelsTest {
    /** The fixture manifests say they were generated at 2026-11-30T09:15:02Z; these files are older. */
    private static final Instant BEFORE_COMPILE = Instant.parse("2026-11-29T18:00:00Z");
    private static final Instant AFTER_COMPILE = Instant.parse("2026-12-01T08:00:00Z");
    private static final String EBB_YAML = """
            name: acme-activation
            dbt: { project_dir: ../analytics, target: prod }
            sources:
              lakehouse: { type: duckdb, path: data/lakehouse.duckdb }
            destinations:
              hubspot: { type: hubspot, token: "${env:HUBSPOT_TOKEN}" }
            """;

    @TempDir
    Path workspace;
    private Path root;
    private Path dbtProject;

    @BeforeEach
    void dbtProjectWithCompiledManifest() throws IOException {
        root = Files.createDirectories(workspace.resolve("activation"));
        dbtProject = Files.createDirectories(workspace.resolve("analytics"));
        manifest("manifest-duckdb.json");
        for (String file : List.of("models/marts/customer_health.sql", "models/marts/account_scores.sql",
                "models/marts/contacts.sql", "models/marts/schema.yml")) {
            dbtFile(file, BEFORE_COMPILE);
        }
    }

    @Test
    void aRefIsTheModelsRelationWithTheKeyOfItsUniqueTest() throws ConfigException {
        LoadedProject loaded = project(sync("model: { ref: customer_health }")).load();

        ModelConfig model = loaded.project().models().get("customer_health");
        assertThat(model.sql()).isEqualTo("SELECT * FROM \"lakehouse\".\"main_marts\".\"customer_health\"");
        assertThat(model.source()).isEqualTo("lakehouse");
        assertThat(model.dbt().uniqueId()).isEqualTo("model.analytics.customer_health");
        assertThat(model.dbt().columns()).containsExactly("customer_email", "churn_risk_score", "plan");
        // The unique test on plan has a where filter: it proves nothing of the other rows.
        assertThat(model.dbt().uniqueKeys()).containsExactly(List.of("customer_email"));
        SyncConfig sync = loaded.project().syncs().get("churn_to_hubspot");
        assertThat(sync.key()).containsExactly("customer_email");
        assertThat(sync.keyLocation().file()).isEqualTo(Path.of("../analytics/target/manifest.json"));
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void theRelationIsAsDbtNamesItAndBuiltFromItsPartsWhenTheManifestHasNoName() throws Exception {
        Path manifest = dbtProject.resolve("target/manifest.json");
        String original = Files.readString(manifest);
        Files.writeString(manifest, original.replace("\"relation_name\": \"\\\"lakehouse\\\".\\\"main_marts\\\"."
                + "\\\"customer_health\\\"\"", "\"relation_name\": \"LAKEHOUSE.MAIN_MARTS.CUSTOMER_HEALTH\""));
        assertThat(project(sync("model: { ref: customer_health }")).load().project().models()
                .get("customer_health").sql()).isEqualTo("SELECT * FROM LAKEHOUSE.MAIN_MARTS.CUSTOMER_HEALTH");

        Files.writeString(manifest, original.replace("\"relation_name\": \"\\\"lakehouse\\\".\\\"main_marts\\\"."
                + "\\\"customer_health\\\"\"", "\"relation_name\": null"));
        assertThat(project(sync("model: { ref: customer_health }")).load().project().models()
                .get("customer_health").sql())
                .isEqualTo("SELECT * FROM \"lakehouse\".\"main_marts\".\"customer_health\"");
    }

    @Test
    void aKeyTheSyncDeclaresWinsOverTheTests() throws ConfigException {
        SyncConfig sync = project(sync("model: { ref: customer_health }\nkey: plan")).load().project().syncs()
                .get("churn_to_hubspot");

        assertThat(sync.key()).containsExactly("plan");
    }

    @Test
    void aUniqueCombinationOfColumnsIsACompoundKeyAndTheAliasIsTheIdentifier() throws ConfigException {
        ProjectConfig project = project(sync("model: { ref: account_scores }")).load().project();

        assertThat(project.models().get("account_scores").sql())
                .isEqualTo("SELECT * FROM \"lakehouse\".\"main_marts\".\"acct_scores\"");
        assertThat(project.syncs().get("churn_to_hubspot").key()).containsExactly("region", "account_id");
    }

    @Test
    void aModelsYamlMayReadADbtModelUnderItsOwnName() throws ConfigException {
        ProjectConfig project = project(sync("model: scores"))
                .file("models/scores.yaml", "ref: account_scores\ndescription: scores per account\n")
                .load().project();

        assertThat(project.models().get("scores").sql()).endsWith("\"acct_scores\"");
        assertThat(project.syncs().get("churn_to_hubspot").key()).containsExactly("region", "account_id");
    }

    @Test
    void aRefOfTheRootProjectWinsOverAPackagesAndPackageChoosesTheOther() throws ConfigException {
        String key = "model: { ref: contacts }\nkey: id";
        assertThat(project(sync(key)).load().project().models().get("contacts").sql()).contains("\"main_marts\"");
        assertThat(project(sync("model: { ref: contacts, package: crm_package }\nkey: id")).load().project()
                .models().get("contacts").sql()).contains("\"main_crm\"");
    }

    @Test
    void severalUniqueTestsLeaveTheKeyToTheSync() {
        ConfigProblem problem = project(sync("model: { ref: contacts }")).problem();

        assertThat(problem.location().file()).isEqualTo(Path.of("syncs/churn_to_hubspot.yaml"));
        assertThat(problem.message()).contains("no key for dbt model 'contacts'", "[email]", "[id]", "add key:");
    }

    @Test
    void aMissingManifestSaysToCompile() throws IOException {
        Files.delete(dbtProject.resolve("target/manifest.json"));

        ConfigProblem problem = project(sync("model: { ref: customer_health }")).problem();

        assertThat(problem.location().file()).isEqualTo(Path.of("ebb.yaml"));
        assertThat(problem.message()).contains("no dbt manifest at ../analytics/target/manifest.json",
                "dbt compile --target prod (or dbt parse) in ../analytics");
    }

    @Test
    void aManifestThatIsNotJsonSaysToCompileAgain() throws IOException {
        Files.writeString(dbtProject.resolve("target/manifest.json"), "{ not json");

        assertThat(project(sync("model: { ref: customer_health }")).problem().message())
                .contains("is not a dbt manifest", "dbt compile");
    }

    @Test
    void aRefTheManifestLacksIsNamedWithTheNearestModel() {
        ConfigProblem problem = project(sync("model: { ref: customer_healt }")).problem();

        assertThat(problem.location()).isEqualTo(new Location(Path.of("syncs/churn_to_hubspot.yaml"), 1));
        assertThat(problem.message()).contains("ref 'customer_healt' is not a model of"
                + " ../analytics/target/manifest.json", "customer_health", "if it is new, run dbt compile");
    }

    @Test
    void anEphemeralModelHasNoRelationToRead() {
        assertThat(project(sync("model: { ref: stg_customers }\nkey: id")).problem().message())
                .contains("ephemeral", "materialized='view'");
    }

    @Test
    void aModelFileChangedAfterCompilingMakesTheManifestStale() throws ConfigException, IOException {
        dbtFile("models/marts/schema.yml", AFTER_COMPILE);

        List<ConfigProblem> warnings = project(sync("model: { ref: customer_health }")).load().warnings();

        assertThat(warnings).singleElement().satisfies(warning -> {
            assertThat(warning.location().file()).isEqualTo(Path.of("syncs/churn_to_hubspot.yaml"));
            assertThat(warning.message()).contains("../analytics/target/manifest.json is older than"
                    + " ../analytics/models/marts/schema.yml", "run dbt compile --target prod");
        });
    }

    @Test
    void aModelFileThatIsGoneMakesTheManifestStale() throws ConfigException, IOException {
        Files.delete(dbtProject.resolve("models/marts/customer_health.sql"));

        assertThat(project(sync("model: { ref: customer_health }")).load().warnings()).singleElement()
                .satisfies(w -> assertThat(w.message()).contains("no longer exists", "stale", "dbt compile"));
    }

    @Test
    void aManifestOfAnotherAdapterIsRefused() {
        ConfigProblem problem = project(sync("model: { ref: customer_health }")).file("ebb.yaml", EBB_YAML
                .replace("lakehouse: { type: duckdb, path: data/lakehouse.duckdb }",
                        "lakehouse: { type: postgres, host: db.internal, password: \"${env:PG}\" }")).problem();

        assertThat(problem.message()).contains("compiled for dbt's duckdb adapter", "source 'lakehouse' (type"
                + " postgres)", "compile it for a postgres target");
    }

    @Test
    void aManifestOfAnotherTargetsDatabaseIsRefused() {
        ConfigProblem problem = project(sync("model: { ref: customer_health }")).file("ebb.yaml", EBB_YAML
                .replace("data/lakehouse.duckdb", "data/dev.duckdb")).problem();

        assertThat(problem.message()).contains("builds 'customer_health' in database 'lakehouse'", "reads"
                + " database 'dev'", "another target", "dbt compile --target prod");
    }

    @Test
    void aPostgresSourceGetsThePostgresManifestsRelation() throws ConfigException, IOException {
        manifest("manifest-postgres.json");
        ProjectConfig project = project(sync("model: { ref: customer_health }")).file("ebb.yaml", EBB_YAML
                .replace("lakehouse: { type: duckdb, path: data/lakehouse.duckdb }",
                        "lakehouse: { type: postgres, host: db.internal, password: \"${env:PG}\" }")).load().project();

        assertThat(project.models().get("customer_health").sql())
                .isEqualTo("SELECT * FROM \"analytics\".\"main_marts\".\"customer_health\"");
    }

    @Test
    void aRefWithoutDbtInEbbYamlSaysWhatToAdd() {
        ConfigProblem problem = project(sync("model: { ref: customer_health }"))
                .file("ebb.yaml", EBB_YAML.replace("dbt: { project_dir: ../analytics, target: prod }\n", ""))
                .problem();

        assertThat(problem.message()).contains("add dbt: { project_dir: ../analytics }");
    }

    @Test
    void aProjectDirThatIsNoFolderIsReported() {
        ConfigProblem problem = project(sync("model: { ref: customer_health }"))
                .file("ebb.yaml", EBB_YAML.replace("../analytics", "../analytcs")).problem();

        assertThat(problem.message()).contains("dbt project_dir '../analytcs' is not a folder");
    }

    private TestingProject project(String syncYaml) {
        return new TestingProject(root).file("ebb.yaml", EBB_YAML).file("syncs/churn_to_hubspot.yaml", syncYaml);
    }

    private static String sync(String model) {
        return model + """

                destination: hubspot
                object: contacts
                match: { column: customer_email, field: email }
                fields:
                  - { column: churn_risk_score, field: churn_risk_score }
                """;
    }

    private void manifest(String fixture) throws IOException {
        Path target = Files.createDirectories(dbtProject.resolve("target"));
        try (InputStream in = DbtModelsTest.class.getResourceAsStream("/dbt/" + fixture)) {
            Files.copy(in, target.resolve("manifest.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void dbtFile(String relative, Instant modified) throws IOException {
        Path file = dbtProject.resolve(relative);
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) Files.writeString(file, "-- " + relative + "\n");
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }
}
