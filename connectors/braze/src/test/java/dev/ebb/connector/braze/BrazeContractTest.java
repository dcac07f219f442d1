package dev.ebb.connector.braze;

import dev.ebb.sandbox.braze.BrazeSandbox;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.FieldType;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.RecordInspector;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The shared destination contract on Braze users matched by external_id, against an in-process sandbox. */
class BrazeContractTest extends DestinationContractTest<BrazeSandbox> {

    @Override
    protected BrazeSandbox newSandbox() {
        return BrazeSandbox.builder().customAttribute("ltv", "Number").customAttribute("is_vip", "Boolean")
                .customAttribute("last_seen_at", "Time").build();
    }

    @Override
    protected DestinationConnector connector() {
        return new BrazeConnector();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("api_key", BrazeSandbox.DEFAULT_API_KEY, "base_url", sandbox().baseUrl());
    }

    @Override
    protected Map<String, String> badCredentials() {
        return Map.of("api_key", "not-the-sandbox-key");
    }

    @Override
    protected Subject subject() {
        return new Subject("users", "external_id", n -> "contract-" + n);
    }

    @Override
    protected Map<String, FieldType> fields() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("first_name", FieldType.STRING);
        fields.put("ltv", FieldType.NUMBER);
        fields.put("is_vip", FieldType.BOOLEAN);
        fields.put("dob", FieldType.DATE);
        fields.put("last_seen_at", FieldType.DATETIME);
        fields.put("email_subscribe", FieldType.ENUMERATION);
        return fields;
    }

    @Override
    protected Map<String, Object> invalidFields() {
        return Map.of("dob", "the day before yesterday");
    }

    @Override
    protected String rejectionReasonFragment() {
        return "'dob' is not valid";
    }

    @Override
    protected Set<Behavior> unsupported() {
        // Users are upserted: Braze neither refuses a create of a known profile nor an update of an unknown one (it
        // ignores it), and it returns no values. Writes of up to 50 users answer at once.
        return Set.of(Behavior.INSERT, Behavior.UPDATE, Behavior.READ_BACK, Behavior.ASYNCHRONOUS_WRITE);
    }

    @Override
    protected RecordInspector inspector() {
        BrazeSandbox sandbox = sandbox();
        return new RecordInspector() {
            @Override
            public Optional<StoredRecord> find(String matchValue) {
                return sandbox.user(matchValue).map(u -> new StoredRecord(u.externalId(), u.attributes()));
            }

            @Override
            public int recordCount() {
                return sandbox.userCount();
            }

            @Override
            public long apiCalls() {
                return sandbox.requestCount();
            }
        };
    }
}
