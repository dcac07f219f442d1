package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotRecord;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when the input is wrong: a broken project file, a missing secret, a bad model, bad rows, a
 * destination that is down, a state store from the future, a mistyped command line. Each test drives the CLI over
 * a copy of {@code examples/hubspot-churn} against an in-process HubSpot sandbox and checks three things: the exit
 * code scripts rely on; that the message says what is wrong, where, and what to change; and that nothing
 * delivered before was lost or corrupted — the state store and the sandbox are unchanged, and once the input is
 * fixed the next run converges (the destination equals the model).
 */
class BadInputEndToEndTest {
    static final String TOKEN = "bad-input-token";
    static final String SYNC = "churn_to_hubspot";
    static final String SYNC_FILE = "syncs/churn_to_hubspot.yaml";
    static final String MODEL_SQL = "models/customer_health.sql";
    static final String CSV = "data/customers.csv";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path scratch;

    HubSpotSandbox sandbox;
    CliRunner ebb;
    Path project;
    String p;

    @BeforeEach
    void startSandboxAndCopyProject() throws IOException {
        sandbox = HubSpotSandbox.builder().tokens(TOKEN).perTenSeconds(10_000)
                .property("contacts", HubSpotProperty.of("churn_risk_score", "number"))
                .property("contacts", HubSpotProperty.of("lifetime_value", "number"))
                .property("contacts", HubSpotProperty.enumeration("plan", "free", "starter", "professional",
                        "enterprise"))
                .build();
        sandbox.start();
        ebb = cli(TOKEN, sandbox.baseUrl());
        project = ExamplesEndToEndTest.copyExample("hubspot-churn", scratch);
        p = project.toString();
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1. Malformed YAML

    @Test
    void unclosedBracketInTheSyncIsExit2NamingTheFileAndLine() throws IOException {
        Baseline before = baseline();
        String good = read(SYNC_FILE);
        edit(SYNC_FILE, "match: { column: customer_email, field: email }", "match: { column: customer_email, field: email");

        for (CliRunner.Result result : List.of(ebb.run("validate", "-p", p), runSync())) {
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            // The parser notices the missing '}' on the next line; the message says where the mapping opened.
            assertThat(result.err()).as(result.toString())
                    .containsPattern("syncs/churn_to_hubspot\\.yaml:[67]: malformed YAML")
                    .contains("flow mapping that starts at line 6")
                    .contains("check the indentation, quotes and brackets");
        }
        assertUntouchedSince(before);

        write(SYNC_FILE, good);
        assertFixedRunFindsEverythingUnchanged(before);
    }

    @Test
    void badIndentInTheSyncIsExit2NamingTheFileAndLine() throws IOException {
        Baseline before = baseline();
        String good = read(SYNC_FILE);
        edit(SYNC_FILE, "destination: hubspot", "  destination: hubspot");

        CliRunner.Result result = runSync();
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).as(result.toString())
                .contains("syncs/churn_to_hubspot.yaml:2: malformed YAML")
                .contains("check the indentation");
        assertUntouchedSince(before);

        write(SYNC_FILE, good);
        assertFixedRunFindsEverythingUnchanged(before);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2. An unknown key

    @Test
    void misspeltKeyIsExit2NamingTheKeyItsLineAndTheNearOne() throws IOException {
        Baseline before = baseline();
        String good = read(SYNC_FILE);
        edit(SYNC_FILE, "fields:", "feilds:");

        for (CliRunner.Result result : List.of(ebb.run("validate", "-p", p), runSync())) {
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            assertThat(result.err()).as(result.toString())
                    .contains("syncs/churn_to_hubspot.yaml:7: unknown key 'feilds' in the sync; did you mean "
                            + "'fields'?")
                    .contains("Allowed keys: model, key, destination, object, mode, on_removed, match, fields");
        }
        assertUntouchedSince(before);

        write(SYNC_FILE, good);
        assertFixedRunFindsEverythingUnchanged(before);
    }

    @Test
    void misspeltRequiredKeyIsReportedOnce() throws IOException {
        edit(SYNC_FILE, "fields:", "feilds:");
        CliRunner.Result result = ebb.run("validate", "-p", p, "--offline");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown key 'feilds'").doesNotContain("missing required key 'fields'");
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3. A missing secret, and a wrong one

    @Test
    void missingTokenVariableIsExit2NamingTheVariableAndTheSettingNeverAValue() throws IOException {
        Baseline before = baseline();

        CliRunner withoutToken = new CliRunner(Map.of("HUBSPOT_BASE_URL", sandbox.baseUrl()));
        for (CliRunner.Result result : List.of(withoutToken.run("validate", "-p", p),
                withoutToken.run("run", "-p", p, SYNC))) {
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            // The line is the destination entry's (documented: "its entry's line in ebb.yaml").
            assertThat(result.err()).as(result.toString())
                    .contains("ebb.yaml:8: setting 'token' of 'hubspot'")
                    .contains("environment variable HUBSPOT_TOKEN is not set")
                    .contains("set it in the environment");
        }
        CliRunner.Result json = withoutToken.run("run", "-p", p, SYNC, "--json");
        assertThat(json.exitCode()).isEqualTo(2);
        assertThat(json(json).get("exit_code").asInt()).isEqualTo(2);
        assertThat(json(json).get("error").asText()).contains("HUBSPOT_TOKEN");

        // A token that is set but wrong: the destination refuses it, and no output ever shows the value.
        String wrong = "wrong-secret-7f3a9c";
        CliRunner withWrongToken = cli(wrong, sandbox.baseUrl());
        CliRunner.Result refused = withWrongToken.run("run", "-p", p, SYNC);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err()).as(refused.toString()).contains("destination 'hubspot'").contains("401");
        CliRunner.Result refusedJson = withWrongToken.run("run", "-p", p, SYNC, "--json");
        CliRunner.Result runs = withWrongToken.run("runs", "-p", p, "--json");
        for (CliRunner.Result r : List.of(refused, refusedJson, runs)) {
            assertThat(r.out() + r.err()).doesNotContain(wrong).doesNotContain(TOKEN);
        }
        assertUntouchedSince(before);

        assertFixedRunFindsEverythingUnchanged(before);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 4. An SQL error in the model

    @Test
    void misspeltColumnInTheModelIsExit2NamingTheModelFileAndLine() throws IOException {
        Baseline before = baseline();
        String good = read(MODEL_SQL);
        edit(MODEL_SQL, "lifetime_value,", "lifetime_valeu,");

        for (CliRunner.Result result : List.of(ebb.run("validate", "-p", p), runSync())) {
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            assertThat(result.err()).as(result.toString())
                    .contains("model 'customer_health' (models/customer_health.sql)")
                    .contains("\"lifetime_valeu\" not found")
                    // DuckDB's line is the file's line: Ebb keeps the model's leading comment.
                    .contains("LINE 6:")
                    .contains("Candidate bindings: \"lifetime_value\"");
        }
        assertUntouchedSince(before);

        write(MODEL_SQL, good);
        assertFixedRunFindsEverythingUnchanged(before);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 5. A key column that does not exist

    @Test
    void keyThatIsNotAColumnIsExit2NamingTheKeyAndTheModelsColumns() throws IOException {
        Baseline before = baseline();
        String good = read(SYNC_FILE);
        edit(SYNC_FILE, "destination: hubspot", "key: customer_mail\ndestination: hubspot");

        for (CliRunner.Result result : List.of(ebb.run("validate", "-p", p), runSync())) {
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            assertThat(result.err()).as(result.toString())
                    .contains("syncs/churn_to_hubspot.yaml")
                    .contains("key 'customer_mail' is not a column of model 'customer_health'")
                    .contains("its columns: customer_email, first_name, last_name");
        }
        assertUntouchedSince(before);

        write(SYNC_FILE, good);
        assertFixedRunFindsEverythingUnchanged(before);
    }

    @Test
    void keyThatIsNotAColumnIsReportedWhereItIsDeclared() throws IOException {
        write("models/customer_health.yaml", "description: Customer health scores.\nkey: customer_mail\n");
        CliRunner.Result inModel = runSync();
        assertThat(inModel.exitCode()).isEqualTo(2);
        assertThat(inModel.err()).contains("models/customer_health.yaml:2:").contains("did you mean 'customer_email'");

        write("models/customer_health.yaml", "description: Customer health scores.\nkey: customer_email\n");
        edit(SYNC_FILE, "destination: hubspot", "key: customer_mail\ndestination: hubspot");
        CliRunner.Result inSync = runSync();
        assertThat(inSync.exitCode()).isEqualTo(2);
        assertThat(inSync.err()).contains("syncs/churn_to_hubspot.yaml:2:").contains("did you mean 'customer_email'");
    }

    // ---------------------------------------------------------------------------------------------------------
    // 6. Null and duplicate keys

    @Test
    void nullAndDuplicateKeysAreInvalidWhileTheValidRowsAreDelivered() throws IOException {
        Baseline before = baseline();
        rewriteCsv(lines -> {
            lines.set(4, withColumn(lines.get(4), 3, "0.987"));                     // a valid change
            lines.add(",Nobody,Nokey,0.5,100.00,free");                          // a null key
            lines.add("customer2@example.com,Grace,Twice,0.001,1.00,enterprise"); // a duplicate key
            lines.add("customer501@example.com,Newton,Valid,0.25,250.00,starter"); // a valid new row
            return lines;
        });

        sandbox.clearRequests();
        CliRunner.Result result = runSync("--json");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        JsonNode run = json(result);
        assertThat(run.get("status").asText()).isEqualTo("completed_with_errors");
        assertThat(run.get("invalid").asLong()).as("the null key and both rows sharing customer2's key").isEqualTo(3);
        assertThat(run.get("removed").asLong()).as("an invalid row never counts as removed").isZero();
        assertThat(run.get("delivered").asLong()).isEqualTo(2);
        assertThat(problems(run))
                .anyMatch(s -> s.contains("key [customer_email] is null"))
                .anyMatch(s -> s.contains("customer2@example.com") && s.contains("duplicate key"));

        // The valid rows went through.
        assertThat(contact("customer4@example.com").property("churn_risk_score")).contains("0.987");
        assertThat(contact("customer501@example.com").property("lastname")).contains("Valid");
        // The duplicated key's record keeps its earlier values: not overwritten by either row, not removed.
        assertThat(contact("customer2@example.com")).isEqualTo(before.contacts.get("customer2@example.com"));
        assertThat(sandbox.recordCount("contacts")).isEqualTo(501);

        CliRunner.Result explain = ebb.run("explain", "-p", p, SYNC, "customer2@example.com");
        assertThat(explain.out()).as(explain.toString())
                .contains("delivered by run 1")
                .contains("invalid (duplicate key");
        JsonNode runs = json(ebb.run("runs", "-p", p, "--json")).get("runs");
        assertThat(runs.get(0).get("status").asText()).isEqualTo("completed_with_errors");
        assertThat(runs.get(0).get("invalid").asLong()).isEqualTo(3);

        // Fixed: the duplicate and the null key go; customer2's earlier row is still what the destination has.
        rewriteCsv(lines -> {
            lines.removeIf(l -> l.startsWith(",") || l.contains("Twice"));
            return lines;
        });
        CliRunner.Result fixed = runSync("--json");
        assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
        assertThat(json(fixed).get("invalid").asLong()).isZero();
        assertThat(json(fixed).get("delivered").asLong()).as("customer2 is unchanged").isZero();
        assertConverged();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 7. A mapped field the destination does not have

    @Test
    void mappedFieldTheObjectDoesNotHaveIsExit2WithTheNearOne() throws IOException {
        Baseline before = baseline();
        String good = read(SYNC_FILE);
        edit(SYNC_FILE, "field: lifetime_value", "field: lifetime_valu");

        for (CliRunner.Result result : List.of(ebb.run("validate", "-p", p), runSync())) {
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
            assertThat(result.err()).as(result.toString())
                    .contains("syncs/churn_to_hubspot.yaml:11: object 'contacts' has no field 'lifetime_valu'")
                    .contains("did you mean 'lifetime_value'?");
        }
        assertUntouchedSince(before);

        write(SYNC_FILE, good);
        assertFixedRunFindsEverythingUnchanged(before);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 8. A value of the wrong type, and a value outside an enumeration

    @Test
    void valuesTheFieldCannotTakeAreInvalidRowsNamingTheFieldWhileOthersAreDelivered() throws IOException {
        Baseline before = baseline();
        List<String> good = Files.readAllLines(project.resolve(CSV));
        rewriteCsv(lines -> {
            lines.set(5, withColumn(lines.get(5), 3, "high"));
            lines.set(6, withColumn(lines.get(6), 5, "platinum"));
            lines.set(7, withColumn(lines.get(7), 3, "0.777"));
            return lines;
        });

        CliRunner.Result result = runSync("--json");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        JsonNode run = json(result);
        assertThat(run.get("invalid").asLong()).isEqualTo(2);
        assertThat(run.get("delivered").asLong()).isEqualTo(1);
        assertThat(problems(run))
                .anyMatch(s -> s.contains("customer5@example.com") && s.contains("'high'")
                        && s.contains("field 'churn_risk_score'") && s.contains("expected a number"))
                .anyMatch(s -> s.contains("customer6@example.com") && s.contains("'platinum'")
                        && s.contains("field 'plan'") && s.contains("allowed: free, starter, professional, "
                        + "enterprise"));
        assertThat(contact("customer7@example.com").property("churn_risk_score")).contains("0.777");
        assertThat(contact("customer5@example.com")).isEqualTo(before.contacts.get("customer5@example.com"));
        assertThat(contact("customer6@example.com")).isEqualTo(before.contacts.get("customer6@example.com"));

        CliRunner.Result text = runSync();
        assertThat(text.exitCode()).isEqualTo(1);
        assertThat(text.out()).contains("2 invalid").contains("'platinum' is not an option of field 'plan'");
        CliRunner.Result explain = ebb.run("explain", "-p", p, SYNC, "customer5@example.com");
        assertThat(explain.out()).as(explain.toString()).contains("delivered by run 1").contains("expected a number");

        Files.write(project.resolve(CSV), good);
        CliRunner.Result fixed = runSync("--json");
        assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
        assertConverged();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 9. A state store written by a newer Ebb

    @Test
    void stateStoreFromANewerEbbIsExit3AndLeftAsItWas() throws Exception {
        Baseline before = baseline();
        Path state = project.resolve(".ebb/state.duckdb");
        setSchemaVersion(state, "99");
        byte[] bytes = Files.readAllBytes(state);

        for (CliRunner.Result result : List.of(runSync(), runSync("--json"))) {
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
            assertThat(result.err()).as(result.toString())
                    .contains(".ebb/state.duckdb")
                    .contains("written by a newer version of Ebb (state schema v99; this Ebb reads up to v1)")
                    .contains("Upgrade Ebb");
        }
        assertThat(Files.readAllBytes(state)).as("Ebb does not modify a newer state store").isEqualTo(bytes);
        assertThat(schemaVersion(state)).isEqualTo("99");
        assertThat(sandbox.requestCount("/crm/v3/objects")).isZero();
        assertThat(contacts()).isEqualTo(before.contacts);

        setSchemaVersion(state, "1");
        // Only read-write commands from here: in this process the refused store's connection is still open (see
        // everyCommandRefusesANewerStateStoreWithTheSameMessage), and a read-only open would be refused by DuckDB.
        long fixedRun = assertFixedRunSendsNothing(before);
        assertThat(fixedRun).as("the refused runs were not recorded").isEqualTo(2);
    }

    @Test
    void everyCommandRefusesANewerStateStoreWithTheSameMessage() throws Exception {
        baseline();
        Path state = project.resolve(".ebb/state.duckdb");
        setSchemaVersion(state, "99");
        for (String[] args : List.of(new String[] {"runs", "-p", p}, new String[] {"run", "-p", p, SYNC},
                new String[] {"explain", "-p", p, SYNC, "customer1@example.com"})) {
            CliRunner.Result result = ebb.run(args);
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
            assertThat(result.err()).as(result.toString()).contains("written by a newer version of Ebb");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 10. A destination that is down, or failing for a while

    @Test
    void destinationThatIsDownIsExit3AndTheNextRunDeliversEverything() throws IOException {
        Baseline before = baseline();
        rewriteCsv(lines -> {
            for (int i = 11; i <= 13; i++) lines.set(i, withColumn(lines.get(i), 3, "0.9" + i));
            lines.add("customer501@example.com,Late,Arrival,0.5,500.00,free");
            return lines;
        });
        String closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = "http://127.0.0.1:" + socket.getLocalPort();
        }

        CliRunner.Result down = cli(TOKEN, closed).run("run", "-p", p, SYNC);
        assertThat(down.exitCode()).as(down.toString()).isEqualTo(3);
        assertThat(down.err()).as(down.toString())
                .contains("destination 'hubspot'")
                .contains("cannot reach HubSpot at " + closed)
                .contains("gave up after 5 attempts");
        assertThat(json(ebb.run("runs", "-p", p, "--json")).get("runs"))
                .as("no run claims success").allMatch(r -> r.get("run_id").asLong() == 1
                        || !r.get("status").asText().equals("succeeded"));
        assertThat(contacts()).isEqualTo(before.contacts);

        CliRunner.Result back = runSync("--json");
        assertThat(back.exitCode()).as(back.toString()).isZero();
        assertThat(json(back).get("changed").asLong()).isEqualTo(3);
        assertThat(json(back).get("added").asLong()).isEqualTo(1);
        assertThat(json(back).get("delivered").asLong()).isEqualTo(4);
        assertConverged();
    }

    @Test
    void destinationAnswering503IsRetriedThenFailedRowsAreSentByTheNextRun() throws IOException {
        Baseline before = baseline();
        String upsert = "/crm/v3/objects/contacts/batch/upsert";

        // A short outage: two 503s, the third attempt goes through.
        rewriteCsv(lines -> {
            lines.set(21, withColumn(lines.get(21), 3, "0.921"));
            return lines;
        });
        sandbox.inject(Fault.status(503, 2).onPath(upsert));
        CliRunner.Result retried = runSync("--json");
        assertThat(retried.exitCode()).as(retried.toString()).isZero();
        assertThat(json(retried).get("retries").asLong()).isEqualTo(2);
        assertThat(json(retried).get("delivered").asLong()).isEqualTo(1);
        assertThat(contact("customer21@example.com").property("churn_risk_score")).contains("0.921");

        // A longer one: every attempt fails, the row is left failed and its record as it was.
        rewriteCsv(lines -> {
            lines.set(22, withColumn(lines.get(22), 3, "0.922"));
            return lines;
        });
        sandbox.inject(Fault.status(503, 5).onPath(upsert));
        CliRunner.Result failed = runSync("--json");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        JsonNode run = json(failed);
        assertThat(run.get("failed").asLong()).isEqualTo(1);
        assertThat(run.get("delivered").asLong()).isZero();
        assertThat(problems(run)).anyMatch(s -> s.contains("customer22@example.com") && s.contains("503")
                && s.contains("gave up after 5 attempts"));
        assertThat(contact("customer22@example.com")).isEqualTo(before.contacts.get("customer22@example.com"));
        CliRunner.Result explain = ebb.run("explain", "-p", p, SYNC, "customer22@example.com");
        assertThat(explain.out()).as(explain.toString()).contains("failed").contains("the next run sends it again");

        CliRunner.Result next = runSync("--json");
        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(json(next).get("delivered").asLong()).isEqualTo(1);
        assertConverged();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 11. Usage errors

    @Test
    void usageErrorsAreExit2AndTouchNothing() throws IOException {
        CliRunner.Result noSync = ebb.run("run", "-p", p);
        assertThat(noSync.exitCode()).as(noSync.toString()).isEqualTo(2);
        assertThat(noSync.err()).contains("error: Missing required argument").contains("(SYNC | --all)")
                .contains("Usage: ebb run");

        CliRunner.Result unknownSync = ebb.run("run", "-p", p, "churn_to_hubsopt");
        assertThat(unknownSync.exitCode()).as(unknownSync.toString()).isEqualTo(2);
        assertThat(unknownSync.err()).contains("there is no sync named 'churn_to_hubsopt'")
                .contains("the project has: churn_to_hubspot");

        CliRunner.Result unknownOption = ebb.run("run", "-p", p, SYNC, "--bogus");
        assertThat(unknownOption.exitCode()).as(unknownOption.toString()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown option: '--bogus'").contains("Usage: ebb run");

        CliRunner.Result extraArgument = ebb.run("run", "-p", p, SYNC, "extra");
        assertThat(extraArgument.exitCode()).as(extraArgument.toString()).isEqualTo(2);
        assertThat(extraArgument.err()).contains("'extra'");

        CliRunner.Result unknownCommand = ebb.run("runn", "-p", p, SYNC);
        assertThat(unknownCommand.exitCode()).as(unknownCommand.toString()).isEqualTo(2);
        assertThat(unknownCommand.err()).contains("'runn'").contains("Commands:");

        CliRunner.Result notAProject = ebb.run("run", "-p", scratch.resolve("nowhere").toString(), SYNC);
        assertThat(notAProject.exitCode()).as(notAProject.toString()).isEqualTo(2);
        assertThat(notAProject.err()).contains("is not an Ebb project: it has no ebb.yaml").contains("ebb init");

        // An unknown sync name is found after the state store is opened (and so created); nothing is recorded.
        CliRunner.Result runs = ebb.run("runs", "-p", p, "--json");
        assertThat(runs.exitCode()).as(runs.toString()).isZero();
        assertThat(json(runs).get("runs")).as("no run was recorded").isEmpty();
        assertThat(sandbox.requestCount()).as("nothing reached the destination").isZero();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 12. init over an existing project

    @Test
    void initInAProjectIsExit2AndOverwritesNothing() throws IOException {
        Map<String, String> files = tree(project);

        CliRunner.Result result = ebb.run("init", "-p", p);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("already holds a project").contains("empty folder")
                .contains("nothing was changed");
        assertThat(tree(project)).as("every file as it was, none added").containsExactlyInAnyOrderEntriesOf(files);

        // A folder with only an ebb.yaml is a project too: init adds no model or sync beside it.
        Path bare = Files.createDirectories(scratch.resolve("bare"));
        Files.writeString(bare.resolve("ebb.yaml"), "name: mine\n");
        CliRunner.Result again = ebb.run("init", "-p", bare.toString());
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
        assertThat(tree(bare)).containsOnlyKeys("ebb.yaml");
        assertThat(Files.readString(bare.resolve("ebb.yaml"))).isEqualTo("name: mine\n");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    /** What the first, successful run left: the sandbox's contacts by email. */
    record Baseline(Map<String, HubSpotRecord> contacts) {
    }

    Baseline baseline() throws IOException {
        CliRunner.Result first = runSync("--json");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(json(first).get("delivered").asLong()).isEqualTo(500);
        assertConverged();
        sandbox.clearRequests();
        return new Baseline(contacts());
    }

    /** After a refused run: the run log has only the first run, the destination and the snapshot are as they were. */
    void assertUntouchedSince(Baseline before) throws IOException {
        assertThat(sandbox.requestCount("/crm/v3/objects")).as("no record was read or written").isZero();
        assertThat(contacts()).isEqualTo(before.contacts);
    }

    /**
     * The input is fixed: the next run finds every row unchanged (the snapshot survived the bad input) and sends
     * nothing; the run log shows no other run than the first and this one, and a row's history still shows its
     * first delivery.
     */
    void assertFixedRunFindsEverythingUnchanged(Baseline before) throws IOException {
        long fixedRun = assertFixedRunSendsNothing(before);
        CliRunner.Result log = ebb.run("runs", "-p", p, "--json");
        assertThat(log.exitCode()).as(log.toString()).isZero();
        List<String> statuses = new ArrayList<>();
        json(log).get("runs").forEach(r -> statuses.add(r.get("run_id").asLong() + ":" + r.get("status").asText()));
        assertThat(statuses).containsExactly(fixedRun + ":succeeded", "1:succeeded");
        CliRunner.Result explain = ebb.run("explain", "-p", p, SYNC, "customer3@example.com");
        assertThat(explain.out()).as(explain.toString()).contains("delivered by run 1")
                .contains("run 1: added -> upsert, delivered");
    }

    /** The next run finds every row unchanged and sends nothing; the destination is as it was. Its run id. */
    long assertFixedRunSendsNothing(Baseline before) throws IOException {
        CliRunner.Result fixed = runSync("--json");
        assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
        JsonNode run = json(fixed);
        assertThat(run.get("unchanged").asLong()).isEqualTo(500);
        assertThat(run.get("delivered").asLong()).isZero();
        assertThat(contacts()).isEqualTo(before.contacts);
        assertConverged();
        return run.get("run_id").asLong();
    }

    /** The destination equals the model: one contact per row of the CSV, with the row's values. */
    void assertConverged() throws IOException {
        List<String> lines = Files.readAllLines(project.resolve(CSV));
        Map<String, HubSpotRecord> contacts = contacts();
        assertThat(contacts).hasSize(lines.size() - 1);
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            HubSpotRecord record = contacts.get(c[0]);
            assertThat(record).as(c[0]).isNotNull();
            assertThat(record.property("firstname")).as(c[0]).contains(c[1]);
            assertThat(record.property("lastname")).as(c[0]).contains(c[2]);
            assertThat(new BigDecimal(record.property("churn_risk_score").orElseThrow())).as(c[0])
                    .isEqualByComparingTo(c[3]);
            assertThat(new BigDecimal(record.property("lifetime_value").orElseThrow())).as(c[0])
                    .isEqualByComparingTo(c[4]);
            assertThat(record.property("plan")).as(c[0]).contains(c[5]);
        }
    }

    Map<String, HubSpotRecord> contacts() {
        Map<String, HubSpotRecord> byEmail = new TreeMap<>();
        for (HubSpotRecord r : sandbox.records("contacts")) byEmail.put(r.property("email").orElseThrow(), r);
        return byEmail;
    }

    HubSpotRecord contact(String email) {
        return sandbox.findRecord("contacts", "email", email).orElseThrow(() -> new AssertionError("no " + email));
    }

    CliRunner.Result runSync(String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "-p", p, SYNC));
        args.addAll(List.of(extra));
        return ebb.run(args.toArray(String[]::new));
    }

    static CliRunner cli(String token, String baseUrl) {
        return new CliRunner(Map.of("HUBSPOT_TOKEN", token, "HUBSPOT_BASE_URL", baseUrl));
    }

    static JsonNode json(CliRunner.Result result) throws IOException {
        return JSON.readTree(result.out());
    }

    static List<String> problems(JsonNode run) {
        List<String> problems = new ArrayList<>();
        run.get("problems").forEach(n -> problems.add(n.asText()));
        return problems;
    }

    String read(String relative) throws IOException {
        return Files.readString(project.resolve(relative));
    }

    void write(String relative, String content) throws IOException {
        Files.writeString(project.resolve(relative), content);
    }

    /** Replaces one occurrence of {@code from}, failing if the file does not hold it exactly once. */
    void edit(String relative, String from, String to) throws IOException {
        String text = read(relative);
        assertThat(text.split(java.util.regex.Pattern.quote(from), -1)).as(relative + " holds " + from).hasSize(2);
        write(relative, text.replace(from, to));
    }

    void rewriteCsv(UnaryOperator<List<String>> change) throws IOException {
        ExamplesEndToEndTest.rewriteCsv(project.resolve(CSV), change);
    }

    static String withColumn(String line, int column, String value) {
        String[] c = line.split(",", -1);
        c[column] = value;
        return String.join(",", c);
    }

    /** Every file under {@code root} with its content (bytes as ISO-8859-1, so that equality is byte equality). */
    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(f).toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    static void setSchemaVersion(Path state, String version) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + state);
                Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE ebb_meta SET value = '" + version + "' WHERE name = 'schema_version'");
        }
    }

    static String schemaVersion(Path state) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + state);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT value FROM ebb_meta WHERE name = 'schema_version'")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
