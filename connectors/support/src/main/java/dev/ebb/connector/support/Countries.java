package dev.ebb.connector.support;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Countries as audience APIs take them: ISO 3166-1 alpha-2 codes, lowercase ({@code " US "} → {@code us}). */
public final class Countries {
    private static final Set<String> CODES = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2);

    private Countries() {
    }

    /** The lowercase alpha-2 code; empty when {@code raw} is not one (a country's name is not a code). */
    public static Optional<String> alpha2(String raw) {
        String code = raw.strip().toUpperCase(Locale.ROOT);
        return CODES.contains(code) ? Optional.of(code.toLowerCase(Locale.ROOT)) : Optional.empty();
    }
}
