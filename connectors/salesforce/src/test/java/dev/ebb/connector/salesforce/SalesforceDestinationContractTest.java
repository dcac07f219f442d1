package dev.ebb.connector.salesforce;

import dev.ebb.sandbox.SandboxServer;
import dev.ebb.sandbox.salesforce.SalesforceField;
import dev.ebb.sandbox.salesforce.SalesforceSandbox;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.FieldType;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.RecordInspector;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.LoggedRequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The shared destination contract, on contacts matched by a custom External ID ({@code Customer_Key__c}), signed in
 * with the JWT bearer flow, against an in-process sandbox. A batch over 200 records (one sObject Collections call)
 * goes through a Bulk API 2.0 job: the suite's asynchronous writes.
 */
class SalesforceDestinationContractTest extends DestinationContractTest<SalesforceSandbox> {
    /** Where the REST and Bulk APIs live; the token endpoint is elsewhere. */
    static final String API = "/services/data";

    static SalesforceSandbox.Builder contactSandbox() {
        return SalesforceSandbox.builder()
                .jwtKey(TestingKeys.TRUSTED.getPublic())
                .field("Contact", SalesforceField.text("Customer_Key__c", 80).externalId().unique())
                .field("Contact", SalesforceField.number("Churn_Risk_Score__c", 18, 4))
                .field("Contact", SalesforceField.datetime("Last_Seen_At__c"))
                .field("Contact", SalesforceField.picklist("Plan__c", "Free", "Pro", "Enterprise").restricted());
    }

    @Override
    protected SalesforceSandbox newSandbox() {
        return contactSandbox().build();
    }

    @Override
    protected DestinationConnector connector() {
        return new SalesforceConnector();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("client_id", SalesforceSandbox.DEFAULT_CLIENT_ID,
                "username", SalesforceSandbox.DEFAULT_USERNAME,
                "private_key", TestingKeys.privatePem(TestingKeys.TRUSTED),
                "login_url", sandbox().baseUrl());
    }

    /** A key whose certificate the connected app does not hold. */
    @Override
    protected Map<String, String> badCredentials() {
        return Map.of("private_key", TestingKeys.privatePem(TestingKeys.STRANGER));
    }

    @Override
    protected Subject subject() {
        return new Subject("Contact", "Customer_Key__c", n -> "K-" + n);
    }

    @Override
    protected Map<String, FieldType> fields() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        // The first field is the one the suite clears with null: FirstName may be empty, LastName may not.
        fields.put("FirstName", FieldType.STRING);
        fields.put("LastName", FieldType.STRING);
        fields.put("Churn_Risk_Score__c", FieldType.NUMBER);
        fields.put("HasOptedOutOfEmail", FieldType.BOOLEAN);
        fields.put("Birthdate", FieldType.DATE);
        fields.put("Last_Seen_At__c", FieldType.DATETIME);
        fields.put("Plan__c", FieldType.ENUMERATION);
        return fields;
    }

    @Override
    protected Map<String, Object> invalidFields() {
        return Map.of("Email", "not an email address");
    }

    @Override
    protected String rejectionReasonFragment() {
        return "INVALID_EMAIL_ADDRESS";
    }

    @Override
    protected RecordInspector inspector() {
        return new SandboxInspector(sandbox(), object(), matchField());
    }

    /** Sign-ins at the token endpoint are not API calls: they do not count against the org's allocation. */
    @Override
    protected boolean isApiRequest(LoggedRequest request) {
        return request.path().startsWith(API);
    }

    /** On the API, so that the fault hits the step and not a sign-in before it. */
    @Override
    protected Fault transientFault() {
        return Fault.status(503, 1).onPath(API);
    }

    /** Reads records straight from the sandbox. API calls are the requests under {@link #API}. */
    record SandboxInspector(SalesforceSandbox sandbox, String object, String matchField) implements RecordInspector {
        @Override
        public Optional<StoredRecord> find(String matchValue) {
            return sandbox.findRecord(object, matchField, matchValue).map(r -> new StoredRecord(r.id(), r.texts()));
        }

        @Override
        public int recordCount() {
            return sandbox.recordCount(object);
        }

        @Override
        public long apiCalls() {
            return sandbox.requestCount(API);
        }
    }
}
