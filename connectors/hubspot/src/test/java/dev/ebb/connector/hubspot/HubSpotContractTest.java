package dev.ebb.connector.hubspot;

import dev.ebb.sandbox.hubspot.HubSpotSandbox;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.RecordInspector;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The shared destination contract against an in-process HubSpot sandbox: what every HubSpot object's run shares. */
abstract class HubSpotContractTest extends DestinationContractTest<HubSpotSandbox> {

    /** The portal's tier, as settings spell it. */
    protected String tier() {
        return HubSpotConnector.DEFAULT_TIER.optionValue();
    }

    @Override
    protected DestinationConnector connector() {
        return new HubSpotConnector();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("token", HubSpotSandbox.DEFAULT_TOKEN, "base_url", sandbox().baseUrl(), "tier", tier());
    }

    @Override
    protected Map<String, String> badCredentials() {
        return Map.of("token", "not-the-sandbox-token");
    }

    @Override
    protected RecordInspector inspector() {
        return new SandboxInspector(sandbox(), object(), matchField());
    }

    @Override
    protected Set<Behavior> unsupported() {
        // HubSpot archives by record id only, and one write is one call: no lookup by email first. Every batch
        // endpoint answers in the same call.
        return Set.of(Behavior.DELETE_BY_MATCH_VALUE, Behavior.ASYNCHRONOUS_WRITE);
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
