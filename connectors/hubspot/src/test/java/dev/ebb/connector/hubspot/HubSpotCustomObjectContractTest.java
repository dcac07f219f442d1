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
import java.util.List;
import java.util.Map;

/**
 * The shared destination contract on a custom object addressed by its object type id and matched by a
 * unique-value property: the path every account-specific HubSpot sync takes.
 */
class HubSpotCustomObjectContractTest extends HubSpotContractTest {
    private String objectTypeId;

    @Override
    protected HubSpotSandbox newSandbox() {
        HubSpotSandbox sandbox = HubSpotSandbox.builder().build();
        objectTypeId = sandbox.createCustomObject("cars", List.of(
                HubSpotProperty.of("vin", "string").unique(),
                HubSpotProperty.of("model", "string"),
                HubSpotProperty.of("price", "number"),
                HubSpotProperty.enumeration("fuel", "petrol", "diesel", "electric"))).objectTypeId();
        return sandbox;
    }

    @Override
    protected String tier() {
        return "enterprise";
    }

    @Override
    protected Subject subject() {
        return new Subject(objectTypeId, "vin", n -> "WVWZZZ1JZ" + String.format("%08d", n));
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
}
