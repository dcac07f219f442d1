package dev.ebb.connector.facebook;

import dev.ebb.connector.support.Emails;
import dev.ebb.connector.support.Hashes;
import dev.ebb.sandbox.facebook.FacebookSandbox;
import dev.ebb.sandbox.facebook.Member;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.FieldType;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.RecordInspector;
import dev.ebb.testkit.RecordInspector.StoredRecord;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shared contract suite against the Meta sandbox, on its first audience, matched by EMAIL. An audience holds
 * digests, so a stored value is the same as a written one when it is the written value's digest; members cannot be
 * created apart from being added, updated in place, cleared field by field or read back.
 */
class FacebookDestinationContractTest extends DestinationContractTest<FacebookSandbox> {

    @Override
    protected FacebookSandbox newSandbox() {
        return FacebookSandbox.builder().build();
    }

    @Override
    protected DestinationConnector connector() {
        return new FacebookConnector();
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("access_token", FacebookSandbox.DEFAULT_TOKEN, "ad_account_id", FacebookSandbox.DEFAULT_AD_ACCOUNT,
                "base_url", sandbox().baseUrl(), "default_phone_region", "US");
    }

    @Override
    protected Map<String, String> badCredentials() {
        return Map.of("access_token", "not-a-token");
    }

    @Override
    protected Subject subject() {
        return new Subject(String.valueOf(FacebookSandbox.FIRST_AUDIENCE_ID), "EMAIL",
                n -> "contract-" + n + "@example.com");
    }

    @Override
    protected Map<String, FieldType> fields() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("FN", FieldType.STRING);
        fields.put("LN", FieldType.STRING);
        return fields;
    }

    @Override
    protected Map<String, Object> invalidFields() {
        return Map.of("ZIP", "n/a");
    }

    @Override
    protected Object sampleValue(String field, FieldType type, int seed) {
        // Names keep only letters: spell the seed in letters so that each record's names differ.
        return "Name" + Integer.toString(seed, 26).chars().mapToObj(c -> String.valueOf((char) ('a' + Character.digit(c, 26))))
                .reduce("", String::concat);
    }

    @Override
    protected boolean sameValue(FieldType type, Object written, String stored) {
        if (written == null) return stored == null || stored.isBlank();
        AudienceKey.Outcome sent = AudienceKey.FN.encode(written, null, 2026);
        return sent instanceof AudienceKey.Sent s && s.value().equals(stored);
    }

    @Override
    protected String unknownObject() {
        return "ebb_contract_no_such_audience";
    }

    /** Adds and removes answer at once; only a replace takes steps (FacebookDestinationTest drives those). */
    @Override
    protected Set<Behavior> unsupported() {
        return Set.of(Behavior.INSERT, Behavior.UPDATE, Behavior.CLEAR_WITH_NULL, Behavior.READ_BACK,
                Behavior.ASYNCHRONOUS_WRITE);
    }

    @Override
    protected RecordInspector inspector() {
        String audience = object();
        return new RecordInspector() {
            @Override
            public Optional<StoredRecord> find(String matchValue) {
                String digest = Hashes.sha256Hex(Emails.normalised(matchValue).orElseThrow());
                return sandbox().member(audience, "EMAIL", digest).map(FacebookDestinationContractTest::stored);
            }

            @Override
            public int recordCount() {
                return sandbox().memberCount(audience);
            }

            @Override
            public long apiCalls() {
                return sandbox().requestCount();
            }
        };
    }

    private static StoredRecord stored(Member member) {
        return new StoredRecord(member.key("EMAIL"), member.keys());
    }
}
