package dev.ebb.connector.zendesk;

import dev.ebb.sandbox.SandboxServer;
import dev.ebb.sandbox.zendesk.CustomField;
import dev.ebb.sandbox.zendesk.ZendeskSandbox;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.FieldType;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.ManualClock;
import dev.ebb.testkit.RecordInspector;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The shared destination contract on Zendesk organizations matched by external_id (looked up, then created and
 * updated in two jobs). An organization named {@value #TAKEN} exists from the start, so a record carrying that name
 * is refused with Zendesk's {@code DuplicateValue}. API calls are counted as in {@link ZendeskUsersContractTest}.
 */
class ZendeskOrganizationsContractTest extends DestinationContractTest {
    static final String TAKEN = "Taken Inc";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));
    private ZendeskSandbox sandbox;

    @Override
    protected void startSandbox() throws Exception {
        sandbox = ZendeskSandbox.builder().clock(clock)
                .organizationField(CustomField.of("arr", "decimal"))
                .organizationField(CustomField.of("strategic", "checkbox"))
                .organizationField(CustomField.of("renewal", "date"))
                .organizationField(CustomField.dropdown("tier", "bronze", "silver", "gold"))
                .build();
        sandbox.createOrganization(Map.of("name", TAKEN));
        sandbox.start();
    }

    @Override
    protected void stopSandbox() {
        if (sandbox != null) sandbox.close();
    }

    @Override
    protected DestinationConnector connector() {
        return new TestingJobDriver(clock);
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
        return Map.of("base_url", sandbox.baseUrl(), "email", "someone-else@example.com",
                "api_token", ZendeskSandbox.DEFAULT_API_TOKEN);
    }

    @Override
    protected String object() {
        return "organizations";
    }

    @Override
    protected String matchField() {
        return "external_id";
    }

    @Override
    protected String matchValue(int n) {
        return "acct-" + n;
    }

    @Override
    protected Map<String, FieldType> fields() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("details", FieldType.STRING);
        fields.put("name", FieldType.STRING);
        fields.put("notes", FieldType.STRING);
        fields.put("organization_fields.arr", FieldType.NUMBER);
        fields.put("organization_fields.strategic", FieldType.BOOLEAN);
        fields.put("organization_fields.renewal", FieldType.DATE);
        fields.put("organization_fields.tier", FieldType.ENUMERATION);
        return fields;
    }

    @Override
    protected Map<String, Object> invalidFields() {
        return Map.of("name", TAKEN);
    }

    @Override
    protected String rejectionReasonFragment() {
        return "DuplicateValue";
    }

    @Override
    protected RecordInspector inspector() {
        return new ZendeskUsersContractTest.SandboxInspector(sandbox, true);
    }

    @Override
    protected SandboxServer sandbox() {
        return sandbox;
    }

    /**
     * Insert is not offered (see {@link ZendeskUsersContractTest}). The suite's dropped-connection check drops the
     * write's first request, which for organizations is the GET of the lookup: the JDK's HTTP client sends an
     * idempotent request again, once, when a kept-alive connection closes before any byte of the answer (a stale
     * pooled connection), so one drop is not seen. {@code ZendeskDestinationTest} drops it twice and sees the
     * transient failure.
     */
    @Override
    protected Set<Behavior> unsupported() {
        return Set.of(Behavior.INSERT, Behavior.DROPPED_CONNECTION_FAULT);
    }
}
