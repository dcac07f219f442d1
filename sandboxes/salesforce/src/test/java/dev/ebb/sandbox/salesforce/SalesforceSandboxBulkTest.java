package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.salesforce.TestingClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ebb.sandbox.salesforce.TestingClient.DATA;
import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox's Bulk API 2.0 ingest jobs: lifecycle, result files, refusals and the batch allocation. */
class SalesforceSandboxBulkTest {
    private static final String JOBS = DATA + "/jobs/ingest";
    private SalesforceSandbox sandbox;
    private TestingClient client;

    private void start(SalesforceSandbox.Builder builder) throws Exception {
        sandbox = builder.field("Contact", SalesforceField.text("Customer_Key__c", 80).externalId().unique())
                .field("Contact", SalesforceField.number("Churn_Risk_Score__c", 5, 3))
                .build();
        sandbox.start();
        client = new TestingClient(sandbox).signIn();
    }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (sandbox != null) sandbox.close();
    }

    private String createJob(String json) {
        Answer answer = client.json("POST", JOBS, json);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("id").asText();
    }

    private JsonNode runJob(String id, String csv) {
        assertThat(client.csv("PUT", JOBS + "/" + id + "/batches", csv).status()).isEqualTo(201);
        assertThat(client.json("PATCH", JOBS + "/" + id, "{\"state\":\"UploadComplete\"}").status()).isEqualTo(200);
        JsonNode info = client.get(JOBS + "/" + id).json();
        while (info.get("state").asText().equals("InProgress") || info.get("state").asText().equals("UploadComplete")) {
            info = client.get(JOBS + "/" + id).json();
        }
        return info;
    }

    private List<List<String>> results(String id, String file) {
        Answer answer = client.get(JOBS + "/" + id + "/" + file);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("text/csv");
        return UploadedCsv.rows(answer.body());
    }

    @Test
    void anUpsertJobMovesThroughItsStatesAndReportsEveryRow() throws Exception {
        start(SalesforceSandbox.builder().bulkPolls(1));
        Answer created = client.json("POST", JOBS, "{\"object\":\"Contact\",\"operation\":\"upsert\","
                + "\"externalIdFieldName\":\"Customer_Key__c\",\"contentType\":\"CSV\",\"lineEnding\":\"LF\"}");
        JsonNode job = created.json();
        assertThat(job.get("state").asText()).isEqualTo("Open");
        assertThat(job.get("id").asText()).startsWith("750").hasSize(18);
        assertThat(job.get("contentUrl").asText()).isEqualTo("services/data/v62.0/jobs/ingest/" + job.get("id").asText()
                + "/batches");
        assertThat(job.get("concurrencyMode").asText()).isEqualTo("Parallel");
        String id = job.get("id").asText();

        String csv = "Customer_Key__c,LastName,Email\nK-1,Lovelace,ada@example.com\nK-2,,grace@example.com\n"
                + "K-3,\"Hopper, Jr.\",not-an-email\n";
        assertThat(client.csv("PUT", JOBS + "/" + id + "/batches", csv).status()).isEqualTo(201);
        Answer twice = client.csv("PUT", JOBS + "/" + id + "/batches", csv);
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json().get(0).get("errorCode").asText()).isEqualTo("BULK_API_ERROR");
        assertThat(twice.json().get(0).get("message").asText()).startsWith("Found multiple contents for job");

        Answer closed = client.json("PATCH", JOBS + "/" + id, "{\"state\":\"UploadComplete\"}");
        assertThat(closed.json().get("state").asText()).isEqualTo("UploadComplete");
        assertThat(client.get(JOBS + "/" + id).json().get("state").asText()).isEqualTo("InProgress");
        assertThat(sandbox.recordCount("Contact")).as("nothing written while InProgress").isZero();
        JsonNode done = client.get(JOBS + "/" + id).json();
        assertThat(done.get("state").asText()).isEqualTo("JobComplete");
        assertThat(done.get("numberRecordsProcessed").asInt()).isEqualTo(3);
        assertThat(done.get("numberRecordsFailed").asInt()).isEqualTo(2);
        assertThat(done.get("jobType").asText()).isEqualTo("V2Ingest");

        List<List<String>> successes = results(id, "successfulResults");
        assertThat(successes.getFirst()).containsExactly("sf__Id", "sf__Created", "Customer_Key__c", "LastName", "Email");
        assertThat(successes).hasSize(2);
        assertThat(successes.get(1).get(1)).isEqualTo("true");
        assertThat(successes.get(1).get(2)).isEqualTo("K-1");
        assertThat(sandbox.record("Contact", successes.get(1).getFirst())).isPresent();

        List<List<String>> failures = results(id, "failedResults");
        assertThat(failures.getFirst()).containsExactly("sf__Id", "sf__Error", "Customer_Key__c", "LastName", "Email");
        assertThat(failures.get(1)).containsExactly("", "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --",
                "K-2", "", "grace@example.com");
        assertThat(failures.get(2).get(1)).isEqualTo("INVALID_EMAIL_ADDRESS:Email: invalid email address: not-an-email:Email --");
        assertThat(failures.get(2).get(3)).isEqualTo("Hopper, Jr.");
        assertThat(results(id, "unprocessedrecords")).hasSize(1);

        assertThat(client.delete(JOBS + "/" + id).status()).isEqualTo(204);
        assertThat(client.get(JOBS + "/" + id).status()).isEqualTo(404);
    }

    @Test
    void updateAndDeleteJobsAddressRecordsById() throws Exception {
        start(SalesforceSandbox.builder().bulkPolls(0));
        String a = sandbox.createRecord("Contact", Map.of("LastName", "A", "Title", "CEO", "Department", "Board")).id();
        String b = sandbox.createRecord("Contact", Map.of("LastName", "B")).id();

        String update = createJob("{\"object\":\"Contact\",\"operation\":\"update\"}");
        JsonNode info = runJob(update, "Id,Title,Department,Churn_Risk_Score__c\n" + a + ",CTO,#N/A,\n" + b + ",,,lots\n");
        assertThat(info.get("numberRecordsFailed").asInt()).isEqualTo(1);
        SalesforceRecord updated = sandbox.record("Contact", a).orElseThrow();
        assertThat(updated.text("Title")).contains("CTO");
        assertThat(updated.text("Department")).as("#N/A empties a field").isEmpty();
        assertThat(results(update, "failedResults").get(1).get(1))
                .isEqualTo("INVALID_TYPE_ON_FIELD_IN_RECORD:Churn Risk Score: value not of required type: lots:Churn_Risk_Score__c --");
        assertThat(results(update, "failedResults").get(1).getFirst()).as("a failed update names its record").isEqualTo(b);

        String delete = createJob("{\"object\":\"Contact\",\"operation\":\"delete\"}");
        assertThat(runJob(delete, "Id\n" + a + "\n").get("numberRecordsProcessed").asInt()).isEqualTo(1);
        assertThat(sandbox.record("Contact", a)).isEmpty();
    }

    @Test
    void aHeaderNamingAnUnknownFieldFailsTheJob() throws Exception {
        start(SalesforceSandbox.builder().bulkPolls(0));
        String id = createJob("{\"object\":\"Contact\",\"operation\":\"insert\"}");
        JsonNode info = runJob(id, "LastName,Nope__c\nA,1\nB,2\n");
        assertThat(info.get("state").asText()).isEqualTo("Failed");
        assertThat(info.get("errorMessage").asText()).isEqualTo("InvalidBatch : Field name not found : Nope__c");
        assertThat(results(id, "unprocessedrecords")).hasSize(3);
        assertThat(sandbox.recordCount("Contact")).isZero();
    }

    @Test
    void jobsAreCheckedWhenTheyAreCreated() throws Exception {
        start(SalesforceSandbox.builder());
        Answer noExternalId = client.json("POST", JOBS, "{\"object\":\"Contact\",\"operation\":\"upsert\"}");
        assertThat(noExternalId.status()).isEqualTo(400);
        assertThat(noExternalId.json().get(0).get("errorCode").asText()).isEqualTo("INVALIDJOB");
        assertThat(noExternalId.json().get(0).get("message").asText())
                .isEqualTo("External ID was blank for Contact. An External ID must be specified for upsert.");
        assertThat(client.json("POST", JOBS, "{\"object\":\"Nope__c\",\"operation\":\"insert\"}").json().get(0)
                .get("errorCode").asText()).isEqualTo("INVALIDENTITY");
        assertThat(client.json("POST", JOBS, "{\"object\":\"Contact\",\"operation\":\"merge\"}").json().get(0)
                .get("errorCode").asText()).isEqualTo("INVALIDJOB");
        String id = createJob("{\"object\":\"Contact\",\"operation\":\"insert\"}");
        assertThat(client.json("PATCH", JOBS + "/" + id, "{\"state\":\"UploadComplete\"}").status()).isEqualTo(200);
        Answer closedTwice = client.json("PATCH", JOBS + "/" + id, "{\"state\":\"UploadComplete\"}");
        assertThat(closedTwice.status()).isEqualTo(400);
        assertThat(closedTwice.json().get(0).get("errorCode").asText()).isEqualTo("INVALIDJOBSTATE");
        assertThat(client.csv("PUT", JOBS + "/" + id + "/batches", "LastName\nA\n").status()).as("upload after close")
                .isEqualTo(400);
    }

    @Test
    void jobsBeyondTheBatchAllocationFail() throws Exception {
        start(SalesforceSandbox.builder().bulkPolls(0).bulkBatches(1));
        String first = createJob("{\"object\":\"Contact\",\"operation\":\"insert\"}");
        assertThat(runJob(first, "LastName\nA\n").get("state").asText()).isEqualTo("JobComplete");
        assertThat(sandbox.bulkBatchesUsed()).isEqualTo(1);
        String second = createJob("{\"object\":\"Contact\",\"operation\":\"insert\"}");
        JsonNode info = runJob(second, "LastName\nB\n");
        assertThat(info.get("state").asText()).isEqualTo("Failed");
        assertThat(info.get("errorMessage").asText()).contains("batch allocation");
        assertThat(sandbox.recordCount("Contact")).isEqualTo(1);
        assertThat(client.get(DATA + "/limits").json().get("DailyBulkApiBatches").get("Remaining").asInt()).isZero();
    }
}
