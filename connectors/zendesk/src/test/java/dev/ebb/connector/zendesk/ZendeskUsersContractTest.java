package dev.ebb.connector.zendesk;

import dev.ebb.sandbox.zendesk.CustomField;
import dev.ebb.sandbox.zendesk.ZendeskSandbox;
import dev.ebb.spi.FieldType;
import dev.ebb.spi.Operation;
import dev.ebb.sandbox.SandboxServer;
import dev.ebb.sandbox.zendesk.CustomField;
import dev.ebb.sandbox.zendesk.ZendeskSandbox;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.ManualClock;
import dev.ebb.testkit.RecordInspector;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared destination contract on Zendesk users matched by external_id (one create_or_update_many job). */
class ZendeskUsersContractTest extends ZendeskContractTest {

    @Override
    protected ZendeskSandbox newSandbox() {
        return sandboxBuilder()
                .userField(CustomField.of("churn_risk", "decimal"))
                .userField(CustomField.of("vip", "checkbox"))
                .userField(CustomField.of("renewal_date", "date"))
                .userField(CustomField.dropdown("plan", "free", "pro", "enterprise"))
                .build();
    }

    @Override
    protected Subject subject() {
        return new Subject("users", "external_id", n -> "cust-" + n);
    }

    @Override
    protected Map<String, FieldType> fields() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("notes", FieldType.STRING); // first: the suite clears it with null, and a name cannot be empty
        fields.put("name", FieldType.STRING);
        fields.put("email", FieldType.STRING);
        fields.put("user_fields.churn_risk", FieldType.NUMBER);
        fields.put("user_fields.vip", FieldType.BOOLEAN);
        fields.put("user_fields.renewal_date", FieldType.DATE);
        fields.put("user_fields.plan", FieldType.ENUMERATION);
        return fields;
    }

    /** A user's email stays the same from write to write: on update Zendesk adds a new one as a secondary identity. */
    @Override
    protected Object sampleValue(String field, FieldType type, int seed) {
        if (field.equals("email")) return "contract-" + Math.floorMod(seed, 1000) + "@example.com";
        return super.sampleValue(field, type, seed);
    }

    @Override
    protected Map<String, Object> invalidFields() {
        return Map.of("email", "someone@example.com_");
    }

    @Override
    protected String rejectionReasonFragment() {
        return "is not properly formatted";
    }

    @Test
    void theMalformedEmailIsRefusedWithZendesksReasonAndTheOthersAreWritten() throws Exception {
        var good = records(0, 2, 1);
        var bad = invalid(2);
        var results = write(Operation.UPSERT, List.of(good.get(0), bad, good.get(1)));
        assertThat(results.get(bad.key()).reason())
                .isEqualTo("UserUpdateError: Email: someone@example.com_ is not properly formatted");
        assertThat(sandbox().userCount()).isEqualTo(2);
    }
}
