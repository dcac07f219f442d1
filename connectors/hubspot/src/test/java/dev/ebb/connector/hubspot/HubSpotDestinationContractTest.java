package dev.ebb.connector.hubspot;

import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import dev.ebb.spi.FieldType;
import dev.ebb.sandbox.SandboxServer;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.RecordInspector;

import java.util.LinkedHashMap;
import java.util.Map;

/** The shared destination contract, on HubSpot contacts matched by email, against an in-process sandbox. */
class HubSpotDestinationContractTest extends HubSpotContractTest {

    @Override
    protected HubSpotSandbox newSandbox() {
        HubSpotSandbox sandbox = HubSpotSandbox.builder().build();
        sandbox.createProperty("contacts", HubSpotProperty.of("ltv", "number"));
        sandbox.createProperty("contacts", HubSpotProperty.of("is_vip", "bool"));
        sandbox.createProperty("contacts", HubSpotProperty.of("renewal_date", "date"));
        sandbox.createProperty("contacts", HubSpotProperty.of("last_seen_at", "datetime"));
        return sandbox;
    }

    @Override
    protected Subject subject() {
        return new Subject("contacts", "email", n -> "contract-" + n + "@example.com");
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
}
