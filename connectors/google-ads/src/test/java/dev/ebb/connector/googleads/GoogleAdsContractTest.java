package dev.ebb.connector.googleads;

import dev.ebb.connector.support.Hashes;
import dev.ebb.sandbox.Fault;
import dev.ebb.sandbox.LoggedRequest;
import dev.ebb.sandbox.googleads.GoogleAdsSandbox;
import dev.ebb.sandbox.googleads.GoogleAdsSandbox.StoredAddress;
import dev.ebb.sandbox.googleads.GoogleAdsSandbox.StoredMember;
import dev.ebb.spi.DestinationConnector;
import dev.ebb.spi.FieldType;
import dev.ebb.testkit.DestinationContractTest;
import dev.ebb.testkit.ManualClock;
import dev.ebb.testkit.RecordInspector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shared destination contract on a Customer Match user list, members matched by email, against an in-process
 * sandbox on the test's clock (so a request's processing and the connector's status waits pass without sleeping).
 *
 * <p>A stored member holds digests, so a value is "stored" when the digest of its normalised form is
 * ({@link #sameValue}); country and postal codes are stored as sent. {@link RecordInspector#apiCalls()} counts the
 * calls that write members (POSTs); the status polls each write makes are counted by the suite's "one request per
 * call" check.
 */
class GoogleAdsContractTest extends DestinationContractTest<GoogleAdsSandbox> {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T15:00:00Z"));

    @Override
    protected GoogleAdsSandbox newSandbox() {
        return GoogleAdsSandbox.builder().clock(clock).processing(Duration.ofMinutes(5)).build();
    }

    @Override
    protected Clock clock() {
        return clock;
    }

    @Override
    protected DestinationConnector connector() {
        return new GoogleAdsConnector();
    }

    static Map<String, String> sandboxSettings(GoogleAdsSandbox sandbox) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("base_url", sandbox.baseUrl());
        settings.put("token_url", sandbox.baseUrl() + "/token");
        settings.put("client_id", GoogleAdsSandbox.DEFAULT_CLIENT_ID);
        settings.put("client_secret", GoogleAdsSandbox.DEFAULT_CLIENT_SECRET);
        settings.put("refresh_token", GoogleAdsSandbox.DEFAULT_REFRESH_TOKEN);
        settings.put("operating_account", GoogleAdsSandbox.DEFAULT_ACCOUNT);
        settings.put("ad_user_data", "granted");
        settings.put("ad_personalization", "granted");
        return settings;
    }

    @Override
    protected Map<String, String> settings() {
        return sandboxSettings(sandbox());
    }

    @Override
    protected Map<String, String> badCredentials() {
        return Map.of("refresh_token", "revoked");
    }

    @Override
    protected Subject subject() {
        return new Subject(GoogleAdsSandbox.DEFAULT_USER_LIST, "email", n -> "Contract." + n + "@Example.com");
    }

    @Override
    protected Map<String, FieldType> fields() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("phone", FieldType.STRING);
        fields.put("first_name", FieldType.STRING);
        fields.put("last_name", FieldType.STRING);
        fields.put("country_code", FieldType.STRING);
        fields.put("postal_code", FieldType.STRING);
        return fields;
    }

    @Override
    protected Object sampleValue(String field, FieldType type, int seed) {
        int n = Math.floorMod(seed, 10_000);
        return switch (field) {
            case "phone" -> String.format("+1 (650) 253-%04d", n);
            case "first_name" -> "Ada" + letters(n);
            case "last_name" -> "Lovelace" + letters(n + 7);
            case "country_code" -> "us";
            case "postal_code" -> String.format("%05d", 10_000 + n);
            default -> super.sampleValue(field, type, seed);
        };
    }

    private static String letters(int n) {
        StringBuilder text = new StringBuilder();
        do {
            text.append((char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return text.toString();
    }

    /** A digest matches the digest of the written value's normalised form; codes are stored as written. */
    @Override
    protected boolean sameValue(FieldType type, Object written, String stored) {
        if (written == null || stored == null) return super.sameValue(type, written, stored);
        String text = written.toString();
        if (stored.equalsIgnoreCase(text.strip())) return true;
        Identifiers identifiers = new Identifiers(null);
        return Identifiers.email(text).map(stored::equals).orElse(false)
                || identifiers.phone(text).map(stored::equals).orElse(false)
                || Identifiers.givenName(text).map(stored::equals).orElse(false)
                || Identifiers.familyName(text).map(stored::equals).orElse(false);
    }

    @Override
    protected Map<String, Object> invalidFields() {
        return Map.of("phone", "call me maybe");
    }

    @Override
    protected String rejectionReasonFragment() {
        return "phone";
    }

    /** The token request is not a Data Manager API call: fail the API's next call, not the sign-in before it. */
    @Override
    protected Fault transientFault() {
        return new Fault(Fault.Kind.STATUS, 1, "/v1/", 503, null, null);
    }

    @Override
    protected boolean isApiRequest(LoggedRequest request) {
        return request.path().startsWith("/v1/");
    }

    @Override
    protected Set<Behavior> unsupported() {
        // Members are added and removed; there is no create-only, update-only, clearing or reading back.
        return Set.of(Behavior.INSERT, Behavior.UPDATE, Behavior.CLEAR_WITH_NULL, Behavior.READ_BACK);
    }

    @Override
    protected RecordInspector inspector() {
        return new MemberInspector(sandbox(), GoogleAdsSandbox.DEFAULT_ACCOUNT, GoogleAdsSandbox.DEFAULT_USER_LIST);
    }

    /**
     * Reads members from the sandbox's Java API by the digest of the normalised email (the id Ebb reports); its
     * fields are the member's latest identifiers. API calls are the POSTs that write members.
     */
    record MemberInspector(GoogleAdsSandbox sandbox, String account, String userList) implements RecordInspector {
        @Override
        public Optional<StoredRecord> find(String matchValue) {
            String digest = Identifiers.email(matchValue).orElse(Hashes.sha256Hex(matchValue));
            return sandbox.member(account, userList, digest).map(member -> new StoredRecord(digest, fields(member)));
        }

        private static Map<String, String> fields(StoredMember member) {
            Map<String, String> fields = new LinkedHashMap<>();
            if (!member.emails().isEmpty()) fields.put("email", member.emails().getLast());
            if (!member.phones().isEmpty()) fields.put("phone", member.phones().getLast());
            List<StoredAddress> addresses = member.addresses();
            if (!addresses.isEmpty()) {
                StoredAddress address = addresses.getLast();
                fields.put("first_name", address.givenName());
                fields.put("last_name", address.familyName());
                fields.put("country_code", address.regionCode());
                fields.put("postal_code", address.postalCode());
            }
            return fields;
        }

        @Override
        public int recordCount() {
            return sandbox.memberCount(account, userList);
        }

        @Override
        public long apiCalls() {
            return sandbox.requests().stream().filter(r -> r.method().equals("POST") && r.path().startsWith("/v1/"))
                    .count();
        }
    }
}
