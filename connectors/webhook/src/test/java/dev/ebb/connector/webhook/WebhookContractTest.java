package dev.ebb.connector.webhook;

import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.FieldType;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.RecordInspector;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shared destination contract on the webhook in batches, with Ebb's default body and per-row answers, against a
 * receiver on this machine (so the settings allow private networks).
 */
class WebhookContractTest extends DestinationContractTest<TestingReceiver> {

    @Override
    protected TestingReceiver newSandbox() {
        return new TestingReceiver(Set.of("ltv"));
    }

    @Override
    protected DestinationConnector connector() {
        return new WebhookConnector();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("url", sandbox().baseUrl() + "/ebb", "allow_private_network", "true", "per", "batch",
                "row_status_path", "results", "authorization", "Bearer " + TestingReceiver.TOKEN,
                "signing_secret", "contract-secret",
                "fields", "email, first_name, ltv:number, is_vip:boolean, renewal_date:date, last_seen_at:datetime");
    }

    @Override
    protected Map<String, String> badCredentials() {
        return Map.of("authorization", "Bearer wrong");
    }

    @Override
    protected Subject subject() {
        return new Subject("records", "email", n -> "contract-" + n + "@example.com");
    }

    @Override
    protected Map<String, FieldType> fields() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("first_name", FieldType.STRING);
        fields.put("ltv", FieldType.NUMBER);
        fields.put("is_vip", FieldType.BOOLEAN);
        fields.put("renewal_date", FieldType.DATE);
        fields.put("last_seen_at", FieldType.DATETIME);
        return fields;
    }

    @Override
    protected Map<String, Object> invalidFields() {
        return Map.of("ltv", "a great deal");
    }

    @Override
    protected String rejectionReasonFragment() {
        return "HTTP 422: ltv must be a number";
    }

    @Override
    protected Set<Behavior> unsupported() {
        // A receiver returns no values, its fields are the entry's own (describe asks nobody, so it cannot see bad
        // credentials either), and every request is answered at once.
        return Set.of(Behavior.READ_BACK, Behavior.DESCRIBE_CALL, Behavior.BAD_CREDENTIALS, Behavior.ASYNCHRONOUS_WRITE);
    }

    @Override
    protected RecordInspector inspector() {
        TestingReceiver receiver = sandbox();
        return new RecordInspector() {
            @Override
            public Optional<StoredRecord> find(String matchValue) {
                return receiver.record(matchValue).map(fields -> new StoredRecord(matchValue, fields));
            }

            @Override
            public int recordCount() {
                return receiver.size();
            }

            @Override
            public long apiCalls() {
                return receiver.requestCount();
            }
        };
    }
}
