package dev.ebb.connector.support;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.Locale;
import java.util.Optional;

/**
 * Phone numbers in E.164 ({@code +16505551234}), the form audience APIs hash, parsed and validated by Google's
 * libphonenumber: a number without a country code is read in the default region the sync declares, and a number that
 * is not a valid number of its region is refused rather than hashed. Connectors that use it depend on libphonenumber
 * themselves (it is optional here).
 */
public final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /**
     * The number in E.164 with its leading {@code +}, or empty when it cannot be made a valid one.
     *
     * @param defaultRegion ISO 3166-1 alpha-2 region for numbers written without a country code ({@code US}), or
     *                      {@code null} when every number must carry one
     */
    public static Optional<String> e164(String raw, String defaultRegion) {
        String region = defaultRegion == null ? null : defaultRegion.strip().toUpperCase(Locale.ROOT);
        String text = raw.strip();
        // "0044…" and "011 44…" are international prefixes some models keep; "+" is what the parser expects.
        if (text.startsWith("00")) text = "+" + text.substring(2);
        try {
            PhoneNumber number = UTIL.parse(text, text.startsWith("+") ? null : region);
            if (!UTIL.isValidNumber(number)) return Optional.empty();
            return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code region} is a region libphonenumber knows ({@code US}, {@code DE}). */
    public static boolean knownRegion(String region) {
        return UTIL.getSupportedRegions().contains(region.strip().toUpperCase(Locale.ROOT));
    }
}
