package dev.ebb.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.LoggedRequest;
import dev.ebb.sandbox.salesforce.SalesforceField;
import dev.ebb.sandbox.salesforce.SalesforceRecord;
import dev.ebb.sandbox.salesforce.SalesforceSandbox;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the CLI over {@code examples/salesforce-churn} against an in-process Salesforce sandbox: the first load of
 * 300 customers goes through a Bulk API 2.0 job, the runs after it send only what changed through sObject
 * Collections, and a contact without a last name comes back refused with Salesforce's own reason.
 */
class SalesforceChurnEndToEndTest {
    static final String SYNC = "churn_to_contacts";
    static final String DATA = "/services/data/v62.0";
    static KeyPair keys;

    @TempDir
    Path scratch;

    SalesforceSandbox sandbox;
    CliRunner ebb;

    @BeforeAll
    static void makeKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    @BeforeEach
    void startSandbox() throws IOException {
        sandbox = SalesforceSandbox.builder()
                .jwtKey(keys.getPublic())
                .field("Contact", SalesforceField.text("Customer_Key__c", 20).externalId().unique())
                .field("Contact", SalesforceField.number("Churn_Risk_Score__c", 4, 3))
                .field("Contact", SalesforceField.currency("Lifetime_Value__c", 16, 2))
                .field("Contact", SalesforceField.picklist("Plan__c", "Free", "Starter", "Professional", "Enterprise")
                        .restricted())
                .build();
        sandbox.start();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        ebb = new CliRunner(Map.of(
                "SALESFORCE_CLIENT_ID", SalesforceSandbox.DEFAULT_CLIENT_ID,
                "SALESFORCE_USERNAME", SalesforceSandbox.DEFAULT_USERNAME,
                "SALESFORCE_PRIVATE_KEY", pem,
                "SALESFORCE_LOGIN_URL", sandbox.baseUrl()));
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    private List<String> dataCalls() {
        return sandbox.requests().stream().filter(r -> r.path().startsWith("/services/data"))
                .map(r -> r.method() + " " + r.path().replaceAll("/750[A-Za-z0-9]{15}", "/{job}")).toList();
    }

    private SalesforceRecord contact(String key) {
        return sandbox.findRecord("Contact", "Customer_Key__c", key).orElseThrow();
    }

    @Test
    void theFirstLoadTakesABulkJobAndLaterRunsSendOnlyTheChange() throws IOException {
        Path project = ExamplesEndToEndTest.copyExample("salesforce-churn", scratch);
        String p = project.toString();

        CliRunner.Result validate = ebb.run("validate", "-p", p);
        assertThat(validate.exitCode()).as(validate.toString()).isZero();

        CliRunner.Result plan = ebb.run("plan", "-p", p, SYNC, "--json");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(ExamplesEndToEndTest.json(plan).at("/counts/added").asLong()).isEqualTo(300);
        assertThat(ExamplesEndToEndTest.json(plan).at("/samples/0/operation").asText()).isEqualTo("upsert");
        assertThat(sandbox.recordCount("Contact")).as("a plan writes nothing").isZero();
        assertThat(dataCalls()).as("validate and plan only describe").allMatch(c -> c.endsWith("/describe"));

        // Run 1: 300 rows, above bulk_threshold (50): one Bulk API 2.0 ingest job, one call per step.
        sandbox.clearRequests();
        CliRunner.Result first = ebb.run("run", "-p", p, SYNC, "--json");
        assertThat(first.exitCode()).as("a rejected row makes the run exit 1: " + first).isEqualTo(1);
        JsonNode run1 = ExamplesEndToEndTest.json(first);
        assertThat(run1.get("delivered").asLong()).isEqualTo(299);
        assertThat(run1.get("rejected").asLong()).isEqualTo(1);
        assertThat(run1.get("problems").toString()).contains("rejected C-0042: REQUIRED_FIELD_MISSING: Required "
                + "fields are missing: [LastName] (fields: LastName)");
        assertThat(dataCalls()).containsExactly(
                "GET " + DATA + "/sobjects/Contact/describe",
                "POST " + DATA + "/jobs/ingest",
                "PUT " + DATA + "/jobs/ingest/{job}/batches",
                "PATCH " + DATA + "/jobs/ingest/{job}",
                "GET " + DATA + "/jobs/ingest/{job}",
                "GET " + DATA + "/jobs/ingest/{job}",
                "GET " + DATA + "/jobs/ingest/{job}/successfulResults",
                "GET " + DATA + "/jobs/ingest/{job}/failedResults");
        assertThat(run1.get("api_calls").asLong()).isEqualTo(dataCalls().size());
        assertThat(sandbox.requests()).filteredOn(r -> r.path().startsWith("/services/data"))
                .extracting(LoggedRequest::status).containsOnly(200, 201);
        JsonNode job = sandbox.jobs().getFirst();
        assertThat(job.get("operation").asText()).isEqualTo("upsert");
        assertThat(job.get("externalIdFieldName").asText()).isEqualTo("Customer_Key__c");
        assertThat(job.get("numberRecordsProcessed").asInt()).isEqualTo(300);
        assertThat(job.get("numberRecordsFailed").asInt()).isEqualTo(1);
        assertThat(sandbox.recordCount("Contact")).isEqualTo(299);

        String third = Files.readAllLines(project.resolve("data/customers.csv")).get(3);
        SalesforceRecord c3 = contact("C-0003");
        assertThat(third).startsWith("C-0003,");
        assertThat(c3.text("Email")).contains(third.split(",")[3]);
        assertThat(c3.value("Churn_Risk_Score__c")).contains(new BigDecimal(third.split(",")[4]).stripTrailingZeros());
        assertThat(c3.text("Plan__c")).contains(third.split(",")[6]);
        assertThat(c3.text("Name")).contains(third.split(",")[1] + " " + third.split(",")[2]);

        CliRunner.Result explain = ebb.run("explain", "-p", p, SYNC, "C-0042");
        assertThat(explain.out()).contains("REQUIRED_FIELD_MISSING");

        // Run 2: seven scores move; the refused row is tried again. Eight rows, under the threshold: one
        // sObject Collections upsert, and Salesforce refuses the contact without a last name again.
        ExamplesEndToEndTest.rewriteCsv(project.resolve("data/customers.csv"), lines -> {
            for (int i = 1; i <= 7; i++) {
                String[] cols = lines.get(i * 10).split(",", -1);
                cols[4] = "0.999";
                lines.set(i * 10, String.join(",", cols));
            }
            return lines;
        });
        sandbox.clearRequests();
        CliRunner.Result second = ebb.run("run", "-p", p, SYNC, "--json");
        JsonNode run2 = ExamplesEndToEndTest.json(second);
        assertThat(run2.get("changed").asLong()).isEqualTo(7);
        assertThat(run2.get("added").asLong()).as("the row refused last time").isEqualTo(1);
        assertThat(run2.get("unchanged").asLong()).isEqualTo(292);
        assertThat(run2.get("delivered").asLong()).isEqualTo(7);
        assertThat(run2.get("rejected").asLong()).isEqualTo(1);
        assertThat(dataCalls()).containsExactly(
                "GET " + DATA + "/sobjects/Contact/describe",
                "PATCH " + DATA + "/composite/sobjects/Contact/Customer_Key__c");
        assertThat(contact("C-0010").value("Churn_Risk_Score__c")).contains(new BigDecimal("0.999"));
        assertThat(sandbox.jobs()).as("no second Bulk job").hasSize(1);

        // Run 3: the last name is filled in; only that row is sent, and now Salesforce takes it.
        ExamplesEndToEndTest.rewriteCsv(project.resolve("data/customers.csv"), lines -> {
            lines.set(42, lines.get(42).replace("Edsger,,", "Edsger,Dijkstra,"));
            return lines;
        });
        sandbox.clearRequests();
        CliRunner.Result fixed = ebb.run("run", "-p", p, SYNC, "--json");
        assertThat(fixed.exitCode()).as(fixed.toString()).isZero();
        assertThat(ExamplesEndToEndTest.json(fixed).get("delivered").asLong()).isEqualTo(1);
        assertThat(sandbox.requestCount(DATA + "/composite/sobjects/Contact/Customer_Key__c")).isEqualTo(1);
        assertThat(contact("C-0042").text("LastName")).contains("Dijkstra");
        assertThat(sandbox.recordCount("Contact")).isEqualTo(300);

        // Nothing changed: a run costs the describe and no write.
        sandbox.clearRequests();
        CliRunner.Result idle = ebb.run("run", "-p", p, SYNC, "--json");
        assertThat(ExamplesEndToEndTest.json(idle).get("unchanged").asLong()).isEqualTo(300);
        assertThat(dataCalls()).containsExactly("GET " + DATA + "/sobjects/Contact/describe");
    }
}
