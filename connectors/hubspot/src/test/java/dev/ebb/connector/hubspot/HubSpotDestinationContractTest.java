package dev.ebb.connector.hubspot;

import dev.ebb.sandbox.SandboxServer;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.FieldType;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.RecordInspector;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The shared destination contract, on HubSpot contacts matched by email, against an in-process sandbox. */
class HubSpotDestinationContractTest extends DestinationContractTest {
    private HubSpotSandbox sandbox;

    @Override
    protected void startSandbox() throws Exception {
        sandbox = HubSpotSandbox.builder().build();
        sandbox.createProperty("contacts", HubSpotProperty.of("ltv", "number"));
        sandbox.createProperty("contacts", HubSpotProperty.of("is_vip", "bool"));
        sandbox.createProperty("contacts", HubSpotProperty.of("renewal_date", "date"));
        sandbox.createProperty("contacts", HubSpotProperty.of("last_seen_at", "datetime"));
        sandbox.start();
    }

    @Override
    protected void stopSandbox() {
        if (sandbox != null) sandbox.close();
    }

    @Override
    protected DestinationConnector connector() {
        return new HubSpotConnector();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("token", HubSpotSandbox.DEFAULT_TOKEN, "base_url", sandbox.baseUrl());
    }

    @Override
    protected Map<String, String> settingsWithBadCredentials() {
        return Map.of("token", "not-the-sandbox-token", "base_url", sandbox.baseUrl());
    }

    @Override
    protected String object() {
        return "contacts";
    }

    @Override
    protected String matchField() {
        return "email";
    }

    @Override
    protected String matchValue(int n) {
        return "contract-" + n + "@example.com";
    }

    @Override
    protected Map<String, FieldType> fields() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("firstname", FieldType.STRING);
        fields.put("ltv", FieldType.NUMBER);
        fields.put("is_vip", FieldType.BOOLEAN);
        fields.put("renewal_date", FieldType.DATE);
        fields.put("last_seen_at", FieldType.DATETIME);
        fields.put("lifecyclestage", FieldType.ENUMERATION);
        return fields;
    }

    @Override
    protected Map<String, Object> invalidFields() {
        return Map.of("ltv", "a great deal");
    }

    @Override
    protected String rejectionReasonFragment() {
        return "INVALID_INTEGER";
    }

    @Override
    protected RecordInspector inspector() {
        return new SandboxInspector(sandbox, object(), matchField());
    }

    @Override
    protected SandboxServer sandbox() {
        return sandbox;
    }

    @Override
    protected Set<Behavior> unsupported() {
        // HubSpot archives by record id only, and one write is one call: no lookup by email first.
        return Set.of(Behavior.DELETE_BY_MATCH_VALUE);
    }

    /** Reads records straight from the sandbox's Java API. */
    record SandboxInspector(HubSpotSandbox sandbox, String object, String matchField) implements RecordInspector {
        @Override
        public Optional<StoredRecord> find(String matchValue) {
            return sandbox.findRecord(object, matchField, matchValue)
                    .map(r -> new StoredRecord(r.id(), r.properties()));
        }

        @Override
        public int recordCount() {
            return sandbox.recordCount(object);
        }

        @Override
        public long apiCalls() {
            return sandbox.requestCount();
        }
    }
}
