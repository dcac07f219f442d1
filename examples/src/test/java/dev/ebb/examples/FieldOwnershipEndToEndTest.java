package dev.ebb.examples;

import static dev.ebb.examples.ExamplesEndToEndTest.copyExample;
import static dev.ebb.examples.ExamplesEndToEndTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotRecord;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Field ownership end to end (DESIGN §6), over {@code examples/hubspot-owned-fields}: the CLI syncs contacts to an
 * in-process HubSpot sandbox while "a person" edits the same contacts between runs through HubSpot's own API
 * ({@code PATCH /crm/v3/objects/contacts/{id}} with the account's bearer token), as a rep's script or HubSpot's UI
 * would. Each policy must do what it says, conflicts must appear and resolve, untouched fields must keep syncing,
 * and the read-backs must cost exactly the calls the run log says they cost.
 */
class FieldOwnershipEndToEndTest {
    static final String TOKEN = "owned-fields-token";
    static final String SYNC = "profile_to_hubspot";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String READ = "/crm/v3/objects/contacts/batch/read";

    @TempDir
    Path scratch;

    HubSpotSandbox sandbox;
    CliRunner ebb;
    Path project;
    String p;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        sandbox = HubSpotSandbox.builder().tokens(TOKEN).perTenSeconds(10_000)
                .property("contacts", HubSpotProperty.of("churn_risk_score", "number"))
                .property("contacts", HubSpotProperty.of("lifetime_value", "number"))
                .property("contacts", HubSpotProperty.of("lead_source", "string"))
                .property("contacts", HubSpotProperty.of("signup_cohort", "string"))
                .build();
        sandbox.start();
        ebb = new CliRunner(Map.of("HUBSPOT_TOKEN", TOKEN, "HUBSPOT_BASE_URL", sandbox.baseUrl()));
        project = copyExample("hubspot-owned-fields", scratch);
        p = project.toString();
    }

    @AfterEach
    void stop() {
        sandbox.close();
        http.close();
    }

    @Test
    void eachPolicyKeepsWhatAPersonTypedAndConflictsResolve() throws Exception {
        CliRunner.Result validate = ebb.run("validate", "-p", p);
        assertThat(validate.exitCode()).as(validate.toString()).isZero();

        // Run 1 creates the 150 contacts: every field is written, create_only and if_empty ones included.
        JsonNode first = run();
        assertThat(first.get("added").asLong()).isEqualTo(150);
        assertThat(first.get("delivered").asLong()).isEqualTo(150);
        assertThat(first.get("read_calls").asLong()).as("one read-back per batch of 100").isEqualTo(2);
        assertThat(sandbox.recordCount("contacts")).isEqualTo(150);
        assertThat(contact(1).property("lead_source")).contains("webinar");
        assertThat(contact(1).property("signup_cohort")).contains("2023-Q4");
        assertThat(contact(5).property("lead_source")).as("empty in the warehouse").isEmpty();
        assertCallsMatchTheSandbox(first);
        HubSpotRecord seventh = contact(7);
        HubSpotRecord eighth = contact(8);

        // A person edits contacts in HubSpot.
        personEdits(1, Map.of("jobtitle", "VP Sales (acting)", "churn_risk_score", "0.01"));
        personEdits(2, Map.of("jobtitle", "Founder"));
        personEdits(3, Map.of("jobtitle", "Chief of Staff"));
        personEdits(5, Map.of("lead_source", "Trade show"));   // fills an if_empty field
        personEdits(6, Map.of("lead_source", ""));             // clears one
        sandbox.clearRequests();

        // The warehouse moves too.
        setCsv(1, Map.of("job_title", "Head of Sales", "churn_risk_score", "0.9"));
        setCsv(2, Map.of("job_title", "CEO", "churn_risk_score", "0.2"));
        setCsv(4, Map.of("job_title", "Staff Engineer"));                // nobody touched it in HubSpot
        setCsv(5, Map.of("lead_source", "webinar", "churn_risk_score", "0.5"));
        setCsv(6, Map.of("lead_source", "partner", "churn_risk_score", "0.6"));
        setCsv(7, Map.of("lead_source", "ads"));                         // HubSpot's lead_source is not empty
        setCsv(8, Map.of("signup_cohort", "2030-Q1", "lifetime_value", "", "churn_risk_score", "0.8"));
        setCsv(9, Map.of("last_name", ""));                              // nulls: clear (the default)
        appendCsv("customer151@example.com,Hedy,Lamarr,Inventor,0.3,1234.50,referral,2025-Q1");

        JsonNode second = run();
        assertThat(second.get("changed").asLong()).isEqualTo(8);
        assertThat(second.get("added").asLong()).isEqualTo(1);
        assertThat(second.get("delivered").asLong()).isEqualTo(9);
        assertThat(second.get("conflicts").asLong()).isEqualTo(2);
        assertThat(second.get("read_calls").asLong()).as("only the 9 changed rows, in one batch").isEqualTo(1);
        assertCallsMatchTheSandbox(second);

        // respect_manual_edits: the person's edits stay, the untouched field syncs, the row's other fields are written.
        assertThat(contact(1).property("jobtitle")).contains("VP Sales (acting)");
        assertThat(number(contact(1), "churn_risk_score")).as("overwrite, even on an edited contact")
                .isEqualByComparingTo("0.9");
        assertThat(contact(2).property("jobtitle")).contains("Founder");
        assertThat(number(contact(2), "churn_risk_score")).isEqualByComparingTo("0.2");
        assertThat(contact(3).property("jobtitle")).as("its row did not change: not even read back")
                .contains("Chief of Staff");
        assertThat(contact(4).property("jobtitle")).contains("Staff Engineer");
        // if_empty: a value someone typed stays; an empty field is filled.
        assertThat(contact(5).property("lead_source")).contains("Trade show");
        assertThat(contact(6).property("lead_source")).contains("partner");
        assertThat(contact(7).property("lead_source")).isEqualTo(seventh.property("lead_source"))
                .isNotEqualTo(Optional.of(csv(7).get("lead_source")));
        // create_only: set when the contact was created, never after; a new contact gets it.
        assertThat(contact(8).property("signup_cohort")).isEqualTo(eighth.property("signup_cohort"));
        assertThat(contact(151).property("signup_cohort")).contains("2025-Q1");
        assertThat(contact(151).property("jobtitle")).contains("Inventor");
        assertThat(contact(151).property("lead_source")).contains("referral");
        // nulls: skip leaves HubSpot's value; nulls: clear empties the field.
        assertThat(contact(8).property("lifetime_value")).isEqualTo(eighth.property("lifetime_value"));
        assertThat(number(contact(8), "churn_risk_score")).isEqualByComparingTo("0.8");
        assertThat(contact(9).property("lastname")).isEmpty();

        // The conflicts: exactly the two edited fields Ebb wanted to write, with both sides' values.
        List<JsonNode> conflicts = conflicts();
        assertThat(conflicts).extracting(c -> c.get("key").asText() + " " + c.get("field").asText() + ": "
                        + c.get("destination_value").asText() + " / " + c.get("warehouse_value").asText())
                .containsExactlyInAnyOrder(
                        "customer1@example.com jobtitle: VP Sales (acting) / Head of Sales",
                        "customer2@example.com jobtitle: Founder / CEO");
        assertThat(conflicts).allSatisfy(c -> {
            assertThat(c.get("status").asText()).isEqualTo("open");
            assertThat(c.get("ebb_last_value_hash").asText()).as("Ebb keeps a hash of its value, not the value")
                    .isNotBlank().doesNotContain("Analyst", "Head of Data", "CFO");
        });
        CliRunner.Result listed = ebb.run("conflicts", "-p", p, SYNC);
        assertThat(listed.out()).contains("person's value:   VP Sales (acting)").contains("warehouse value:  CEO");

        // Resolve: the warehouse's value for one, the person's for the other.
        sandbox.clearRequests();
        CliRunner.Result takeWarehouse = ebb.run("conflicts", "resolve", "-p", p, SYNC, "customer1@example.com",
                "jobtitle", "--take", "warehouse");
        assertThat(takeWarehouse.exitCode()).as(takeWarehouse.toString()).isZero();
        assertThat(contact(1).property("jobtitle")).contains("Head of Sales");
        CliRunner.Result takeDestination = ebb.run("conflicts", "resolve", "-p", p, SYNC, "customer2@example.com",
                "jobtitle", "--take", "destination");
        assertThat(takeDestination.exitCode()).as(takeDestination.toString()).isZero();
        assertThat(contact(2).property("jobtitle")).contains("Founder");
        assertThat(conflicts()).isEmpty();

        CliRunner.Result explain = ebb.run("explain", "-p", p, SYNC, "customer1@example.com", "--json");
        assertThat(explain.exitCode()).as(explain.toString()).isZero();
        JsonNode explained = json(explain).get("conflicts").get(0);
        assertThat(explained.get("field").asText()).isEqualTo("jobtitle");
        assertThat(explained.get("destination_value").asText()).isEqualTo("VP Sales (acting)");
        assertThat(explained.get("resolution").asText()).isEqualTo("warehouse");
        assertThat(ebb.run("explain", "-p", p, SYNC, "customer2@example.com").out())
                .contains("conflict on jobtitle (resolved, took the destination value)");

        // Run 3: other columns of both rows change, and contact 1's title moves on. The person's chosen value for
        // contact 2 stays (the warehouse still says CEO); contact 1's title is Ebb's again. A read-back that meets
        // a 503 is retried, and the run log counts both attempts.
        setCsv(1, Map.of("job_title", "CRO"));
        setCsv(2, Map.of("churn_risk_score", "0.25"));
        sandbox.inject(Fault.status(503, 1).onPath(READ));
        JsonNode third = run();
        assertThat(third.get("conflicts").asLong()).isZero();
        assertThat(third.get("read_calls").asLong()).as("the retried read-back counts twice").isEqualTo(2);
        assertCallsMatchTheSandbox(third);
        assertThat(contact(1).property("jobtitle")).contains("CRO");
        assertThat(contact(2).property("jobtitle")).contains("Founder");
        assertThat(number(contact(2), "churn_risk_score")).isEqualByComparingTo("0.25");

        // Run 4: the warehouse says something new for contact 2's title: written, since the person left it alone.
        setCsv(2, Map.of("job_title", "Chair"));
        JsonNode fourth = run();
        assertThat(fourth.get("conflicts").asLong()).isZero();
        assertCallsMatchTheSandbox(fourth);
        assertThat(contact(2).property("jobtitle")).contains("Chair");
        assertThat(conflicts()).isEmpty();
        assertThat(ebb.run("conflicts", "-p", p).out()).contains("No open conflicts.");
    }

    // ---- the CLI ------------------------------------------------------------------------------------------------

    /** Runs the sync and returns its entry in {@code ebb runs --json}, after checking the run's own report. */
    private JsonNode run() throws IOException {
        sandbox.clearRequests();
        CliRunner.Result run = ebb.run("run", "-p", p, SYNC, "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        long runId = json(run).get("run_id").asLong();
        CliRunner.Result runs = ebb.run("runs", "-p", p, SYNC, "--json");
        assertThat(runs.exitCode()).as(runs.toString()).isZero();
        return StreamSupport.stream(json(runs).get("runs").spliterator(), false)
                .filter(r -> r.get("run_id").asLong() == runId).findFirst().orElseThrow();
    }

    /** The run's reported calls are the sandbox's: every vendor request, and every batch read among them. */
    private void assertCallsMatchTheSandbox(JsonNode run) {
        assertThat(run.get("read_calls").asLong()).as("read_calls = the sandbox's batch/read requests")
                .isEqualTo(sandbox.requestCount(READ));
        assertThat(run.get("api_calls").asLong()).as("api_calls = every request the sandbox saw: %s",
                sandbox.countsByPath()).isEqualTo(sandbox.requestCount());
    }

    private List<JsonNode> conflicts() throws IOException {
        CliRunner.Result result = ebb.run("conflicts", "-p", p, SYNC, "--json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<JsonNode> list = new ArrayList<>();
        json(result).get("conflicts").forEach(list::add);
        return list;
    }

    // ---- HubSpot, as a person uses it -------------------------------------------------------------------------

    /** A person changes properties of a contact through HubSpot's API; {@code ""} clears one. */
    private void personEdits(int customer, Map<String, String> properties) throws Exception {
        String id = contact(customer).id();
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/crm/v3/objects/contacts/" + id))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("properties", properties))))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private HubSpotRecord contact(int customer) {
        return sandbox.findRecord("contacts", "email", "customer" + customer + "@example.com").orElseThrow();
    }

    private static BigDecimal number(HubSpotRecord record, String property) {
        return new BigDecimal(record.property(property).orElseThrow());
    }

    // ---- the warehouse (a CSV file) ---------------------------------------------------------------------------

    private Path csvFile() {
        return project.resolve("data/customers.csv");
    }

    private Map<String, String> csv(int customer) throws IOException {
        List<String> lines = Files.readAllLines(csvFile());
        List<String> header = Arrays.asList(lines.getFirst().split(",", -1));
        String prefix = "customer" + customer + "@example.com,";
        String line = lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        String[] values = line.split(",", -1);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) row.put(header.get(i), values[i]);
        return row;
    }

    private void setCsv(int customer, Map<String, String> changes) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(csvFile()));
        List<String> header = Arrays.asList(lines.getFirst().split(",", -1));
        String prefix = "customer" + customer + "@example.com,";
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).startsWith(prefix)) continue;
            String[] values = lines.get(i).split(",", -1);
            changes.forEach((column, value) -> values[header.indexOf(column)] = value);
            lines.set(i, String.join(",", values));
        }
        Files.write(csvFile(), lines);
    }

    private void appendCsv(String line) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(csvFile()));
        lines.add(line);
        Files.write(csvFile(), lines);
    }
}
