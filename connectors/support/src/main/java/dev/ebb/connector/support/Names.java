package dev.ebb.connector.support;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * Names and place names as audience APIs hash them: lowercase letters only. Punctuation, digits and white space are
 * dropped ({@code "Mary-Jane O'Neil"} → {@code maryjaneoneil}); letters outside a–z, such as accented ones, are
 * kept in Unicode NFC, the UTF-8 form the vendors ask for ({@code "José"} → {@code josé}).
 */
public final class Names {
    private Names() {
    }

    /** The name's letters, lowercased; empty when it has none. */
    public static Optional<String> letters(String raw) {
        String composed = Normalizer.normalize(raw, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        StringBuilder kept = new StringBuilder(composed.length());
        composed.codePoints().filter(Character::isLetter).forEach(kept::appendCodePoint);
        return kept.isEmpty() ? Optional.empty() : Optional.of(kept.toString());
    }
}
