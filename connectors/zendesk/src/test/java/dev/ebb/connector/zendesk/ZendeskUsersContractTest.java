package dev.ebb.connector.zendesk;

import dev.ebb.sandbox.SandboxServer;
import dev.ebb.sandbox.zendesk.CustomField;
import dev.ebb.sandbox.zendesk.ZendeskSandbox;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.FieldType;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.ManualClock;
import dev.ebb.testkit.RecordInspector;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared destination contract on Zendesk users matched by external_id, against an in-process sandbox whose
 * jobs run on the test's clock.
 *
 * <p>The suite counts "API calls for one batch". A Zendesk batch is one bulk call that queues a job plus the polls
 * of that job (and, for some writes, one lookup first), so {@link RecordInspector#apiCalls()} here counts the calls
 * that write records: POST, PUT and DELETE to the users and organizations APIs. The polls and lookups each write
 * makes are checked separately in {@link ZendeskDestinationTest}.
 */
class ZendeskUsersContractTest extends DestinationContractTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));
    private final TestingJobDriver driver = new TestingJobDriver(clock);
    private ZendeskSandbox sandbox;

    @Override
    protected void startSandbox() throws Exception {
        sandbox = ZendeskSandbox.builder().clock(clock)
                .userField(CustomField.of("churn_risk", "decimal"))
                .userField(CustomField.of("vip", "checkbox"))
                .userField(CustomField.of("renewal_date", "date"))
                .userField(CustomField.dropdown("plan", "free", "pro", "enterprise"))
                .build();
        sandbox.start();
    }

    @Override
    protected void stopSandbox() {
        if (sandbox != null) sandbox.close();
    }

    @Override
    protected DestinationConnector connector() {
        return driver;
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("base_url", sandbox.baseUrl(), "email", ZendeskSandbox.DEFAULT_EMAIL,
                "api_token", ZendeskSandbox.DEFAULT_API_TOKEN);
    }

    @Override
    protected Map<String, String> settingsWithBadCredentials() {
        return Map.of("base_url", sandbox.baseUrl(), "email", ZendeskSandbox.DEFAULT_EMAIL,
                "api_token", "not-the-token");
    }

    @Override
    protected String object() {
        return "users";
    }

    @Override
    protected String matchField() {
        return "external_id";
    }

    @Override
    protected String matchValue(int n) {
        return "cust-" + n;
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

    @Override
    protected RecordInspector inspector() {
        return new SandboxInspector(sandbox, false);
    }

    @Override
    protected SandboxServer sandbox() {
        return sandbox;
    }

    @Override
    protected Set<Behavior> unsupported() {
        // create_many has no documented per-record answer for a user that exists: mode insert is not offered.
        return Set.of(Behavior.INSERT);
    }

    @Test
    void theMalformedEmailIsRefusedWithZendesksReasonAndTheOthersAreWritten() throws Exception {
        var good = records(0, 2, 1);
        var bad = invalid(2);
        var results = write(dev.ebb.spi.Operation.UPSERT, java.util.List.of(good.get(0), bad, good.get(1)));
        assertThat(results.get(bad.key()).reason())
                .isEqualTo("UserUpdateError: Email: someone@example.com_ is not properly formatted");
        assertThat(sandbox.userCount()).isEqualTo(2);
    }

    /** Reads the sandbox's Java API; counts the calls that write records (see the class comment). */
    record SandboxInspector(ZendeskSandbox sandbox, boolean organizations) implements RecordInspector {
        @Override
        public Optional<StoredRecord> find(String matchValue) {
            return (organizations ? sandbox.findOrganizationByExternalId(matchValue)
                    : sandbox.findUserByExternalId(matchValue))
                    .map(r -> new StoredRecord(r.id(), r.fields()));
        }

        @Override
        public int recordCount() {
            return organizations ? sandbox.organizationCount() : sandbox.userCount();
        }

        @Override
        public long apiCalls() {
            return sandbox.requests().stream().filter(r -> !r.method().equals("GET")).count();
        }
    }
}
