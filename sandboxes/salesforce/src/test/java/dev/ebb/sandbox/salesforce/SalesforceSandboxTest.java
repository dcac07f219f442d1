package dev.ebb.sandbox.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.SandboxProvider;
import dev.ebb.sandbox.salesforce.TestingClient.Answer;
import dev.ebb.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.ebb.sandbox.salesforce.TestingClient.DATA;
import static dev.ebb.sandbox.salesforce.TestingClient.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sandbox's REST API: describe, sObject Collections, single records, SOQL, limits, faults and the
 * {@code /_sandbox/} routes, spoken to over HTTP as any Salesforce client would.
 */
class SalesforceSandboxTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T09:00:00Z"));
    private SalesforceSandbox sandbox;
    private TestingClient client;

    @BeforeEach
    void start() throws Exception {
        start(SalesforceSandbox.builder());
    }

    private void start(SalesforceSandbox.Builder builder) throws Exception {
        stop();
        sandbox = builder.clock(clock)
                .field("Contact", SalesforceField.text("Customer_Key__c", 80).externalId().unique())
                .field("Contact", SalesforceField.number("Churn_Risk_Score__c", 5, 3))
                .field("Contact", SalesforceField.picklist("Plan__c", "Free", "Pro").restricted())
                .build();
        sandbox.start();
        client = new TestingClient(sandbox).signIn();
    }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (sandbox != null) sandbox.close();
        client = null;
        sandbox = null;
    }

    private static String contact(String key, String lastName, String extra) {
        return "{\"attributes\":{\"type\":\"Contact\"},\"Customer_Key__c\":\"" + key + "\""
                + (lastName == null ? "" : ",\"LastName\":\"" + lastName + "\"") + (extra == null ? "" : "," + extra) + "}";
    }

    private Answer upsert(String... records) {
        return client.json("PATCH", DATA + "/composite/sobjects/Contact/Customer_Key__c",
                "{\"allOrNone\":false,\"records\":[" + String.join(",", records) + "]}");
    }

    private static JsonNode firstError(JsonNode result) {
        return result.get("errors").get(0);
    }

    // ---- describe -----------------------------------------------------------------------------------------

    @Test
    void describeReportsFieldsWithTheirTypesAndFlags() {
        Answer answer = client.get(DATA + "/sobjects/Contact/describe");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("name").asText()).isEqualTo("Contact");
        assertThat(body.get("keyPrefix").asText()).isEqualTo("003");
        Map<String, JsonNode> fields = new java.util.HashMap<>();
        body.get("fields").forEach(f -> fields.put(f.get("name").asText(), f));

        assertThat(fields.get("Id").get("type").asText()).isEqualTo("id");
        assertThat(fields.get("Id").get("idLookup").asBoolean()).isTrue();
        assertThat(fields.get("LastName").get("nillable").asBoolean()).as("LastName is required").isFalse();
        assertThat(fields.get("LastName").get("length").asInt()).isEqualTo(80);
        assertThat(fields.get("Email").get("type").asText()).isEqualTo("email");
        assertThat(fields.get("Email").get("idLookup").asBoolean()).isTrue();
        assertThat(fields.get("Name").get("createable").asBoolean()).isFalse();
        assertThat(fields.get("Customer_Key__c").get("externalId").asBoolean()).isTrue();
        assertThat(fields.get("Customer_Key__c").get("unique").asBoolean()).isTrue();
        assertThat(fields.get("Customer_Key__c").get("custom").asBoolean()).isTrue();
        assertThat(fields.get("Churn_Risk_Score__c").get("type").asText()).isEqualTo("double");
        assertThat(fields.get("Churn_Risk_Score__c").get("scale").asInt()).isEqualTo(3);
        assertThat(fields.get("HasOptedOutOfEmail").get("type").asText()).isEqualTo("boolean");
        assertThat(fields.get("Plan__c").get("restrictedPicklist").asBoolean()).isTrue();
        assertThat(fields.get("Plan__c").get("picklistValues").findValuesAsText("value")).containsExactly("Free", "Pro");
        assertThat(fields.get("CreatedDate").get("updateable").asBoolean()).isFalse();
    }

    @Test
    void anUnknownObjectIsNotFound() {
        Answer answer = client.get(DATA + "/sobjects/Nope__c/describe");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get(0).get("errorCode").asText()).isEqualTo("NOT_FOUND");
        assertThat(client.get("/services/data/v12.0/sobjects").status()).as("an unsupported API version").isEqualTo(404);
    }

    // ---- sObject Collections ------------------------------------------------------------------------------

    @Test
    void upsertCreatesThenUpdatesAndSaysWhich() {
        Answer first = upsert(contact("K-1", "Lovelace", "\"Churn_Risk_Score__c\":0.4041"), contact("K-2", "Hopper", null));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get(0).get("success").asBoolean()).isTrue();
        assertThat(first.json().get(0).get("created").asBoolean()).isTrue();
        String id = first.json().get(0).get("id").asText();
        assertThat(id).hasSize(18).startsWith("003");

        Answer second = upsert(contact("k-1", null, "\"FirstName\":\"Ada\""));
        assertThat(second.json().get(0).get("created").asBoolean()).as("External IDs match case-blind").isFalse();
        assertThat(second.json().get(0).get("id").asText()).isEqualTo(id);
        SalesforceRecord stored = sandbox.record("Contact", id).orElseThrow();
        assertThat(stored.text("Name")).contains("Ada Lovelace");
        assertThat(stored.value("Churn_Risk_Score__c")).as("rounded to the field's scale").contains(new BigDecimal("0.404"));
        assertThat(sandbox.recordCount("Contact")).isEqualTo(2);
    }

    @Test
    void invalidRecordsAreRefusedOneByOneWithSalesforcesCodes() {
        Answer answer = upsert(
                contact("K-1", "Fine", null),
                contact("K-2", null, null),
                contact("K-3", "Bad", "\"Email\":\"not-an-email\""),
                contact("K-4", "Long".repeat(30), null),
                contact("K-5", "Pick", "\"Plan__c\":\"Gold\""),
                contact("K-6", "Big", "\"Churn_Risk_Score__c\":123.5"),
                contact("K-7", "Stamp", "\"CreatedDate\":\"2020-01-01T00:00:00Z\""));
        assertThat(answer.status()).isEqualTo(200);
        JsonNode results = answer.json();
        assertThat(results.get(0).get("success").asBoolean()).isTrue();
        assertThat(results.get(1).get("success").asBoolean()).isFalse();
        assertThat(results.get(1).has("id")).isFalse();
        assertThat(firstError(results.get(1)).get("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(firstError(results.get(1)).get("message").asText()).isEqualTo("Required fields are missing: [LastName]");
        assertThat(firstError(results.get(1)).get("fields").get(0).asText()).isEqualTo("LastName");
        assertThat(firstError(results.get(2)).get("statusCode").asText()).isEqualTo("INVALID_EMAIL_ADDRESS");
        assertThat(firstError(results.get(2)).get("message").asText()).isEqualTo("Email: invalid email address: not-an-email");
        assertThat(firstError(results.get(3)).get("statusCode").asText()).isEqualTo("STRING_TOO_LONG");
        assertThat(firstError(results.get(4)).get("statusCode").asText()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(firstError(results.get(5)).get("statusCode").asText()).isEqualTo("NUMBER_OUTSIDE_VALID_RANGE");
        assertThat(firstError(results.get(6)).get("statusCode").asText()).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");
        assertThat(sandbox.recordCount("Contact")).isEqualTo(1);
    }

    @Test
    void anExternalIdGivenTwiceInOneRequestFailsBothRecords() {
        JsonNode results = upsert(contact("K-1", "A", null), contact("K-1", "B", null), contact("K-2", "C", null)).json();
        assertThat(firstError(results.get(0)).get("statusCode").asText()).isEqualTo("DUPLICATE_VALUE");
        assertThat(firstError(results.get(0)).get("message").asText()).isEqualTo("Duplicate external id specified: K-1");
        assertThat(firstError(results.get(1)).get("statusCode").asText()).isEqualTo("DUPLICATE_VALUE");
        assertThat(results.get(2).get("success").asBoolean()).isTrue();
    }

    @Test
    void severalRecordsHoldingAnIdLookupValueAreADuplicateExternalId() {
        sandbox.createRecord("Contact", Map.of("LastName", "One", "Email", "twin@example.com"));
        sandbox.createRecord("Contact", Map.of("LastName", "Two", "Email", "twin@example.com"));
        JsonNode result = client.json("PATCH", DATA + "/composite/sobjects/Contact/Email",
                "{\"records\":[{\"attributes\":{\"type\":\"Contact\"},\"Email\":\"twin@example.com\",\"Title\":\"X\"}]}")
                .json().get(0);
        assertThat(firstError(result).get("statusCode").asText()).isEqualTo("DUPLICATE_EXTERNAL_ID");
    }

    @Test
    void createRefusesAUniqueValueAnotherRecordHolds() {
        String existing = sandbox.createRecord("Contact", Map.of("LastName", "A", "Customer_Key__c", "K-1")).id();
        JsonNode results = client.json("POST", DATA + "/composite/sobjects", "{\"allOrNone\":false,\"records\":["
                + contact("K-1", "B", null) + "," + contact("K-2", "C", null) + "]}").json();
        assertThat(firstError(results.get(0)).get("statusCode").asText()).isEqualTo("DUPLICATE_VALUE");
        assertThat(firstError(results.get(0)).get("message").asText())
                .isEqualTo("duplicate value found: Customer_Key__c duplicates value on record with id: " + existing);
        assertThat(results.get(1).get("success").asBoolean()).isTrue();
    }

    @Test
    void allOrNoneRollsEveryRecordBack() {
        Answer answer = client.json("POST", DATA + "/composite/sobjects", "{\"allOrNone\":true,\"records\":["
                + contact("K-1", "Good", null) + "," + contact("K-2", null, null) + "]}");
        JsonNode results = answer.json();
        assertThat(firstError(results.get(0)).get("statusCode").asText()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(firstError(results.get(1)).get("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(sandbox.recordCount("Contact")).isZero();
    }

    @Test
    void moreThan200RecordsAreRefusedAsAWhole() {
        String records = String.join(",", IntStream.range(0, 201).mapToObj(i -> contact("K-" + i, "N", null)).toList());
        Answer answer = upsert(records);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get(0).get("errorCode").asText()).isEqualTo("EXCEEDED_ID_LIMIT");
        assertThat(answer.json().get(0).get("message").asText())
                .isEqualTo("record limit reached. cannot submit more than 200 records into this call");
        assertThat(sandbox.recordCount("Contact")).isZero();
    }

    @Test
    void whatTheDeserializerCannotReadFailsTheWholeRequest() {
        Answer unknownField = upsert(contact("K-1", "A", "\"Nope__c\":1"));
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(unknownField.json().get(0).get("message").asText())
                .isEqualTo("No such column 'Nope__c' on sobject of type Contact");

        Answer word = upsert(contact("K-1", "A", "\"Churn_Risk_Score__c\":\"lots\""));
        assertThat(word.status()).isEqualTo(400);
        assertThat(word.json().get(0).get("errorCode").asText()).isEqualTo("JSON_PARSER_ERROR");
        assertThat(word.json().get(0).get("message").asText())
                .startsWith("Cannot deserialize instance of double from VALUE_STRING value lots");

        Answer notJson = client.json("POST", DATA + "/composite/sobjects", "{\"records\": [");
        assertThat(notJson.json().get(0).get("errorCode").asText()).isEqualTo("JSON_PARSER_ERROR");

        Answer notExternal = client.json("PATCH", DATA + "/composite/sobjects/Contact/FirstName",
                "{\"records\":[" + contact("K-1", "A", null) + "]}");
        assertThat(notExternal.status()).isEqualTo(400);
        assertThat(notExternal.json().get(0).get("message").asText())
                .isEqualTo("Field name provided, FirstName is not an External ID or indexed field for Contact");
        assertThat(sandbox.recordCount("Contact")).isZero();
    }

    @Test
    void updateByIdAndItsRefusals() {
        String id = sandbox.createRecord("Contact", Map.of("LastName", "A")).id();
        String deleted = sandbox.createRecord("Contact", Map.of("LastName", "B")).id();
        assertThat(client.delete(DATA + "/sobjects/Contact/" + deleted).status()).isEqualTo(204);

        JsonNode results = client.json("PATCH", DATA + "/composite/sobjects", "{\"allOrNone\":false,\"records\":["
                + "{\"attributes\":{\"type\":\"Contact\"},\"id\":\"" + id + "\",\"Title\":\"CTO\"},"
                + "{\"attributes\":{\"type\":\"Contact\"},\"id\":\"003xx\",\"Title\":\"X\"},"
                + "{\"attributes\":{\"type\":\"Contact\"},\"Title\":\"X\"},"
                + "{\"attributes\":{\"type\":\"Contact\"},\"id\":\"" + deleted + "\",\"Title\":\"X\"},"
                + "{\"attributes\":{\"type\":\"Contact\"},\"id\":\"" + id + "\",\"LastName\":null}]}").json();
        assertThat(results.get(0).get("success").asBoolean()).isTrue();
        assertThat(firstError(results.get(1)).get("statusCode").asText()).isEqualTo("MALFORMED_ID");
        assertThat(firstError(results.get(2)).get("statusCode").asText()).isEqualTo("MISSING_ARGUMENT");
        assertThat(firstError(results.get(3)).get("statusCode").asText()).isEqualTo("ENTITY_IS_DELETED");
        assertThat(firstError(results.get(4)).get("statusCode").asText()).as("clearing a required field")
                .isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(sandbox.record("Contact", id).orElseThrow().text("Title")).contains("CTO");
        assertThat(sandbox.record("Contact", id.substring(0, 15)).orElseThrow().id()).as("15-character ids work")
                .isEqualTo(id);
    }

    @Test
    void deleteByIdsAnswersInOrder() {
        String a = sandbox.createRecord("Contact", Map.of("LastName", "A")).id();
        String b = sandbox.createRecord("Contact", Map.of("LastName", "B")).id();
        JsonNode first = client.delete(DATA + "/composite/sobjects?ids=" + a + "," + b + "&allOrNone=false").json();
        assertThat(first.get(0).get("id").asText()).isEqualTo(a);
        assertThat(first.get(1).get("success").asBoolean()).isTrue();
        JsonNode again = client.delete(DATA + "/composite/sobjects?ids=" + a + ",bogus&allOrNone=false").json();
        assertThat(firstError(again.get(0)).get("statusCode").asText()).isEqualTo("ENTITY_IS_DELETED");
        assertThat(firstError(again.get(1)).get("statusCode").asText()).isEqualTo("MALFORMED_ID");
        assertThat(sandbox.recordCount("Contact")).isZero();
    }

    @Test
    void retrieveByBodyAnswersTheRecordsInOrderWithNullForAnIdNotFound() {
        String a = sandbox.createRecord("Contact", Map.of("LastName", "A", "Customer_Key__c", "K-A")).id();
        String b = sandbox.createRecord("Contact", Map.of("LastName", "B")).id();
        String missing = a.substring(0, 3) + "000000000000ZZZ";

        Answer answer = client.json("POST", DATA + "/composite/sobjects/Contact",
                "{\"ids\":[\"" + a + "\",\"" + missing + "\",\"" + b.substring(0, 15) + "\"],"
                        + "\"fields\":[\"Id\",\"LastName\",\"Customer_Key__c\"]}");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode records = answer.json();
        assertThat(records).as("one entry per id passed").hasSize(3);
        assertThat(records.get(0).get("attributes").get("type").asText()).isEqualTo("Contact");
        assertThat(records.get(0).get("attributes").get("url").asText()).isEqualTo(DATA + "/sobjects/Contact/" + a);
        assertThat(records.get(0).get("Id").asText()).isEqualTo(a);
        assertThat(records.get(0).get("LastName").asText()).isEqualTo("A");
        assertThat(records.get(0).get("Customer_Key__c").asText()).isEqualTo("K-A");
        assertThat(records.get(1).isNull()).as("an id not found is null").isTrue();
        assertThat(records.get(2).get("Id").asText()).as("a 15-character id finds its record").isEqualTo(b);
        assertThat(records.get(2).get("Customer_Key__c").isNull()).isTrue();
        assertThat(records.get(2).has("Email")).as("only the fields asked for").isFalse();

        Answer noFields = client.json("POST", DATA + "/composite/sobjects/Contact", "{\"ids\":[\"" + a + "\"]}");
        assertThat(noFields.status()).isEqualTo(400);
        assertThat(noFields.json().get(0).get("errorCode").asText()).isEqualTo("MISSING_ARGUMENT");
        Answer badField = client.json("POST", DATA + "/composite/sobjects/Contact",
                "{\"ids\":[\"" + a + "\"],\"fields\":[\"Nope__c\"]}");
        assertThat(badField.status()).isEqualTo(400);
        assertThat(badField.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
    }

    @Test
    void lockedRowsAreRefusedWithUnableToLockRow() {
        sandbox.lockNextRecords(1);
        JsonNode results = upsert(contact("K-1", "A", null), contact("K-2", "B", null)).json();
        assertThat(firstError(results.get(0)).get("statusCode").asText()).isEqualTo("UNABLE_TO_LOCK_ROW");
        assertThat(results.get(1).get("success").asBoolean()).isTrue();
    }

    // ---- single records -----------------------------------------------------------------------------------

    @Test
    void singleRecordEndpoints() {
        Answer created = client.json("POST", DATA + "/sobjects/Contact", "{\"LastName\":\"Turing\",\"Email\":\"at@example.com\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        Answer read = client.get(DATA + "/sobjects/Contact/" + id + "?fields=LastName,Email");
        assertThat(read.json().get("attributes").get("type").asText()).isEqualTo("Contact");
        assertThat(read.json().get("Email").asText()).isEqualTo("at@example.com");
        assertThat(read.json().has("FirstName")).isFalse();

        assertThat(client.json("PATCH", DATA + "/sobjects/Contact/" + id, "{\"Title\":\"Dr\"}").status()).isEqualTo(204);
        Answer refused = client.json("PATCH", DATA + "/sobjects/Contact/" + id, "{\"Email\":\"nope\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_EMAIL_ADDRESS");
        assertThat(refused.json().get(0).get("fields").get(0).asText()).isEqualTo("Email");

        Answer upsertNew = client.json("PATCH", DATA + "/sobjects/Contact/Customer_Key__c/K-9", "{\"LastName\":\"N\"}");
        assertThat(upsertNew.status()).isEqualTo(201);
        assertThat(upsertNew.json().get("created").asBoolean()).isTrue();
        Answer upsertOld = client.json("PATCH", DATA + "/sobjects/Contact/Customer_Key__c/K-9", "{\"Title\":\"T\"}");
        assertThat(upsertOld.status()).isEqualTo(200);
        assertThat(upsertOld.json().get("created").asBoolean()).isFalse();
        assertThat(client.json("PATCH", DATA + "/sobjects/Contact/Customer_Key__c/K-10?updateOnly=true",
                "{\"LastName\":\"N\"}").status()).as("updateOnly never creates").isEqualTo(404);
        assertThat(client.get(DATA + "/sobjects/Contact/Customer_Key__c/K-9").json().get("Title").asText()).isEqualTo("T");

        assertThat(client.delete(DATA + "/sobjects/Contact/" + id).status()).isEqualTo(204);
        assertThat(client.get(DATA + "/sobjects/Contact/" + id).status()).isEqualTo(404);
        Answer again = client.delete(DATA + "/sobjects/Contact/" + id);
        assertThat(again.json().get(0).get("errorCode").asText()).isEqualTo("ENTITY_IS_DELETED");
    }

    // ---- SOQL ---------------------------------------------------------------------------------------------

    @Test
    void soqlSelectsFiltersAndCounts() {
        sandbox.createRecord("Contact", Map.of("LastName", "A", "Customer_Key__c", "K-1", "Churn_Risk_Score__c", "0.5"));
        sandbox.createRecord("Contact", Map.of("LastName", "B", "Customer_Key__c", "K-2", "Churn_Risk_Score__c", "0.9"));
        sandbox.createRecord("Contact", Map.of("LastName", "C", "Customer_Key__c", "O'Brien"));

        JsonNode in = client.get(q("SELECT Id, Customer_Key__c FROM Contact WHERE Customer_Key__c IN ('k-1','O\\'Brien') "
                + "ORDER BY Customer_Key__c")).json();
        assertThat(in.get("totalSize").asInt()).isEqualTo(2);
        assertThat(in.get("done").asBoolean()).isTrue();
        assertThat(in.get("records").findValuesAsText("Customer_Key__c")).containsExactly("K-1", "O'Brien");
        assertThat(in.get("records").get(0).get("attributes").get("type").asText()).isEqualTo("Contact");

        JsonNode range = client.get(q("select LastName from Contact where Churn_Risk_Score__c > 0.6 and LastName != null"))
                .json();
        assertThat(range.get("records").findValuesAsText("LastName")).containsExactly("B");
        assertThat(client.get(q("SELECT COUNT() FROM Contact")).json().get("totalSize").asInt()).isEqualTo(3);

        Answer badField = client.get(q("SELECT Nope FROM Contact"));
        assertThat(badField.status()).isEqualTo(400);
        assertThat(badField.json().get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(client.get(q("SELECT Id FROM Nope__c")).json().get(0).get("errorCode").asText()).isEqualTo("INVALID_TYPE");
        assertThat(client.get(q("SELECT Id FROM Contact WHERE")).json().get(0).get("errorCode").asText())
                .isEqualTo("MALFORMED_QUERY");
    }

    @Test
    void largeQueryResultsComeInPagesOf2000() {
        for (int i = 0; i < 2_001; i++) sandbox.createRecord("Contact", Map.of("LastName", "N" + i));
        JsonNode first = client.get(q("SELECT Id FROM Contact")).json();
        assertThat(first.get("totalSize").asInt()).isEqualTo(2_001);
        assertThat(first.get("done").asBoolean()).isFalse();
        assertThat(first.get("records")).hasSize(2_000);
        JsonNode second = client.get(first.get("nextRecordsUrl").asText()).json();
        assertThat(second.get("records")).hasSize(1);
        assertThat(second.get("done").asBoolean()).isTrue();
    }

    @Test
    void anOverlongUriIsRefused() {
        String values = String.join(",", IntStream.range(0, 2_000).mapToObj(i -> "'value-number-" + i + "'").toList());
        assertThat(client.get(q("SELECT Id FROM Contact WHERE LastName IN (" + values + ")")).status()).isEqualTo(414);
    }

    // ---- limits -------------------------------------------------------------------------------------------

    @Test
    void everyAnswerReportsTheDailyAllocationAndASpentOneIsA403() throws Exception {
        start(SalesforceSandbox.builder().dailyLimit(3));
        assertThat(client.get(DATA + "/sobjects").header("Sforce-Limit-Info")).isEqualTo("api-usage=1/3");
        assertThat(client.get(DATA + "/limits").json().get("DailyApiRequests").get("Remaining").asInt()).isEqualTo(1);
        assertThat(client.get(DATA + "/sobjects").header("Sforce-Limit-Info")).isEqualTo("api-usage=3/3");

        Answer refused = client.get(DATA + "/sobjects");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get(0).get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(refused.json().get(0).get("message").asText()).isEqualTo("TotalRequests Limit exceeded.");
        assertThat(refused.header("Sforce-Limit-Info")).isEqualTo("api-usage=3/3");
        assertThat(refused.header("Retry-After")).as("Salesforce sends no wait hint").isNull();

        clock.advance(Duration.ofHours(24));
        client.signIn();
        assertThat(client.get(DATA + "/sobjects").status()).as("the allocation rolls over 24 hours").isEqualTo(200);
    }

    @Test
    void faultsSpeakSalesforce() {
        sandbox.inject(Fault.throttle(1));
        Answer throttled = client.get(DATA + "/sobjects");
        assertThat(throttled.status()).isEqualTo(403);
        assertThat(throttled.json().get(0).get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(throttled.json().get(0).get("message").asText()).isEqualTo("ConcurrentPerOrgLongTxn Limit exceeded.");
        assertThat(throttled.header("Sforce-Limit-Info")).isEqualTo("api-usage=0/100000");

        sandbox.inject(Fault.status(503, 1));
        Answer unavailable = client.get(DATA + "/sobjects");
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.json().get(0).get("errorCode").asText()).isEqualTo("SERVER_UNAVAILABLE");
        assertThat(sandbox.countsByStatus()).containsEntry(403, 1L).containsEntry(503, 1L);
    }

    // ---- /_sandbox/ ---------------------------------------------------------------------------------------

    @Test
    void theSandboxApiInspectsAndShapesTheOrg() {
        TestingClient anonymous = new TestingClient(sandbox);
        Answer object = anonymous.json("POST", "/_sandbox/objects", "{\"name\":\"Churn_Signal__c\",\"fields\":["
                + "{\"name\":\"Signal_Key__c\",\"type\":\"string\",\"length\":40,\"externalId\":true,\"unique\":true}]}");
        assertThat(object.status()).as(object.body()).isEqualTo(201);
        Answer field = anonymous.json("POST", "/_sandbox/fields/Churn_Signal__c",
                "{\"name\":\"Level__c\",\"type\":\"picklist\",\"picklistValues\":[\"Low\",\"High\"],\"restricted\":true}");
        assertThat(field.status()).isEqualTo(201);
        assertThat(field.json().get("restrictedPicklist").asBoolean()).isTrue();

        JsonNode created = client.json("PATCH", DATA + "/composite/sobjects/Churn_Signal__c/Signal_Key__c",
                "{\"records\":[{\"attributes\":{\"type\":\"Churn_Signal__c\"},\"Signal_Key__c\":\"S-1\",\"Name\":\"s\","
                        + "\"Level__c\":\"High\"}]}").json().get(0);
        assertThat(created.get("success").asBoolean()).as(created.toString()).isTrue();
        assertThat(created.get("id").asText()).startsWith("a0");

        JsonNode dump = anonymous.get("/_sandbox/objects/Churn_Signal__c").json();
        assertThat(dump.get("total").asInt()).isEqualTo(1);
        assertThat(dump.get("records").get(0).get("Level__c").asText()).isEqualTo("High");
        assertThat(anonymous.get("/_sandbox/limits").json().get("apiRequests").get("used").asInt()).isEqualTo(1);
        assertThat(anonymous.delete("/_sandbox/limits").status()).isEqualTo(204);
        assertThat(sandbox.apiRequestsUsed()).isZero();

        assertThat(anonymous.json("POST", "/_sandbox/locks", "{\"count\":1}").status()).isEqualTo(201);
        JsonNode locked = client.json("PATCH", DATA + "/composite/sobjects/Churn_Signal__c/Signal_Key__c",
                "{\"records\":[{\"attributes\":{\"type\":\"Churn_Signal__c\"},\"Signal_Key__c\":\"S-1\"}]}").json().get(0);
        assertThat(firstError(locked).get("statusCode").asText()).isEqualTo("UNABLE_TO_LOCK_ROW");

        assertThat(anonymous.delete("/_sandbox/sessions").status()).isEqualTo(204);
        assertThat(client.get(DATA + "/sobjects").status()).isEqualTo(401);
        assertThat(sandbox.requestCount("/_sandbox")).as("the sandbox API is never logged").isZero();
        anonymous.close();
    }

    // ---- options and ids ----------------------------------------------------------------------------------

    @Test
    void optionsConfigureTheSandbox() {
        try (SalesforceSandbox configured = SalesforceSandbox.fromOptions(0, Map.of(
                "objects", "Renewal__c",
                "fields", "Contact.Customer_Key__c:string(80):external:unique,Renewal__c.Amount__c:currency(16,2):required,"
                        + "Contact.Plan__c:picklist(Free|Pro|Team):restricted",
                "daily_limit", "500", "client_id", "my-app"))) {
            assertThat(configured.objects()).containsExactly("Account", "Contact", "Renewal__c");
            SalesforceField amount = configured.fields("Renewal__c").stream()
                    .filter(f -> f.name().equals("Amount__c")).findFirst().orElseThrow();
            assertThat(amount.type()).isEqualTo(SalesforceField.Type.CURRENCY);
            assertThat(amount.isRequired()).isTrue();
            SalesforceField plan = configured.fields("Contact").stream()
                    .filter(f -> f.name().equals("Plan__c")).findFirst().orElseThrow();
            assertThat(plan.picklistValues()).containsExactly("Free", "Pro", "Team");
            assertThat(configured.clientId()).isEqualTo("my-app");
        }
        assertThatThrownBy(() -> SalesforceSandbox.fromOptions(0, Map.of("tier", "x")))
                .hasMessageContaining("unknown salesforce sandbox option 'tier'");
        assertThatThrownBy(() -> SalesforceSandbox.fromOptions(0, Map.of("fields", "Contact.X__c:blob")))
                .hasMessageContaining("unknown field type 'blob'");
        assertThat(SandboxProvider.find("salesforce")).isPresent();
    }

    @Test
    void idsCarryTheirCaseInTheSuffix() {
        // The example of Salesforce's help article on 15- and 18-character ids.
        assertThat(SalesforceIds.suffix("001D000000IqhSL")).isEqualTo("IAZ");
        assertThat(SalesforceIds.normalize("001d000000iqhsliaz")).contains("001D000000IqhSLIAZ");
        assertThat(SalesforceIds.normalize("001D000000IqhSL")).contains("001D000000IqhSLIAZ");
        assertThat(SalesforceIds.normalize("001D000000IqhSLAAA")).as("the suffix says which letters are upper case")
                .contains("001d000000iqhslAAA");
        assertThat(SalesforceIds.normalize("001D000000IqhSL999")).as("not a suffix").isEmpty();
        assertThat(SalesforceIds.normalize("001D000000IqhS")).as("too short").isEmpty();
        assertThat(SalesforceIds.normalize(SalesforceSandbox.DEFAULT_ORG_ID)).as("the default org id is well formed")
                .contains(SalesforceSandbox.DEFAULT_ORG_ID);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 100; i++) made.add(SalesforceIds.make("003", i));
        assertThat(made).doesNotHaveDuplicates().allSatisfy(id -> assertThat(SalesforceIds.normalize(id)).contains(id));
    }
}
