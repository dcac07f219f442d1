package dev.ebb.connector.hubspot;

import dev.ebb.sandbox.SandboxServer;
import dev.ebb.sandbox.hubspot.HubSpotProperty;
import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.FieldType;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.RecordInspector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shared destination contract on a custom object addressed by its object type id and matched by a
 * unique-value property: the path every account-specific HubSpot sync takes.
 */
class HubSpotCustomObjectContractTest extends DestinationContractTest {
    private HubSpotSandbox sandbox;
    private String objectTypeId;

    @Override
    protected void startSandbox() throws Exception {
        sandbox = HubSpotSandbox.builder().build();
        objectTypeId = sandbox.createCustomObject("cars", List.of(
                HubSpotProperty.of("vin", "string").unique(),
                HubSpotProperty.of("model", "string"),
                HubSpotProperty.of("price", "number"),
                HubSpotProperty.enumeration("fuel", "petrol", "diesel", "electric"))).objectTypeId();
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
        return Map.of("token", HubSpotSandbox.DEFAULT_TOKEN, "base_url", sandbox.baseUrl(), "tier", "enterprise");
    }

    @Override
    protected Map<String, String> settingsWithBadCredentials() {
        return Map.of("token", "expired", "base_url", sandbox.baseUrl());
    }

    @Override
    protected String object() {
        return objectTypeId;
    }

    @Override
    protected String matchField() {
        return "vin";
    }

    @Override
    protected String matchValue(int n) {
        return "WVWZZZ1JZ" + String.format("%08d", n);
    }

    @Override
    protected Map<String, FieldType> fields() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("model", FieldType.STRING);
        fields.put("price", FieldType.NUMBER);
        fields.put("fuel", FieldType.ENUMERATION);
        return fields;
    }

    @Override
    protected Map<String, Object> invalidFields() {
        return Map.of("fuel", "steam");
    }

    @Override
    protected String rejectionReasonFragment() {
        return "INVALID_OPTION";
    }

    @Override
    protected RecordInspector inspector() {
        return new HubSpotDestinationContractTest.SandboxInspector(sandbox, objectTypeId, matchField());
    }

    @Override
    protected SandboxServer sandbox() {
        return sandbox;
    }

    @Override
    protected Set<Behavior> unsupported() {
        return Set.of(Behavior.DELETE_BY_MATCH_VALUE);
    }
}
