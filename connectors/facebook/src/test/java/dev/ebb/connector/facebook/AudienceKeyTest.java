package dev.ebb.connector.facebook;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden vectors for Meta's "Hashing and Normalizing Data" rules: each raw value, the normalised text Meta's rules
 * give, and the SHA-256 hex of that text computed outside Ebb (Python's hashlib). A change of normalisation that
 * would make Ebb's hashes stop matching Meta's fails here.
 */
class AudienceKeyTest {
    private static final int THIS_YEAR = 2026;

    record Vector(String key, String raw, String normalised, String sha256) {
    }

    private static Vector vector(String key, String raw, String normalised, String sha256) {
        return new Vector(key, raw, normalised, sha256);
    }

    static final List<Vector> VECTORS = List.of(
        vector("EMAIL", "  John.Doe@Example.COM ", "john.doe@example.com", "836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f"),
        vector("PHONE", "+1 (650) 555-1234", "16505551234", "6069d14bf122fdfd931dc7beb58e5dfbba395b1faf05bdcd42d12358d63d8599"),
        vector("PHONE", "(650) 555-1234", "16505551234", "6069d14bf122fdfd931dc7beb58e5dfbba395b1faf05bdcd42d12358d63d8599"),
        vector("PHONE", "0044 20 7946 0958", "442079460958", "35e206e5dec4c89b9e8b71b8c32724a5bb518483ac5a20c6617d738375b3b823"),
        vector("FN", "  Mary-Jane ", "maryjane", "f08f448a5e7a9dc3619bb7c129f6a7d5fc6af002cea17ad71dfdc1c68f4d4e0e"),
        vector("FN", "José", "josé", "d994e1d001886fe5b45b1267bd1fa2b752ac50742579bd3dad7b2a2aa0ed6866"),
        vector("LN", "O'Neil", "oneil", "67a42a846e98e3c1a96cd6ba14883a5ea05990cd93964ce8b832aa9497ca785c"),
        vector("CT", "San Francisco", "sanfrancisco", "1a6bd4d9d79dc0a79b53795c70d3349fa9e38968a3fbefbfe8783efb1d2b6aac"),
        vector("ST", "CA", "ca", "6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126"),
        vector("ST", "California", "ca", "6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126"),
        vector("ZIP", "94025-1234", "94025", "b9a9cf3cd3723a2e91b7c23ecf68456e872b6e5d86e5cab7f3d45a7302da32c7"),
        vector("ZIP", "SW1A 1AA", "sw1a1aa", "830e1d4b9838bab1f5c2acdb23e0b502ff13a9832c4632e8d67a1d43d3b7f614"),
        vector("COUNTRY", "US", "us", "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621"),
        vector("DOBY", "1984", "1984", "4dea5c7cb70f50322ec9d734aa4aa078be9227c05251e18991c596f387552370"),
        vector("DOBM", "2", "02", "a953f09a1b6b6725b81956e9ad0b1eb49e3ad40004c04307ef8af6246a054116"),
        vector("DOBD", "7", "07", "19b100ab7725c612f3d80ff203ca53cea5cadaafae3bf0f88f0fb4089fe08815"),
        vector("GEN", "Female", "f", "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111"),
        vector("GEN", "M", "m", "62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a"));

    private static AudienceKey.Outcome encode(String key, Object value) {
        return AudienceKey.valueOf(key).encode(value, "US", THIS_YEAR);
    }

    @Test
    void eachKeyIsNormalisedAndHashedAsMetaSpecifies() {
        for (Vector v : VECTORS) {
            assertThat(encode(v.key(), v.raw())).as(v.key() + " " + v.raw() + " → " + v.normalised())
                    .isEqualTo(new AudienceKey.Sent(v.sha256()));
        }
    }

    @Test
    void aValueHashedAlreadyIsNotHashedTwice() {
        String digest = VECTORS.getFirst().sha256();
        assertThat(encode("EMAIL", digest.toUpperCase())).isEqualTo(new AudienceKey.Sent(digest));
        assertThat(encode("PHONE", " " + digest + " ")).isEqualTo(new AudienceKey.Sent(digest));
    }

    @Test
    void madidAndExternIdAreSentUnhashed() {
        assertThat(encode("MADID", " 6032D997-3AB0-4DE0-AA16-8AF0E5B482FB "))
                .isEqualTo(new AudienceKey.Sent("6032d997-3ab0-4de0-aa16-8af0e5b482fb"));
        assertThat(encode("EXTERN_ID", " cust-00042 ")).isEqualTo(new AudienceKey.Sent("cust-00042"));
    }

    @Test
    void datesAndNumbersGiveTheirParts() {
        LocalDate birthday = LocalDate.of(1984, 2, 7);
        assertThat(encode("DOBY", birthday)).isEqualTo(encode("DOBY", "1984"));
        assertThat(encode("DOBM", birthday)).isEqualTo(encode("DOBM", "2"));
        assertThat(encode("DOBD", 7L)).isEqualTo(encode("DOBD", "07"));
        assertThat(encode("DOBD", new BigDecimal("7.0"))).isEqualTo(encode("DOBD", "7"));
        assertThat(encode("PHONE", 16505551234L)).isEqualTo(encode("PHONE", "+1 650 555 1234"));
    }

    @Test
    void emptyValuesAreSentEmpty() {
        assertThat(encode("FN", null)).isEqualTo(new AudienceKey.Sent(""));
        assertThat(encode("EMAIL", "  ")).isEqualTo(new AudienceKey.Sent(""));
    }

    @Test
    void whatCannotBeNormalisedIsAProblemThatNamesTheFieldButNotTheValue() {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("EMAIL", "jane at example");
        bad.put("PHONE", "555-0000-12");
        bad.put("COUNTRY", "United States");
        bad.put("DOBY", "1850");
        bad.put("DOBM", "13");
        bad.put("GEN", "x");
        bad.put("MADID", "not-an-id");
        bad.put("ZIP", "n/a");
        bad.forEach((key, value) -> {
            AudienceKey.Outcome outcome = encode(key, value);
            assertThat(outcome).as(key).isInstanceOf(AudienceKey.Problem.class);
            String reason = ((AudienceKey.Problem) outcome).reason();
            assertThat(reason).startsWith(key + " ").doesNotContain(value.toString());
        });
    }

    @Test
    void aNumberWithoutCountryCodeNeedsTheDefaultRegion() {
        AudienceKey.Outcome outcome = AudienceKey.PHONE.encode("(650) 555-1234", null, THIS_YEAR);
        assertThat(outcome).isInstanceOf(AudienceKey.Problem.class);
        assertThat(((AudienceKey.Problem) outcome).reason()).contains("default_phone_region");
    }

    @Test
    void aRowIsAProblemWhenNoFieldHasAValueOrAFieldIsNotMetas() {
        UserRows rows = new UserRows("US", THIS_YEAR);
        Map<String, Object> empty = new LinkedHashMap<>();
        empty.put("EMAIL", null);
        empty.put("FN", " ");
        assertThat(rows.problem(empty)).hasValueSatisfying(p -> assertThat(p).contains("no identifier"));
        assertThat(rows.problem(Map.of("email", "a@example.com")))
                .hasValueSatisfying(p -> assertThat(p).contains("email is not a field").contains("EMAIL"));
        assertThat(rows.problem(Map.of("EMAIL", "a@example.com", "FN", "Ann"))).isEmpty();
    }
}
