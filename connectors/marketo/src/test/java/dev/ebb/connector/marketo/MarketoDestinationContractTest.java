package dev.ebb.connector.marketo;

import dev.ebb.sandbox.SandboxServer;
import dev.ebb.sandbox.marketo.MarketoSandbox;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.FieldType;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.RecordInspector;
import dev.ebb.sandbox.LoggedRequest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The shared destination contract, on Marketo leads matched by email, against an in-process sandbox. */
class MarketoDestinationContractTest extends DestinationContractTest<MarketoSandbox> {

    @Override
    protected MarketoSandbox newSandbox() {
        return MarketoSandbox.builder()
                .field("churnRiskScore", "float")
                .field("isVip", "boolean")
                .field("renewalDate", "date")
                .field("lastSeenAt", "datetime")
                .build();
    }

    @Override
    protected DestinationConnector connector() {
        return new MarketoConnector();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("base_url", sandbox().baseUrl(), "client_id", MarketoSandbox.DEFAULT_CLIENT_ID,
                "client_secret", MarketoSandbox.DEFAULT_CLIENT_SECRET);
    }

    @Override
    protected Map<String, String> badCredentials() {
        return Map.of("client_secret", "not-the-secret");
    }

    @Override
    protected Subject subject() {
        return new Subject("leads", "email", n -> "contract-" + n + "@example.com");
    }

    @Override
    protected Map<String, FieldType> fields() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("firstName", FieldType.STRING);
        fields.put("churnRiskScore", FieldType.NUMBER);
        fields.put("isVip", FieldType.BOOLEAN);
        fields.put("renewalDate", FieldType.DATE);
        fields.put("lastSeenAt", FieldType.DATETIME);
        return fields;
    }

    /** Marketo keeps datetimes to the second (W3C format, field-types page), so samples carry whole seconds. */
    @Override
    protected Object sampleValue(String field, FieldType type, int seed) {
        if (type == FieldType.DATETIME) return Instant.parse("2024-01-01T08:30:00Z").plusSeconds(3_661L * seed);
        return super.sampleValue(field, type, seed);
    }

    @Override
    protected Map<String, Object> invalidFields() {
        return Map.of("churnRiskScore", "a great deal");
    }

    @Override
    protected String rejectionReasonFragment() {
        return "1001";
    }

    @Override
    protected RecordInspector inspector() {
        return new SandboxInspector(sandbox());
    }

    @Override
    protected Set<Behavior> unsupported() {
        // Marketo deletes leads by lead id only, and one write is one call: no lookup by email first. Sync Leads
        // answers in the same call.
        return Set.of(Behavior.DELETE_BY_MATCH_VALUE, Behavior.ASYNCHRONOUS_WRITE);
    }

    /** Identity calls are "not counted towards API call limit" (swagger-identity.json); REST calls are. */
    @Override
    protected boolean isApiRequest(LoggedRequest request) {
        return request.path().startsWith("/rest/");
    }

    /** Reads leads straight from the sandbox's Java API; API calls are REST calls (Identity is not counted). */
    record SandboxInspector(MarketoSandbox sandbox) implements RecordInspector {
        @Override
        public Optional<StoredRecord> find(String matchValue) {
            return sandbox.findLeadByEmail(matchValue)
                    .map(lead -> new StoredRecord(String.valueOf(lead.id()), lead.values()));
        }

        @Override
        public int recordCount() {
            return sandbox.leadCount();
        }

        @Override
        public long apiCalls() {
            return sandbox.requestCount("/rest/");
        }
    }
}
