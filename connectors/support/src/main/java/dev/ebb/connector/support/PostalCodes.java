package dev.ebb.connector.support;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Postal codes as audience APIs hash them: lowercase with no white space or dashes, and a US ZIP+4 cut to its five
 * digits ({@code "94025-1234"} → {@code 94025}; {@code "SW1A 1AA"} → {@code sw1a1aa}).
 */
public final class PostalCodes {
    private static final Pattern ZIP_PLUS_FOUR = Pattern.compile("(\\d{5})-?\\d{4}");
    private static final Pattern CODE = Pattern.compile("[0-9a-z]+");

    private PostalCodes() {
    }

    /** The code compacted; empty when it holds anything but letters, digits, spaces and dashes, or nothing. */
    public static Optional<String> compact(String raw) {
        String text = raw.strip().toLowerCase(Locale.ROOT);
        var zip = ZIP_PLUS_FOUR.matcher(text.replace(" ", ""));
        if (zip.matches()) return Optional.of(zip.group(1));
        String compact = text.replaceAll("[\\s-]", "");
        return CODE.matcher(compact).matches() ? Optional.of(compact) : Optional.empty();
    }
}
