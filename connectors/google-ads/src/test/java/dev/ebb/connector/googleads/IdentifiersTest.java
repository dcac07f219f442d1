package dev.ebb.connector.googleads;

import dev.ebb.connector.googleads.Identifiers.Address;
import dev.ebb.connector.googleads.Identifiers.Email;
import dev.ebb.connector.googleads.Identifiers.Member;
import dev.ebb.connector.googleads.Identifiers.Phone;
import dev.ebb.connector.support.Hashes;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Google's normalisation ("Format user data") and the problems that keep a row from being sent. */
class IdentifiersTest {
    private final Identifiers identifiers = new Identifiers("US");

    @Test
    void emailsAreLowercasedStrippedOfWhitespaceAndOfGmailDots() {
        assertThat(Identifiers.email("  Jane.Doe @GMail.com ")).contains(Hashes.sha256Hex("janedoe@gmail.com"));
        assertThat(Identifiers.email("j.a.n.e@googlemail.com")).contains(Hashes.sha256Hex("jane@googlemail.com"));
        assertThat(Identifiers.email("Jane.Doe@Example.com")).contains(Hashes.sha256Hex("jane.doe@example.com"));
        assertThat(Identifiers.email("not an address")).isEmpty();
    }

    @Test
    void phonesBecomeE164WithTheDefaultRegionForNumbersWithoutACountryCode() {
        // The formatting page's own example: "(800)555-0100 should be formatted and normalized to +18005550100".
        assertThat(identifiers.phone("(800)555-0100")).contains(Hashes.sha256Hex("+18005550100"));
        assertThat(identifiers.phone("555")).isEmpty();
        assertThat(identifiers.phone("(650) 253-0000")).contains(Hashes.sha256Hex("+16502530000"));
        assertThat(identifiers.phone("+44 20 7031 3000")).contains(Hashes.sha256Hex("+442070313000"));
        assertThat(new Identifiers(null).phone("(650) 253-0000")).as("no region, no country code").isEmpty();
    }

    @Test
    void namesLoseCasePrefixesAndSuffixesAsGooglesUtilityLibrariesDo() {
        assertThat(Identifiers.givenName(" Mrs. Jane ")).contains(Hashes.sha256Hex("jane"));
        assertThat(Identifiers.givenName("Dr.")).as("only a prefix").isEmpty();
        assertThat(Identifiers.familyName("O'Neil, Jr.")).contains(Hashes.sha256Hex("o'neil"));
        assertThat(Identifiers.familyName("Doe III PhD")).contains(Hashes.sha256Hex("doe"));
        assertThat(Identifiers.familyName("Ives")).as("a suffix inside a name stays").contains(Hashes.sha256Hex("ives"));
    }

    @Test
    void valuesHashedAlreadyAreSentAsTheyAre() {
        String digest = Hashes.sha256Hex("jane@example.com").toUpperCase(java.util.Locale.ROOT);
        Member member = identifiers.member("email", digest, Map.of()).member().orElseThrow();
        assertThat(member.identifiers()).containsExactly(new Email(digest.toLowerCase(java.util.Locale.ROOT)));
        assertThat(member.id()).isEqualTo(digest.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void aRowBecomesEmailPhoneAndAddressIdentifiers() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("phone", "650-253-0000");
        fields.put("first_name", "Jane");
        fields.put("last_name", "Doe");
        fields.put("country_code", "us");
        fields.put("postal_code", " 94043 ");
        Member member = identifiers.member("email", "jane@example.com", fields).member().orElseThrow();
        assertThat(member.identifiers()).containsExactly(
                new Email(Hashes.sha256Hex("jane@example.com")),
                new Phone(Hashes.sha256Hex("+16502530000")),
                new Address(Hashes.sha256Hex("jane"), Hashes.sha256Hex("doe"), "US", "94043"));
        assertThat(member.id()).as("the match field's digest").isEqualTo(Hashes.sha256Hex("jane@example.com"));
    }

    @Test
    void problemsNameTheFieldAndWhy() {
        assertThat(identifiers.member(null, null, Map.of("email", "jane at example")).problem())
                .hasValueSatisfying(p -> assertThat(p).contains("email").contains("not an email address"));
        assertThat(identifiers.member(null, null, Map.of("phone", "12")).problem())
                .hasValueSatisfying(p -> assertThat(p).contains("phone").contains("not a valid phone number"));
        assertThat(identifiers.member(null, null, Map.of("first_name", "Jane", "postal_code", "94043")).problem())
                .hasValueSatisfying(p -> assertThat(p).contains("last_name").contains("country_code"));
        Map<String, Object> address = Map.of("first_name", "Jane", "last_name", "Doe", "country_code", "XX",
                "postal_code", "1");
        assertThat(identifiers.member(null, null, address).problem())
                .hasValueSatisfying(p -> assertThat(p).contains("country_code 'XX'"));
        Map<String, Object> usAddress = Map.of("first_name", "Jane", "last_name", "Doe", "country_code", "US",
                "postal_code", "9404");
        assertThat(identifiers.member(null, null, usAddress).problem())
                .hasValueSatisfying(p -> assertThat(p).contains("postal_code '9404'"));
        assertThat(identifiers.member(null, null, Map.of("city", "Paris")).problem())
                .hasValueSatisfying(p -> assertThat(p).contains("'city'"));
        assertThat(identifiers.member("email", "", Map.of()).problem()).as("nothing to match on").isPresent();
    }

    @Test
    void aRowsOwnConsentGoesWithItsMember() {
        Member member = identifiers.member("email", "jane@example.com",
                Map.of("ad_user_data", "Denied", "ad_personalization", true)).member().orElseThrow();
        assertThat(member.consent()).containsExactlyInAnyOrderEntriesOf(Map.of("adUserData", "CONSENT_DENIED",
                "adPersonalization", "CONSENT_GRANTED"));
        assertThat(identifiers.member(null, null, Map.of("ad_user_data", "maybe")).problem())
                .hasValueSatisfying(p -> assertThat(p).contains("ad_user_data 'maybe'").contains("granted or denied"));
    }

    @Test
    void aRowWithValidIdentifiersHasNoProblem() {
        assertThat(identifiers.member(null, null, Map.of("email", "jane@example.com", "phone", "+16502530000"))
                .problem()).isEmpty();
    }
}
