package dev.ebb.connector.zendesk;

import dev.ebb.sandbox.zendesk.ZendeskSandbox;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.ManualClock;
import dev.ebb.testkit.RecordInspector;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shared destination contract against an in-process Zendesk sandbox whose jobs run on the test's clock: the
 * suite's waits between steps move that clock, so a job is done when its polls come.
 *
 * <p>The suite counts "API calls for one batch". A Zendesk batch is one bulk call that queues a job plus the polls
 * of that job (and, for some writes, one lookup first), so {@link RecordInspector#apiCalls()} here counts the calls
 * that write records: POST, PUT and DELETE to the users and organizations APIs. The polls and lookups each write
 * makes are checked separately in {@link ZendeskDestinationTest}, and the suite's "one request per call" check
 * counts them all.
 */
abstract class ZendeskContractTest extends DestinationContractTest<ZendeskSandbox> {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));

    /** A sandbox builder on the test's clock. */
    protected final ZendeskSandbox.Builder sandboxBuilder() {
        return ZendeskSandbox.builder().clock(clock);
    }

    @Override
    protected DestinationConnector connector() {
        return new ZendeskConnector();
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("base_url", sandbox().baseUrl(), "email", ZendeskSandbox.DEFAULT_EMAIL,
                "api_token", ZendeskSandbox.DEFAULT_API_TOKEN);
    }

    @Override
    protected Map<String, String> badCredentials() {
        return Map.of("api_token", "not-the-token");
    }

    @Override
    protected RecordInspector inspector() {
        return new SandboxInspector(sandbox(), object().equals("organizations"));
    }

    /** Insert is not offered: create_many has no documented per-record answer for a record that exists. */
    @Override
    protected Set<Behavior> unsupported() {
        return Set.of(Behavior.INSERT);
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
