package dev.ebb.connector.facebook;

import dev.ebb.connector.support.Countries;
import dev.ebb.connector.support.Emails;
import dev.ebb.connector.support.Hashes;
import dev.ebb.connector.support.Names;
import dev.ebb.connector.support.PhoneNumbers;
import dev.ebb.connector.support.PostalCodes;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The keys of Meta's multi-key schema and how each value is normalised and hashed before it leaves, as Meta's
 * "Hashing and Normalizing Data" rules say (https://developers.facebook.com/docs/marketing-api/audiences/guides/
 * custom-audiences#hash): trimmed, lowercased, then SHA-256 hex, except {@code EXTERN_ID} and {@code MADID}, which
 * Meta takes as plain values. A value that is a SHA-256 hex digest already is sent as it is (lowercased), so a model
 * that hashes its own identifiers is not hashed twice. A value that cannot be normalised is a problem that names
 * the key and what is wrong, never the value (it is personal data).
 *
 * <p>Immutable and thread-safe.
 */
enum AudienceKey {
    /** Trimmed and lowercased, and a valid address. */
    EMAIL(true),
    /** Digits only, with the country code and no leading zeros or {@code +} (E.164 without its {@code +}). */
    PHONE(true),
    /** Lowercase letters, no punctuation; letters such as é kept in UTF-8. */
    FN(true),
    LN(true),
    /** Lowercase, no white space; a US ZIP+4 cut to its first five digits. */
    ZIP(true),
    /** Lowercase letters only, no punctuation or white space. */
    CT(true),
    /** The two-letter ANSI code of a US state, lowercase; elsewhere lowercase letters only. */
    ST(true),
    /** ISO 3166-1 alpha-2, lowercase. */
    COUNTRY(true),
    /** Four digits, 1900 to this year. */
    DOBY(true),
    /** Two digits, 01 to 12. */
    DOBM(true),
    /** Two digits, 01 to 31. */
    DOBD(true),
    /** {@code m} or {@code f}. */
    GEN(true),
    /** The advertiser's own id, sent as it is (Meta's SDKs never hash it). */
    EXTERN_ID(false),
    /** An IDFA or AAID, lowercase with its hyphens: "do not hash". */
    MADID(false);

    /** Keys by name, for a record's field names. */
    static final Map<String, AudienceKey> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Enum::name, Function.identity()));

    private static final Pattern ADVERTISING_ID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,4}");
    private static final Map<String, String> US_STATES = states();

    private final boolean hashed;

    AudienceKey(boolean hashed) {
        this.hashed = hashed;
    }

    boolean hashed() {
        return hashed;
    }

    /** What to send for a value, or why it cannot be sent. */
    sealed interface Outcome permits Sent, Problem {
    }

    /** The value as sent: a digest, a plain value, or {@code ""} for no value. */
    record Sent(String value) implements Outcome {
    }

    /** Why the value cannot be sent, naming the key but not the value. */
    record Problem(String reason) implements Outcome {
    }

    /**
     * The value to send for {@code value} ({@code null} or blank: {@code ""}).
     *
     * @param phoneRegion the region of phone numbers written without a country code, or {@code null}
     * @param thisYear    the latest birth year that can be true
     */
    Outcome encode(Object value, String phoneRegion, int thisYear) {
        if (value == null) return new Sent("");
        String text = text(value);
        if (text.isBlank()) return new Sent("");
        if (hashed && Hashes.isSha256Hex(text)) return new Sent(text.strip().toLowerCase(Locale.ROOT));
        Optional<String> normal = switch (this) {
            case EMAIL -> Emails.normalised(text);
            case PHONE -> PhoneNumbers.e164(text, phoneRegion).map(e164 -> e164.substring(1));
            case FN, LN, CT -> Names.letters(text);
            case ST -> Names.letters(text).map(letters -> US_STATES.getOrDefault(letters, letters));
            case ZIP -> PostalCodes.compact(text);
            case COUNTRY -> Countries.alpha2(text);
            case DOBY -> number(value, LocalDate::getYear).filter(y -> y >= 1900 && y <= thisYear).map(String::valueOf);
            case DOBM -> number(value, LocalDate::getMonthValue).filter(m -> m >= 1 && m <= 12).map(m -> "%02d".formatted(m));
            case DOBD -> number(value, LocalDate::getDayOfMonth).filter(d -> d >= 1 && d <= 31).map(d -> "%02d".formatted(d));
            case GEN -> switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "m", "male" -> Optional.of("m");
                case "f", "female" -> Optional.of("f");
                default -> Optional.empty();
            };
            case EXTERN_ID -> Optional.of(text.strip());
            case MADID -> Optional.of(text.strip().toLowerCase(Locale.ROOT)).filter(id -> ADVERTISING_ID.matcher(id).matches());
        };
        if (normal.isEmpty()) return new Problem(name() + " " + expected(phoneRegion, thisYear));
        return new Sent(hashed ? Hashes.sha256Hex(normal.get()) : normal.get());
    }

    /** What the key takes, for a problem's reason. */
    private String expected(String phoneRegion, int thisYear) {
        return switch (this) {
            case EMAIL -> "is not an email address (one @ and a dotted domain)";
            case PHONE -> "is not a valid phone number" + (phoneRegion == null
                    ? " with its country code (+1 650…); set default_phone_region for numbers written without one"
                    : " (numbers without a country code are read as " + phoneRegion + ")");
            case FN, LN, CT, ST -> "has no letters";
            case ZIP -> "is not a postal code (letters, digits, spaces and dashes)";
            case COUNTRY -> "must be a two-letter ISO 3166-1 code such as US or GB";
            case DOBY -> "must be a year from 1900 to " + thisYear + " (or a date)";
            case DOBM -> "must be a month from 1 to 12 (or a date)";
            case DOBD -> "must be a day of the month from 1 to 31 (or a date)";
            case GEN -> "must be m or f (male or female)";
            case EXTERN_ID -> "is empty";
            case MADID -> "must be a mobile advertising id (IDFA or AAID: a UUID such as "
                    + "6032d997-3ab0-4de0-aa16-8af0e5b482fb), sent unhashed as Meta asks";
        };
    }

    private static String text(Object value) {
        return switch (value) {
            case BigDecimal d -> d.stripTrailingZeros().toPlainString();
            case Double d when d == Math.rint(d) && !d.isInfinite() -> String.valueOf(d.longValue());
            default -> value.toString();
        };
    }

    /** A date's part, or a whole number written as one to four digits. */
    private static Optional<Integer> number(Object value, Function<LocalDate, Integer> part) {
        if (value instanceof LocalDate date) return Optional.of(part.apply(date));
        String digits = text(value).strip();
        return DIGITS.matcher(digits).matches() ? Optional.of(Integer.parseInt(digits)) : Optional.empty();
    }

    /** US states, DC and territories by their lowercase letters, to the two-letter ANSI code. */
    private static Map<String, String> states() {
        String table = "alabama al alaska ak arizona az arkansas ar california ca colorado co connecticut ct delaware de "
                + "districtofcolumbia dc florida fl georgia ga hawaii hi idaho id illinois il indiana in iowa ia "
                + "kansas ks kentucky ky louisiana la maine me maryland md massachusetts ma michigan mi minnesota mn "
                + "mississippi ms missouri mo montana mt nebraska ne nevada nv newhampshire nh newjersey nj "
                + "newmexico nm newyork ny northcarolina nc northdakota nd ohio oh oklahoma ok oregon or "
                + "pennsylvania pa rhodeisland ri southcarolina sc southdakota sd tennessee tn texas tx utah ut "
                + "vermont vt virginia va washington wa westvirginia wv wisconsin wi wyoming wy puertorico pr "
                + "guam gu americansamoa as virginislands vi northernmarianaislands mp";
        String[] words = table.split(" ");
        Map<String, String> states = new java.util.HashMap<>();
        for (int i = 0; i < words.length; i += 2) states.put(words[i], words[i + 1]);
        return Map.copyOf(states);
    }
}
