package dev.ebb.connector.googleads;

import dev.ebb.connector.support.Emails;
import dev.ebb.connector.support.Hashes;
import dev.ebb.connector.support.PhoneNumbers;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A row's values as Customer Match user identifiers, normalised and hashed exactly as Google's "Format user data"
 * page says (https://developers.google.com/data-manager/api/get-started/formatting):
 * <ul>
 *   <li>{@code email}: lowercase, whitespace removed (leading, trailing and intermediate), dots removed before the
 *       {@code @} of gmail.com and googlemail.com addresses, SHA-256;</li>
 *   <li>{@code phone}: E.164 with the {@code +} and the country code (numbers without one read in the default
 *       region), SHA-256;</li>
 *   <li>{@code first_name}, {@code last_name}: trimmed, lowercase, without prefixes ({@code Mrs.}) or suffixes
 *       ({@code Jr.}), SHA-256. The prefixes and suffixes are those Google's own Data Manager utility libraries drop
 *       ({@code UserDataFormatter}: {@code mr. mrs. ms. dr.}; {@code jr. sr. 2nd 3rd ii iii iv v vi cpa dc dds vm jd
 *       md phd}); like them, Ebb keeps other punctuation ({@code o'neil}), so its digests match those of Google's
 *       clients;</li>
 *   <li>{@code country_code} (ISO-3166-1 alpha-2) and {@code postal_code} (US: 5 digits, or 5 and a 4-digit
 *       extension): trimmed, never hashed. The four address fields go together or not at all: Google matches an
 *       address "all at once".</li>
 * </ul>
 * A row may also carry its member's own consent, {@code ad_user_data} and {@code ad_personalization} ({@code granted}
 * or {@code denied}), which overrides the connection's default for that member (audience.proto: {@code
 * AudienceMember.consent}).
 * A value that is already a SHA-256 hex digest (a model that hashes its own identifiers) is sent as it is. A value
 * that cannot be normalised is a problem naming the field, and the row is never sent.
 *
 * <p>Immutable and thread-safe.
 */
final class Identifiers {
    static final String EMAIL = "email";
    static final String PHONE = "phone";
    static final String FIRST_NAME = "first_name";
    static final String LAST_NAME = "last_name";
    static final String COUNTRY_CODE = "country_code";
    static final String POSTAL_CODE = "postal_code";
    static final String AD_USER_DATA = "ad_user_data";
    static final String AD_PERSONALIZATION = "ad_personalization";
    /** Every field an audience member takes: its identifiers, in the order they are sent, then its own consent. */
    static final List<String> FIELDS = List.of(EMAIL, PHONE, FIRST_NAME, LAST_NAME, COUNTRY_CODE, POSTAL_CODE,
            AD_USER_DATA, AD_PERSONALIZATION);
    /** A row's consent field to the {@code Consent} field of consent.proto it sets on its member. */
    private static final Map<String, String> CONSENT = Map.of(AD_USER_DATA, "adUserData",
            AD_PERSONALIZATION, "adPersonalization");
    private static final List<String> ADDRESS = List.of(FIRST_NAME, LAST_NAME, COUNTRY_CODE, POSTAL_CODE);
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Pattern US_POSTAL = Pattern.compile("\\d{5}(-\\d{4})?");
    static final Pattern PREFIX = Pattern.compile("(?:mr|mrs|ms|dr)\\.(?:\\s|$)");
    static final Pattern SUFFIX = Pattern.compile(
            "(?:,\\s*|\\s+)(?:jr\\.|sr\\.|2nd|3rd|ii|iii|iv|v|vi|cpa|dc|dds|vm|jd|md|phd)\\s?$");

    /** How digests travel: {@code encoding} of the request (ingestion_service.proto's Encoding). */
    enum Encoding {
        HEX, BASE64;

        String encode(String sha256Hex) {
            return switch (this) {
                case HEX -> sha256Hex;
                case BASE64 -> java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex));
            };
        }
    }

    /** One user identifier, as {@code UserIdentifier} holds it; digests as lowercase SHA-256 hex. */
    sealed interface Identifier permits Email, Phone, Address {
    }

    record Email(String sha256) implements Identifier {
    }

    record Phone(String sha256) implements Identifier {
    }

    record Address(String givenName, String familyName, String regionCode, String postalCode) implements Identifier {
    }

    /**
     * A row's member: its identifiers, the digest that identifies it in Ebb's results (the match field's), and its
     * own consent ({@code adUserData} to {@code CONSENT_GRANTED}…), which overrides the request's.
     */
    record Member(List<Identifier> identifiers, String id, Map<String, String> consent) {
    }

    /** A member, or what is wrong with the row. */
    record Outcome(Optional<Member> member, Optional<String> problem) {
        static Outcome of(Member member) {
            return new Outcome(Optional.of(member), Optional.empty());
        }

        static Outcome problem(String problem) {
            return new Outcome(Optional.empty(), Optional.of(problem));
        }
    }

    private final String defaultRegion;

    /** @param defaultRegion the region of phone numbers written without a country code, or null */
    Identifiers(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    /**
     * The member of a row.
     *
     * @param matchField the field that identifies rows ({@code email} or {@code phone}), or null when only the fields
     *                   are known (the plan's pre-send check)
     * @param matchValue its value, or null
     * @param fields     the mapped fields; null values are absent
     */
    Outcome member(String matchField, String matchValue, Map<String, Object> fields) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (!FIELDS.contains(field.getKey())) {
                return Outcome.problem("field '" + field.getKey() + "' is not an audience member's; use "
                        + String.join(", ", FIELDS));
            }
            if (field.getValue() != null && !field.getValue().toString().isBlank()) {
                values.put(field.getKey(), field.getValue().toString());
            }
        }
        if (matchField != null && matchValue != null && !matchValue.isBlank()) values.put(matchField, matchValue);

        Map<String, String> consent = new LinkedHashMap<>();
        for (Map.Entry<String, String> field : CONSENT.entrySet()) {
            String value = values.remove(field.getKey());
            if (value == null) continue;
            Optional<String> status = consent(value);
            if (status.isEmpty()) {
                return Outcome.problem(field.getKey() + " '" + value + "' is not a consent; use granted or denied "
                        + "(true or false)");
            }
            consent.put(field.getValue(), status.get());
        }
        List<Identifier> identifiers = new ArrayList<>();
        String id = null;
        if (values.containsKey(EMAIL)) {
            Optional<String> digest = email(values.get(EMAIL));
            if (digest.isEmpty()) return Outcome.problem(EMAIL + " '" + values.get(EMAIL) + "' is not an email address");
            identifiers.add(new Email(digest.get()));
            if (EMAIL.equals(matchField)) id = digest.get();
        }
        if (values.containsKey(PHONE)) {
            Optional<String> digest = phone(values.get(PHONE));
            if (digest.isEmpty()) {
                return Outcome.problem(PHONE + " '" + values.get(PHONE) + "' is not a valid phone number"
                        + (defaultRegion == null ? " with a country code (+…); set default_phone_region for numbers "
                        + "written without one" : " (read in " + defaultRegion + " when it has no country code)"));
            }
            identifiers.add(new Phone(digest.get()));
            if (PHONE.equals(matchField)) id = digest.get();
        }
        List<String> missing = ADDRESS.stream().filter(f -> !values.containsKey(f)).toList();
        if (missing.size() < ADDRESS.size()) {
            if (!missing.isEmpty()) {
                return Outcome.problem("an address is matched whole: " + String.join(", ", missing)
                        + " missing beside " + String.join(", ", ADDRESS.stream().filter(values::containsKey).toList()));
            }
            Outcome address = address(values);
            if (address.problem().isPresent()) return address;
            identifiers.addAll(address.member().orElseThrow().identifiers());
        }
        if (identifiers.isEmpty()) {
            if (matchField == null) return Outcome.of(new Member(List.of(), null, Map.copyOf(consent))); // start checks the match value
            return Outcome.problem("no identifier to match: set email, phone, or first_name, last_name, country_code "
                    + "and postal_code");
        }
        return Outcome.of(new Member(List.copyOf(identifiers), id != null ? id : digestOf(identifiers.getFirst()),
                Map.copyOf(consent)));
    }

    private Outcome address(Map<String, String> values) {
        Optional<String> given = givenName(values.get(FIRST_NAME));
        if (given.isEmpty()) return Outcome.problem(FIRST_NAME + " '" + values.get(FIRST_NAME) + "' is only a prefix");
        Optional<String> family = familyName(values.get(LAST_NAME));
        if (family.isEmpty()) return Outcome.problem(LAST_NAME + " '" + values.get(LAST_NAME) + "' is only a suffix");
        String region = values.get(COUNTRY_CODE).strip().toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(region)) {
            return Outcome.problem(COUNTRY_CODE + " '" + values.get(COUNTRY_CODE) + "' is not an ISO-3166-1 alpha-2 "
                    + "code such as US or DE");
        }
        String postal = values.get(POSTAL_CODE).strip();
        if (region.equals("US") && !US_POSTAL.matcher(postal).matches()) {
            return Outcome.problem(POSTAL_CODE + " '" + postal + "' is not a US postal code: 5 digits, or 5 digits and "
                    + "a 4-digit extension (94043 or 94043-1351)");
        }
        return Outcome.of(new Member(List.of(new Address(given.get(), family.get(), region, postal)), null, Map.of()));
    }

    /** A consent value as a ConsentStatus name, or empty when it is not one. */
    private static Optional<String> consent(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "granted", "true", "yes", "consent_granted" -> Optional.of("CONSENT_GRANTED");
            case "denied", "false", "no", "consent_denied" -> Optional.of("CONSENT_DENIED");
            default -> Optional.empty();
        };
    }

    /** The digest of a normalised email, or empty when it is not an address. */
    static Optional<String> email(String raw) {
        if (Hashes.isSha256Hex(raw)) return Optional.of(Hashes.sha256HexOnce(raw, raw));
        // "Trim leading, trailing and intermediate whitespace" (formatting page).
        return Emails.normalisedForGoogle(raw.replaceAll("\\s+", "")).map(Hashes::sha256Hex);
    }

    /** The digest of a phone number in E.164, or empty when it cannot be one. */
    Optional<String> phone(String raw) {
        if (Hashes.isSha256Hex(raw)) return Optional.of(Hashes.sha256HexOnce(raw, raw));
        return PhoneNumbers.e164(raw, defaultRegion).map(Hashes::sha256Hex);
    }

    /** The digest of a given name, lowercase without its prefixes; empty when nothing is left. */
    static Optional<String> givenName(String raw) {
        if (Hashes.isSha256Hex(raw)) return Optional.of(Hashes.sha256HexOnce(raw, raw));
        String name = PREFIX.matcher(raw.strip().toLowerCase(Locale.ROOT)).replaceAll("").strip();
        return name.isEmpty() ? Optional.empty() : Optional.of(Hashes.sha256Hex(name));
    }

    /** The digest of a family name, lowercase without its suffixes; empty when nothing is left. */
    static Optional<String> familyName(String raw) {
        if (Hashes.isSha256Hex(raw)) return Optional.of(Hashes.sha256HexOnce(raw, raw));
        String name = raw.strip().toLowerCase(Locale.ROOT);
        for (String shorter = SUFFIX.matcher(name).replaceAll(""); !shorter.equals(name);
             shorter = SUFFIX.matcher(name).replaceAll("")) {
            name = shorter;
        }
        name = name.strip();
        return name.isEmpty() ? Optional.empty() : Optional.of(Hashes.sha256Hex(name));
    }

    private static String digestOf(Identifier identifier) {
        return switch (identifier) {
            case Email email -> email.sha256();
            case Phone phone -> phone.sha256();
            case Address address -> Hashes.sha256Hex(address.givenName() + address.familyName() + address.regionCode()
                    + address.postalCode());
        };
    }
}
