package dev.ebb.sandbox.salesforce;

import java.util.Optional;

/**
 * Salesforce record ids: a 3-character key prefix ({@code 003} for contacts), 12 more characters, and a 3-character
 * suffix that encodes the case of the first 15 so that the 18-character form is case-insensitive
 * (https://help.salesforce.com/s/articleView?id=000385008, "What are Salesforce IDs composed of?"). Stateless.
 */
final class SalesforceIds {
    private static final String SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private SalesforceIds() {
    }

    /** The {@code n}th id of a key prefix, in its 18-character form. */
    static String make(String keyPrefix, long n) {
        StringBuilder counter = new StringBuilder();
        long rest = n;
        for (int i = 0; i < 6; i++) {
            counter.insert(0, BASE62.charAt((int) (rest % 62)));
            rest /= 62;
        }
        String id15 = keyPrefix + "8d0000" + counter;
        return id15 + suffix(id15);
    }

    /** The 3-character case suffix of a 15-character id. */
    static String suffix(String id15) {
        StringBuilder suffix = new StringBuilder();
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') bits |= 1 << i;
            }
            suffix.append(SUFFIX_CHARS.charAt(bits));
        }
        return suffix.toString();
    }

    /**
     * The 18-character form of a 15- or 18-character id, or empty when it is not one. An 18-character id whose
     * letters lost their case (the suffix says which were upper case) is restored.
     */
    static Optional<String> normalize(String id) {
        if (id == null) return Optional.empty();
        String trimmed = id.trim();
        if (!trimmed.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) return Optional.empty();
        if (trimmed.length() == 15) return Optional.of(trimmed + suffix(trimmed));
        if (trimmed.length() != 18) return Optional.empty();
        String suffix = trimmed.substring(15).toUpperCase(java.util.Locale.ROOT);
        StringBuilder restored = new StringBuilder();
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = SUFFIX_CHARS.indexOf(suffix.charAt(chunk));
            if (bits < 0) return Optional.empty();
            for (int i = 0; i < 5; i++) {
                char c = trimmed.charAt(chunk * 5 + i);
                restored.append((bits & (1 << i)) != 0 ? Character.toUpperCase(c) : Character.toLowerCase(c));
            }
        }
        String id15 = restored.toString();
        return suffix.equals(suffix(id15)) ? Optional.of(id15 + suffix) : Optional.empty();
    }
}
