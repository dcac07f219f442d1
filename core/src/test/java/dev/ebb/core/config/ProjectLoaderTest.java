package dev.ebb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.ebb.spi.Mode;
import dev.ebb.spi.RemovalBehaviour;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectLoaderTest {
    @TempDir
    Path root;

    private static final Path EBB = Path.of("ebb.yaml");
    private static final Path SYNC = Path.of("syncs/churn_to_hubspot.yaml");

    @Test
    void aValidProjectLoadsIntoRecords() throws ConfigException {
        new TestingProject(root)
                .file("ebb.yaml", """
                        name: acme-activation
                        state: { store: embedded, path: state/ebb.duckdb }
                        default_source: lakehouse
                        sources:
                          lakehouse: { type: duckdb, path: data/lakehouse.duckdb, threads: 4 }
                          crm_db:
                            type: postgres
                            host: db.internal
                            password: "${file:secrets/pg}"
                        destinations:
                          hubspot: { type: hubspot, token: "${env:HUBSPOT_TOKEN}" }
                        """)
                .file("models/customer_health.sql", "SELECT * FROM customers;\n\n")
                .file("models/customer_health.yaml", """
                        description: one row per customer
                        key: customer_email
                        """)
                .file("models/accounts.sql", "SELECT * FROM accounts")
                .file("models/accounts.yaml", "source: crm_db\nkey: [region, account_id]\n")
                .file("syncs/churn_to_hubspot.yaml", """
                        model: customer_health
                        destination: hubspot
                        object: contacts
                        mode: update
                        on_removed: clear_fields
                        match: { column: customer_email, field: email }
                        fields:
                          - { column: churn_risk_score, field: churn_risk_score }
                          - column: lifetime_value
                            field: ltv
                            policy: respect_manual_edits
                            nulls: skip
                          - { value: warehouse, field: lead_source, policy: if_empty }
                          - { value: 0.1, field: weight }
                          - { value: 42, field: answer }
                          - { value: true, field: synced }
                        schedule: { every: 1h30m }
                        """)
                .file("syncs/accounts_mirror.yaml", """
                        model: accounts
                        destination: hubspot
                        object: companies
                        mode: mirror
                        match: { column: account_id, field: account_id }
                        fields: [ { column: name, field: name } ]
                        schedule: { cron: "0 */2 * * 1-5" }
                        """);

        LoadedProject loaded = new TestingProject(root).load();
        ProjectConfig project = loaded.project();

        assertThat(loaded.warnings()).isEmpty();
        assertThat(project.root()).isEqualTo(root.toAbsolutePath().normalize());
        assertThat(project.name()).isEqualTo("acme-activation");
        assertThat(project.state()).isEqualTo(new StateConfig("embedded", Path.of("state/ebb.duckdb")));
        assertThat(project.sources()).containsOnlyKeys("lakehouse", "crm_db");
        assertThat(project.sources().keySet()).containsExactly("lakehouse", "crm_db");
        assertThat(project.sources().get("lakehouse")).isEqualTo(new ConnectionConfig("lakehouse", "duckdb",
                java.util.Map.of("path", "data/lakehouse.duckdb", "threads", "4"), new Location(EBB, 5)));
        assertThat(project.sources().get("crm_db").settings())
                .containsEntry("password", "${file:secrets/pg}")
                .containsEntry("host", "db.internal");
        assertThat(project.destinations().get("hubspot").settings())
                .containsExactlyEntriesOf(java.util.Map.of("token", "${env:HUBSPOT_TOKEN}"));

        assertThat(project.models().keySet()).containsExactly("accounts", "customer_health");
        assertThat(project.models().get("customer_health")).isEqualTo(new ModelConfig("customer_health",
                "SELECT * FROM customers", "lakehouse", List.of("customer_email"),
                new Location(Path.of("models/customer_health.sql"), 0),
                new Location(Path.of("models/customer_health.yaml"), 2)));
        assertThat(project.models().get("accounts").source()).isEqualTo("crm_db");
        assertThat(project.models().get("accounts").key()).containsExactly("region", "account_id");

        assertThat(project.syncs().keySet()).containsExactly("accounts_mirror", "churn_to_hubspot");
        SyncConfig churn = project.sync("churn_to_hubspot").orElseThrow();
        assertThat(churn.model()).isEqualTo("customer_health");
        assertThat(churn.key()).as("from the model's YAML").containsExactly("customer_email");
        assertThat(churn.keyLocation()).as("where the key is declared")
                .isEqualTo(new Location(Path.of("models/customer_health.yaml"), 2));
        assertThat(churn.destination()).isEqualTo("hubspot");
        assertThat(churn.object()).isEqualTo("contacts");
        assertThat(churn.mode()).isEqualTo(Mode.UPDATE);
        assertThat(churn.onRemoved()).isEqualTo(RemovalBehaviour.CLEAR_FIELDS);
        assertThat(churn.match()).isEqualTo(new Match("customer_email", "email", new Location(SYNC, 6)));
        assertThat(churn.fields()).extracting(FieldMapping::column, FieldMapping::value, FieldMapping::field,
                        FieldMapping::policy, FieldMapping::nulls, m -> m.location().line())
                .containsExactly(
                        tuple("churn_risk_score", null, "churn_risk_score", FieldPolicy.OVERWRITE, NullPolicy.CLEAR, 8),
                        tuple("lifetime_value", null, "ltv", FieldPolicy.RESPECT_MANUAL_EDITS, NullPolicy.SKIP, 10),
                        tuple(null, "warehouse", "lead_source", FieldPolicy.IF_EMPTY, NullPolicy.CLEAR, 13),
                        tuple(null, new BigDecimal("0.1"), "weight", FieldPolicy.OVERWRITE, NullPolicy.CLEAR, 14),
                        tuple(null, 42L, "answer", FieldPolicy.OVERWRITE, NullPolicy.CLEAR, 15),
                        tuple(null, true, "synced", FieldPolicy.OVERWRITE, NullPolicy.CLEAR, 16));
        assertThat(churn.schedule()).isEqualTo(new Schedule(Duration.ofMinutes(90), null));
        assertThat(churn.location()).isEqualTo(new Location(SYNC, 0));

        SyncConfig mirror = project.sync("accounts_mirror").orElseThrow();
        assertThat(mirror.key()).containsExactly("region", "account_id");
        assertThat(mirror.mode()).isEqualTo(Mode.MIRROR);
        assertThat(mirror.onRemoved()).as("mirror implies delete").isEqualTo(RemovalBehaviour.DELETE);
        assertThat(mirror.schedule()).isEqualTo(new Schedule(null, "0 */2 * * 1-5"));
    }

    @Test
    void defaultsApplyWhenTheProjectSaysNothing() throws ConfigException {
        ProjectConfig project = TestingProject.valid(root).load().project();

        assertThat(project.state()).isEqualTo(StateConfig.embeddedDefault());
        assertThat(project.models().get("customer_health").source()).as("the only source").isEqualTo("lakehouse");
        SyncConfig sync = project.sync("churn_to_hubspot").orElseThrow();
        assertThat(sync.mode()).isEqualTo(Mode.UPSERT);
        assertThat(sync.onRemoved()).isEqualTo(RemovalBehaviour.IGNORE);
        assertThat(sync.fields().getFirst().policy()).isEqualTo(FieldPolicy.OVERWRITE);
        assertThat(sync.fields().getFirst().nulls()).isEqualTo(NullPolicy.CLEAR);
        assertThat(sync.schedule().manual()).isTrue();
    }

    @Test
    void aProjectWithoutModelsOrSyncsIsValid() throws ConfigException {
        new TestingProject(root).file("ebb.yaml", "name: empty\n");

        ProjectConfig project = new TestingProject(root).load().project();

        assertThat(project.sources()).isEmpty();
        assertThat(project.models()).isEmpty();
        assertThat(project.syncs()).isEmpty();
    }

    @Test
    void severalProblemsInSeveralFilesAreReportedTogetherInFileOrder() {
        List<ConfigProblem> problems = TestingProject.valid(root)
                .file("ebb.yaml", TestingProject.EBB_YAML + "colour: blue\n")
                .file("syncs/churn_to_hubspot.yaml", TestingProject.SYNC_YAML.replace("object: contacts\n", "")
                        + "mode: sideways\n")
                .file("syncs/second.yaml", "model: nope\n: broken\n")
                .problems();

        assertThat(problems).extracting(p -> p.location().toString()).containsExactly(
                "ebb.yaml:6", "syncs/churn_to_hubspot.yaml:1", "syncs/churn_to_hubspot.yaml:7",
                "syncs/second.yaml:2");
        assertThat(problems.get(0).message()).contains("unknown key 'colour'");
        assertThat(problems.get(1).message()).contains("missing required key 'object'");
        assertThat(problems.get(2).message()).contains("'mode' cannot be 'sideways'");
        assertThat(problems.get(3).message()).startsWith("malformed YAML");
    }

    @Nested
    class Yaml {
        @Test
        void malformedYamlNamesTheParsersLine() {
            ConfigProblem problem = TestingProject.valid(root).file("syncs/churn_to_hubspot.yaml", """
                    model: customer_health
                    fields: [ { column: a, field: b }
                    object: contacts
                    """).problem();

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 3));
            assertThat(problem.message()).startsWith("malformed YAML: ")
                    .contains("expected ',' or ']'", "flow sequence that starts at line 2");
        }

        @Test
        void badIndentationIsMalformed() {
            ConfigProblem problem = TestingProject.valid(root).file("ebb.yaml", """
                    name: x
                    sources:
                      lakehouse:
                        type: duckdb
                       path: data/x.duckdb
                    """).problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 5));
            assertThat(problem.message()).startsWith("malformed YAML");
        }

        @Test
        void anUnquotedReferenceInAFlowMappingGetsAHint() {
            ConfigProblem problem = TestingProject.valid(root).file("ebb.yaml", TestingProject.EBB_YAML
                    .replace("\"${env:HUBSPOT_TOKEN}\"", "${env:HUBSPOT_TOKEN}")).problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 5));
            assertThat(problem.message()).startsWith("malformed YAML")
                    .endsWith("; inside { … }, quote secret references: token: \"${env:NAME}\"");
        }

        @Test
        void aDuplicateKeyIsAProblem() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("syncs/churn_to_hubspot.yaml", TestingProject.SYNC_YAML + "object: companies\n").problem();

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 8));
            assertThat(problem.message()).isEqualTo("duplicate key 'object' (first at line 4); keep one of them");
        }

        @Test
        void oneDocumentPerFile() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("syncs/churn_to_hubspot.yaml", TestingProject.SYNC_YAML + "---\nmodel: other\n").problem();

            assertThat(problem.location()).as("where the second document starts").isEqualTo(new Location(SYNC, 9));
            assertThat(problem.message()).contains("a file holds one");
        }

        @Test
        void aliasesAreRefused() {
            ConfigProblem problem = TestingProject.valid(root).file("syncs/churn_to_hubspot.yaml",
                    TestingProject.SYNC_YAML.replace("object: contacts", "object: &obj contacts")
                            .replace("key: customer_email", "key: *obj")).problem();

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 2));
            assertThat(problem.message()).contains("aliases (*obj) are not supported");
        }

        @Test
        void theTopLevelMustBeAMapping() {
            ConfigProblem problem = TestingProject.valid(root).file("syncs/churn_to_hubspot.yaml", "- a\n- b\n")
                    .problem();

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 1));
            assertThat(problem.message()).isEqualTo("a sync must be a mapping of keys to values, found a list;"
                    + " e.g. model: customer_health");
        }
    }

    @Nested
    class ProjectFile {
        @Test
        void aMissingProjectFileSaysHowToCreateOne() {
            assertThatThrownBy(() -> new TestingProject(root).load())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("no ebb.yaml in").hasMessageContaining("ebb init");
        }

        @Test
        void anEbbYmlIsNamedForRenaming() {
            new TestingProject(root).file("ebb.yml", "name: x\n");

            assertThat(new TestingProject(root).problem().message()).isEqualTo("found ebb.yml; rename it to ebb.yaml");
        }

        @Test
        void unknownKeySuggestsTheNearestAndListsTheAllowed() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("ebb.yaml", TestingProject.EBB_YAML.replace("destinations:", "destinatons:")).problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 4));
            assertThat(problem.message()).isEqualTo("unknown key 'destinatons' in ebb.yaml; did you mean"
                    + " 'destinations'? Allowed keys: name, state, default_source, sources, destinations");
        }

        @Test
        void theNameIsRequired() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("ebb.yaml", TestingProject.EBB_YAML.replace("name: acme-activation\n", "")).problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 1));
            assertThat(problem.message()).isEqualTo("missing required key 'name' in ebb.yaml; add e.g."
                    + " name: my-project");
        }

        @Test
        void theWarehouseStoreIsNamedWhereItBelongs() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("ebb.yaml", TestingProject.EBB_YAML + "state:\n  store: warehouse\n").problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 7));
            assertThat(problem.message()).contains("the warehouse store is set per source")
                    .contains("sources.NAME.state: { store: warehouse, schema: ebb_state }")
                    .contains("use store: embedded or store: postgres");
        }

        @Test
        void anUnknownStateStoreListsTheAllowedOnes() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("ebb.yaml", TestingProject.EBB_YAML + "state: { store: embeded }\n").problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 6));
            assertThat(problem.message()).isEqualTo("'store' cannot be 'embeded'; did you mean 'embedded'?"
                    + " Allowed values: embedded, postgres");
        }

        @Test
        void anUnknownConnectorTypeListsTheAvailableTypes() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("ebb.yaml", TestingProject.EBB_YAML.replace("type: duckdb", "type: duckbd")).problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 3));
            assertThat(problem.message()).isEqualTo("unknown source type 'duckbd'; did you mean 'duckdb'?"
                    + " Allowed source types: duckdb, postgres");
        }

        @Test
        void aDestinationTypeUnderSourcesSaysWhereToMoveIt() {
            ConfigProblem problem = TestingProject.valid(root).file("ebb.yaml", TestingProject.EBB_YAML.replace(
                    "  lakehouse: { type: duckdb, path: data/lakehouse.duckdb }",
                    "  lakehouse: { type: duckdb }\n  crm: { type: hubspot, token: \"${env:T}\" }")
                    + "default_source: lakehouse\n").problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 4));
            assertThat(problem.message()).isEqualTo("'hubspot' is a destination type, not a source type; move this"
                    + " entry under destinations:");
        }

        @Test
        void anUnknownSettingSuggestsADeclaredOption() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("ebb.yaml", TestingProject.EBB_YAML.replace("path:", "paht:")).problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 3));
            assertThat(problem.message()).isEqualTo("unknown setting 'paht' for source 'lakehouse' (type duckdb);"
                    + " did you mean 'path'? Allowed settings of duckdb: path, files, threads, memory_limit");
        }

        @Test
        void aMissingRequiredSettingQuotesItsDescription() {
            ConfigProblem problem = TestingProject.valid(root).file("ebb.yaml", """
                    name: x
                    destinations:
                      hubspot:
                        type: hubspot
                        base_url: http://localhost:8089
                    """).delete("syncs/churn_to_hubspot.yaml").delete("models/customer_health.sql").problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 3));
            assertThat(problem.message()).isEqualTo("destination 'hubspot' (type hubspot) is missing required"
                    + " setting 'token': a private app access token");
        }

        @Test
        void aConnectionNeedsAType() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("ebb.yaml", TestingProject.EBB_YAML.replace("type: duckdb, ", "")).problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 3));
            assertThat(problem.message()).isEqualTo("missing required key 'type' in source 'lakehouse'; add e.g."
                    + " type: duckdb");
        }

        @Test
        void aSettingIsASingleValue() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("ebb.yaml", TestingProject.EBB_YAML.replace("path: data/lakehouse.duckdb", "path: [a, b]"))
                    .problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 3));
            assertThat(problem.message()).isEqualTo("setting 'path' of source 'lakehouse' must be a single value"
                    + " (a string, number or boolean), found a list");
        }

        @Test
        void anUnknownSecretSchemeIsAnError() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("ebb.yaml", TestingProject.EBB_YAML.replace("${env:HUBSPOT_TOKEN}", "${vault:hubspot}"))
                    .problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 5));
            assertThat(problem.message()).isEqualTo("setting 'token' of destination 'hubspot': unknown reference"
                    + " scheme 'vault' in '${vault:hubspot}'; Ebb resolves ${env:NAME} and ${file:path}");
        }

        @Test
        void aSecretWrittenInPlainTextIsAWarningThatNeverQuotesIt() throws ConfigException {
            LoadedProject loaded = TestingProject.valid(root)
                    .file("ebb.yaml", TestingProject.EBB_YAML.replace("\"${env:HUBSPOT_TOKEN}\"", "pat-na1-s3cr3t"))
                    .load();

            assertThat(loaded.warnings()).singleElement().satisfies(warning -> {
                assertThat(warning.location()).isEqualTo(new Location(EBB, 5));
                assertThat(warning.message()).isEqualTo("setting 'token' of destination 'hubspot' is a secret"
                        + " written in plain text; write token: \"${env:HUBSPOT_TOKEN}\" (or ${file:path}) to keep it"
                        + " out of the project's files")
                        .doesNotContain("s3cr3t");
            });
        }

        @Test
        void warningsComeAlongWithErrors() {
            ConfigException failure = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                    () -> TestingProject.valid(root).file("ebb.yaml", TestingProject.EBB_YAML
                            .replace("\"${env:HUBSPOT_TOKEN}\"", "literal") + "colour: blue\n").load());

            assertThat(failure.problems()).hasSize(1);
            assertThat(failure.warnings()).hasSize(1);
        }

        @Test
        void defaultSourceMustNameASource() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("ebb.yaml", TestingProject.EBB_YAML + "default_source: lakehose\n").problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 6));
            assertThat(problem.message()).isEqualTo("default_source 'lakehose' is not one of the sources; did you"
                    + " mean 'lakehouse'? Allowed sources: lakehouse");
        }

        @Test
        void aWrongTypeSaysWhatWasFound() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("ebb.yaml", TestingProject.EBB_YAML + "state: embedded\n").problem();

            assertThat(problem.location()).isEqualTo(new Location(EBB, 6));
            assertThat(problem.message()).isEqualTo("'state' must be a mapping of keys to values, found a string;"
                    + " e.g. state: { store: embedded }");
        }
    }

    @Nested
    class Models {
        @Test
        void aModelNamingAnUnknownSourceListsTheSources() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("models/customer_health.yaml", "key: customer_email\nsource: snowflake\n").problem();

            assertThat(problem.location()).isEqualTo(new Location(Path.of("models/customer_health.yaml"), 2));
            assertThat(problem.message()).isEqualTo("source 'snowflake' is not defined in ebb.yaml; allowed"
                    + " sources: lakehouse");
        }

        @Test
        void severalSourcesNeedADefaultOrAChoice() {
            ConfigProblem problem = TestingProject.valid(root).file("ebb.yaml", TestingProject.EBB_YAML.replace(
                    "sources:\n", "sources:\n  crm: { type: postgres, host: h, password: \"${env:PG}\" }\n"))
                    .problem();

            assertThat(problem.location()).isEqualTo(new Location(Path.of("models/customer_health.sql"), 0));
            assertThat(problem.message()).isEqualTo("model 'customer_health' does not say which of the 2 sources"
                    + " (crm, lakehouse) it runs on; set default_source: in ebb.yaml or source: in"
                    + " models/customer_health.yaml");
        }

        @Test
        void aModelYamlAcceptsOnlyItsKeys() {
            ConfigProblem problem = TestingProject.valid(root)
                    .file("models/customer_health.yaml", "description: x\nkeys: [a]\n").problem();

            assertThat(problem.location()).isEqualTo(new Location(Path.of("models/customer_health.yaml"), 2));
            assertThat(problem.message()).isEqualTo("unknown key 'keys' in a model's YAML; did you mean 'key'?"
                    + " Allowed keys: source, key, description");
        }

        @Test
        void aModelYamlWithoutItsQueryIsAProblem() {
            ConfigProblem problem = TestingProject.valid(root).file("models/orphan.yaml", "key: id\n").problem();

            assertThat(problem.location()).isEqualTo(new Location(Path.of("models/orphan.yaml"), 1));
            assertThat(problem.message()).isEqualTo("models/orphan.yaml describes model 'orphan', but"
                    + " models/orphan.sql does not exist; add the query or rename the file");
        }

        @Test
        void anEmptyQueryIsAProblem() {
            ConfigProblem problem = TestingProject.valid(root).file("models/customer_health.sql", "  ;\n").problem();

            assertThat(problem.location()).isEqualTo(new Location(Path.of("models/customer_health.sql"), 1));
            assertThat(problem.message()).contains("is empty");
        }

        @Test
        void leadingLinesStaySoThatLineNumbersMatchTheFile() throws ConfigException {
            TestingProject.valid(root).file("models/customer_health.sql", "\n-- note\nSELECT 1 AS customer_email;  \n");

            assertThat(new TestingProject(root).load().project().models().get("customer_health").sql())
                    .isEqualTo("\n-- note\nSELECT 1 AS customer_email");
        }

        @Test
        void ymlFilesAreNamedForRenaming() {
            ConfigProblem problem = TestingProject.valid(root).file("syncs/other.yml", "model: x\n").problem();

            assertThat(problem.location()).isEqualTo(new Location(Path.of("syncs/other.yml"), 0));
            assertThat(problem.message()).isEqualTo("rename other.yml to other.yaml; Ebb reads .yaml files only");
        }

        @Test
        void aFileNameMustBeAUsableName() {
            ConfigProblem problem = TestingProject.valid(root).file("models/customer health.sql", "SELECT 1")
                    .problem();

            assertThat(problem.location()).isEqualTo(new Location(Path.of("models/customer health.sql"), 0));
            assertThat(problem.message()).contains("'customer health' is not a valid name");
        }
    }

    @Nested
    class Syncs {
        private ConfigProblem syncProblem(String syncYaml) {
            return TestingProject.valid(root).file("syncs/churn_to_hubspot.yaml", syncYaml).problem();
        }

        @Test
        void anUnknownModelListsTheModels() {
            ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML.replace("model: customer_health",
                    "model: customer_helth"));

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 1));
            assertThat(problem.message()).isEqualTo("model 'customer_helth' does not exist (a model is"
                    + " models/NAME.sql); did you mean 'customer_health'? Allowed models: customer_health");
        }

        @Test
        void anUnknownDestinationListsTheDestinations() {
            ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML.replace("destination: hubspot",
                    "destination: salesforce"));

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 3));
            assertThat(problem.message()).isEqualTo("destination 'salesforce' is not defined in ebb.yaml; allowed"
                    + " destinations: hubspot");
        }

        @Test
        void aMissingRequiredKeyGivesAnExample() {
            ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML.replace("object: contacts\n", ""));

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 1));
            assertThat(problem.message()).isEqualTo("missing required key 'object' in the sync; add e.g."
                    + " object: contacts");
        }

        @Test
        void theKeyComesFromTheSyncOrTheModel() {
            ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML.replace("key: customer_email\n", ""));

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 1));
            assertThat(problem.message()).isEqualTo("no key for model 'customer_health': add key: <column> (or a"
                    + " list of columns) to this sync or to models/customer_health.yaml");
        }

        @Test
        void aKeyThatDiffersFromTheModelsIsAWarning() throws ConfigException {
            LoadedProject loaded = TestingProject.valid(root)
                    .file("models/customer_health.yaml", "key: [customer_id]\n").load();

            assertThat(loaded.project().sync("churn_to_hubspot").orElseThrow().key()).containsExactly("customer_email");
            assertThat(loaded.warnings()).singleElement().satisfies(w -> {
                assertThat(w.location()).isEqualTo(new Location(SYNC, 2));
                assertThat(w.message()).contains("differs from [customer_id]");
            });
        }

        @Test
        void aKeyOfTheWrongType() {
            ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML.replace("key: customer_email",
                    "key: { column: customer_email }"));

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 2));
            assertThat(problem.message()).isEqualTo("'key' must be a column name or a list of column names, found"
                    + " a mapping");
        }

        @Test
        void aBadModeListsTheAllowedModes() {
            ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML + "mode: upsret\n");

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 8));
            assertThat(problem.message()).isEqualTo("'mode' cannot be 'upsret'; did you mean 'upsert'? Allowed"
                    + " values: upsert, update, insert, mirror, add_remove");
        }

        @Test
        void anAudienceSyncLoadsAndRemovesWhatLeavesTheModel() throws ConfigException {
            SyncConfig sync = TestingProject.valid(root).file("syncs/churn_to_hubspot.yaml",
                    TestingProject.SYNC_YAML + "mode: add_remove\n").load().project().sync("churn_to_hubspot")
                    .orElseThrow();

            assertThat(sync.mode()).isEqualTo(Mode.ADD_REMOVE);
            assertThat(sync.onRemoved()).as("an audience removes its members").isEqualTo(RemovalBehaviour.DELETE);
        }

        @Test
        void aBadRemovalBehaviourListsTheAllowedOnes() {
            ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML + "on_removed: archive\n");

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 8));
            assertThat(problem.message()).isEqualTo("'on_removed' cannot be 'archive'; allowed values: ignore,"
                    + " clear_fields, delete");
        }

        @Test
        void modeAndRemovalCombinationsThatMakeNoSenseAreRefused() {
            record Case(String mode, String onRemoved, String expected) {
            }
            List<Case> cases = List.of(
                    new Case("upsert", "delete", "is what mode: mirror means"),
                    new Case("update", "delete", "mode: update never creates records"),
                    new Case("insert", "clear_fields", "mode: insert never updates a record"),
                    new Case("mirror", "ignore", "so on_removed can only be delete"),
                    new Case("mirror", "clear_fields", "so on_removed can only be delete"),
                    new Case("add_remove", "ignore", "removes the audience members of rows that leave the model"),
                    new Case("add_remove", "clear_fields", "so on_removed can only be delete"));
            for (Case c : cases) {
                ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML + "mode: " + c.mode() + "\non_removed: "
                        + c.onRemoved() + "\n");
                assertThat(problem.location()).as(c.toString()).isEqualTo(new Location(SYNC, 9));
                assertThat(problem.message()).as(c.toString()).contains(c.expected());
            }
        }

        @Test
        void modeAndRemovalCombinationsThatMakeSenseLoad() throws ConfigException {
            String[][] allowed = {{"upsert", "ignore"}, {"upsert", "clear_fields"}, {"update", "ignore"},
                    {"update", "clear_fields"}, {"insert", "ignore"}, {"insert", "delete"}, {"mirror", "delete"},
                    {"add_remove", "delete"}};
            for (String[] combination : allowed) {
                SyncConfig sync = TestingProject.valid(root).file("syncs/churn_to_hubspot.yaml",
                                TestingProject.SYNC_YAML + "mode: " + combination[0] + "\non_removed: " + combination[1]
                                        + "\n")
                        .load().project().sync("churn_to_hubspot").orElseThrow();
                assertThat(ConfigKeys.spelling(sync.onRemoved())).isEqualTo(combination[1]);
            }
        }

        @Test
        void aDestinationFieldMappedTwiceIsAProblem() {
            ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML
                    + "  - { column: risk_v2, field: churn_risk_score }\n");

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 8));
            assertThat(problem.message()).isEqualTo("destination field 'churn_risk_score' is mapped twice (first at"
                    + " line 7); map each field once");
        }

        @Test
        void aMappingWithBothColumnAndValue() {
            ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML
                    + "  - { column: source, value: warehouse, field: lead_source }\n");

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 8));
            assertThat(problem.message()).isEqualTo("a field mapping takes either column: (a model column) or"
                    + " value: (a constant), not both; remove one");
        }

        @Test
        void aMappingWithNeitherColumnNorValue() {
            ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML + "  - field: lead_source\n"
                    + "    policy: if_empty\n");

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 8));
            assertThat(problem.message()).startsWith("a field mapping needs column: (a model column) or value:"
                    + " (a constant)");
        }

        @Test
        void aBadPolicyListsTheAllowedPolicies() {
            ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML.replace("field: churn_risk_score }",
                    "field: churn_risk_score, policy: respect_edits }"));

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 7));
            assertThat(problem.message()).isEqualTo("'policy' cannot be 'respect_edits'; allowed values: overwrite,"
                    + " if_empty, create_only, respect_manual_edits");
        }

        @Test
        void fieldsMustBeANonEmptyList() {
            ConfigProblem notAList = syncProblem(TestingProject.SYNC_YAML.replaceAll("fields:\\n.*\\n",
                    "fields: churn_risk_score\n"));
            assertThat(notAList.location()).isEqualTo(new Location(SYNC, 6));
            assertThat(notAList.message()).startsWith("'fields' must be a list, found a string");

            ConfigProblem empty = syncProblem(TestingProject.SYNC_YAML.replaceAll("fields:\\n.*\\n", "fields: []\n"));
            assertThat(empty.message()).startsWith("'fields' maps nothing");
        }

        @Test
        void matchNeedsAColumnAndAField() {
            ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML.replace(
                    "match: { column: customer_email, field: email }", "match: { column: customer_email }"));

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 5));
            assertThat(problem.message()).isEqualTo("missing required key 'field' in match:; add e.g. field: email");
        }

        @Test
        void createOnlyInUpdateModeIsAWarning() throws ConfigException {
            LoadedProject loaded = TestingProject.valid(root).file("syncs/churn_to_hubspot.yaml",
                    TestingProject.SYNC_YAML.replace("field: churn_risk_score }",
                            "field: churn_risk_score, policy: create_only }") + "mode: update\n").load();

            assertThat(loaded.warnings()).singleElement()
                    .satisfies(w -> assertThat(w.message()).contains("create_only never writes in mode: update"));
        }

        @Test
        void badSchedules() {
            record Case(String schedule, int line, String expected) {
            }
            List<Case> cases = List.of(
                    new Case("schedule: { every: 90 }", 8, "'every': '90' has no unit; write 90s, 90m or 90h"),
                    new Case("schedule: { every: 1hour }", 8, "'every': '1hour' is not a duration"),
                    new Case("schedule: { every: 0m }", 8, "'every': '0m' is zero"),
                    new Case("schedule: { cron: \"0 * * *\" }", 8, "'cron': '0 * * *' has 4 fields; a cron"
                            + " expression has 5"),
                    new Case("schedule: { cron: \"0 0 * * * *\" }", 8, "(seconds are not supported)"),
                    new Case("schedule: { cron: \"61 * * * *\" }", 8, "the minute '61' must be '*' or a number from"
                            + " 0 to 59"),
                    new Case("schedule: { cron: \"@hourly\" }", 8, "macros like @hourly are not supported"),
                    new Case("schedule: { every: 1h, cron: \"0 * * * *\" }", 8, "either every: or cron:, not both"),
                    new Case("schedule: {}", 8, "the schedule is empty"),
                    new Case("schedule: hourly", 8, "schedule 'hourly' is not a schedule"),
                    new Case("schedule: 1h", 8, "write schedule: { every: 1h }"),
                    new Case("schedule:\n  evry: 1h", 9, "unknown key 'evry' in schedule:; did you mean 'every'?"));
            for (Case c : cases) {
                ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML + c.schedule() + "\n");
                assertThat(problem.location()).as(c.schedule()).isEqualTo(new Location(SYNC, c.line()));
                assertThat(problem.message()).as(c.schedule()).contains(c.expected());
            }
        }

        @Test
        void unknownSyncKey() {
            ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML + "on_remove: delete\n");

            assertThat(problem.location()).isEqualTo(new Location(SYNC, 8));
            assertThat(problem.message()).isEqualTo("unknown key 'on_remove' in the sync; did you mean 'on_removed'?"
                    + " Allowed keys: model, key, destination, object, mode, on_removed, match, fields, schedule, guard");
        }

        @Test
        void aGuardTakesPercentagesOrRowCounts() throws ConfigException {
            SyncConfig sync = TestingProject.valid(root)
                    .file("syncs/churn_to_hubspot.yaml", TestingProject.SYNC_YAML + "guard: { max_removed: 5%, max_changed: 500 }\n")
                    .load().project().syncs().values().iterator().next();
            assertThat(sync.guard().maxRemoved()).isEqualTo(new Threshold(java.math.BigDecimal.valueOf(5), true));
            assertThat(sync.guard().maxChanged()).isEqualTo(new Threshold(java.math.BigDecimal.valueOf(500), false));
            assertThat(sync.guard().maxRemoved().exceededBy(6, 100)).isTrue();
            assertThat(sync.guard().maxRemoved().exceededBy(5, 100)).isFalse();
        }

        @Test
        void aBadGuardSaysWhatToWrite() {
            ConfigProblem problem = syncProblem(TestingProject.SYNC_YAML + "guard: { max_removed: lots }\n");
            assertThat(problem.location()).isEqualTo(new Location(SYNC, 8));
            assertThat(problem.message()).contains("'max_removed' must be a percentage").contains("5%");
        }

        @Test
        void aMalformedEbbYamlDoesNotCascadeIntoEveryReference() {
            List<ConfigProblem> problems = TestingProject.valid(root).file("ebb.yaml", "name: [\n").problems();

            assertThat(problems).singleElement()
                    .satisfies(p -> assertThat(p.location().file()).isEqualTo(EBB));
        }
    }
}
