package dev.ebb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every {@code --json} output is one JSON document on stdout, in every outcome (errors included), with snake_case
 * keys, and matches its command's JSON Schema in docs/json/.
 */
class JsonOutputTest {
    /** The schemas, as documented for users (the module's tests run in its folder). */
    private static final Path SCHEMAS = Path.of("..", "docs", "json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Reads the schemas from their files (file: IRIs are "remote" to the validator), the relative $refs too. */
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            registry -> registry.schemaLoader(loader -> loader.fetchRemoteResources()));

    private static HubSpotSandbox sandbox;

    @TempDir
    Path root;

    @BeforeAll
    static void startSandbox() throws Exception {
        sandbox = HubSpotSandbox.builder().property("contacts", HubSpotProperty.of("churn_risk_score", "number"))
                .build();
        sandbox.start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    /** Stdout parsed as exactly one JSON document, checked against {@code docs/json/<command>.schema.json}. */
    private static JsonNode document(String command, Cli.Result result) throws Exception {
        JsonNode doc = JSON.readTree(result.out());
        assertThat(doc).as("stdout of %s is one JSON document: %s", command, result).isNotNull();
        Schema schema = REGISTRY.getSchema(SchemaLocation.of(SCHEMAS.resolve(command + ".schema.json")
                .toAbsolutePath().normalize().toUri().toString()));
        assertThat(schema.validate(doc)).as("%s --json against its schema: %s", command, doc).isEmpty();
        return doc;
    }

    private Cli.Result ebb(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--json", "-p", root.toString()));
        return Cli.ebb(all.toArray(String[]::new));
    }

    @Test
    void successfulOutputsMatchTheirSchemas() throws Exception {
        Cli.hubspotProject(root, "token: sandbox-token", "base_url: " + sandbox.baseUrl());

        JsonNode online = document("validate", ebb("validate"));
        JsonNode offline = document("validate", ebb("validate", "--offline"));
        assertThat(online.path("syncs").path("churn").path("checked").asBoolean()).isTrue();
        assertThat(offline.path("syncs").path("churn").path("checked").asBoolean()).isFalse();
        assertThat(offline.path("syncs").isObject()).as("keyed by sync, as online").isTrue();

        JsonNode plan = document("plan", ebb("plan", "churn"));
        assertThat(plan.path("counts").path("added").asLong()).isEqualTo(3);
        JsonNode run = document("run", ebb("run", "churn"));
        assertThat(run.path("delivered").asLong()).isEqualTo(3);
        document("run", ebb("run", "--all"));
        document("runs", ebb("runs"));
        JsonNode explain = document("explain", ebb("explain", "churn", "ada@example.com"));
        assertThat(explain.path("snapshot").has("destination_id")).as("snake_case: %s", explain).isTrue();
        document("conflicts", ebb("conflicts"));
        document("reset", ebb("reset", "churn"));
    }

    /** Why the plan ran in the JVM is told by {@code ebb run} as by {@code ebb plan}: in its document and on stderr. */
    @Test
    void aRunCarriesThePlansWarnings() throws Exception {
        Cli.hubspotProject(root, "token: sandbox-token", "base_url: " + sandbox.baseUrl());
        // A double's shortest text is the JVM's to write: the sync is planned there.
        Files.writeString(root.resolve("models/customers.sql"), """
                SELECT * FROM (VALUES ('ada@example.com', 0.1::DOUBLE), ('grace@example.com', 0.2::DOUBLE))
                    t(customer_email, churn_risk_score)
                """);
        JsonNode plan = document("plan", ebb("plan", "churn"));
        List<String> planned = new ArrayList<>();
        plan.path("warnings").forEach(w -> planned.add(w.asText()));
        assertThat(planned).as("the plan says why it ran in the JVM: %s", plan)
                .anyMatch(w -> w.startsWith("the model's rows were planned in the JVM"));

        Cli.Result ran = ebb("run", "churn");
        JsonNode run = document("run", ran);
        List<String> warned = new ArrayList<>();
        run.path("warnings").forEach(w -> warned.add(w.asText()));
        assertThat(warned).as("the run's document: %s", run).containsAll(planned);
        assertThat(ran.err()).as("and its stderr").contains("planned in the JVM");

        Files.writeString(root.resolve("models/customers.sql"), """
                SELECT * FROM (VALUES ('ada@example.com', 0.3::DOUBLE), ('grace@example.com', 0.2::DOUBLE))
                    t(customer_email, churn_risk_score)
                """);
        Cli.Result human = Cli.ebb("run", "churn", "-p", root.toString());
        assertThat(human.exitCode()).as(human.toString()).isZero();
        assertThat(human.err()).as("without --json too").contains("planned in the JVM, not in the state store");
    }

    @Test
    void failuresPrintOneDocumentToo() throws Exception {
        Cli.Result notAProject = ebb("validate");
        assertThat(notAProject.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(document("validate", notAProject).path("valid").asBoolean(true)).isFalse();

        Files.writeString(root.resolve("ebb.yaml"), "name: broken\nsources: 12\n");
        Cli.Result invalid = ebb("validate");
        assertThat(invalid.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(document("validate", invalid).path("error").asText()).contains("ebb.yaml");
        Files.delete(root.resolve("ebb.yaml"));

        Cli.hubspotProject(root, "token: sandbox-token", "base_url: " + sandbox.baseUrl());
        for (String[] command : List.of(new String[] {"run", "nosuch"}, new String[] {"plan", "nosuch"},
                new String[] {"approve", "99"}, new String[] {"reject", "99"},
                new String[] {"explain", "nosuch", "k"}, new String[] {"runs", "nosuch"},
                new String[] {"conflicts", "resolve", "churn", "k", "f", "--take", "warehouse"})) {
            Cli.Result result = ebb(command);
            String name = command[0].equals("conflicts") ? "conflicts-resolve" : command[0];
            assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result).isEqualTo(ExitCode.INVALID);
            assertThat(document(name, result).path("exit_code").asInt()).isEqualTo(ExitCode.INVALID);
        }
        Cli.Result usage = ebb("run");
        assertThat(usage.exitCode()).isEqualTo(ExitCode.INVALID);
        document("run", usage);
    }

    @Test
    void theSchemasRefuseCamelCaseAndMissingKeys() throws Exception {
        Schema explain = REGISTRY.getSchema(SchemaLocation.of(SCHEMAS.resolve("explain.schema.json")
                .toAbsolutePath().normalize().toUri().toString()));

        assertThat(explain.validate(JSON.readTree("""
                {"sync": "s", "key": "k", "snapshot": {"key": "k", "fingerprint": "f", "matchValue": "m",
                 "destinationId": "1", "runId": 1}, "history": [], "explanation": "e", "conflicts": []}
                """))).isNotEmpty();
        assertThat(explain.validate(JSON.readTree("{\"error\": \"no\"}"))).isNotEmpty();
    }

    @Test
    void initPrintsItsDocument() throws Exception {
        JsonNode doc = document("init", ebb("init"));
        assertThat(doc.path("files").toString()).contains("ebb.yaml");
    }

    @Test
    void everyCommandThatTakesJsonHasASchema() {
        List<String> missing = new ArrayList<>();
        collect(new CommandLine(new Ebb()), "", missing);
        assertThat(missing).as("commands without docs/json/<command>.schema.json").isEmpty();
    }

    private static void collect(CommandLine command, String prefix, List<String> missing) {
        command.getSubcommands().forEach((name, sub) -> {
            String path = prefix.isEmpty() ? name : prefix + "-" + name;
            // ebb schema prints the project format's JSON Schema, itself a JSON document.
            if (sub.getCommandSpec().findOption("--json") != null && !name.equals("schema")
                    && !Files.isRegularFile(SCHEMAS.resolve(path + ".schema.json"))) {
                missing.add(path);
            }
            collect(sub, path, missing);
        });
    }
}
