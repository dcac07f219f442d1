package dev.ebb.connector.support;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One of a fixed list of values, spelled as settings spell it ({@code professional}, {@code client_credentials}):
 * found regardless of case and of {@code -} for {@code _}, or refused with a message that lists every spelling and,
 * when the text is close to one, suggests it.
 */
public final class Choices {
    private Choices() {
    }

    /**
     * The value spelled {@code text}.
     *
     * @param what     what the values are, for the message ({@code HubSpot tier})
     * @param spelling how settings spell a value
     * @throws IllegalArgumentException {@code unknown HubSpot tier 'proffesional'; use one of free, starter,
     *                                  professional, enterprise (did you mean professional?)}
     */
    public static <E> E parse(String text, List<E> values, Function<E, String> spelling, String what) {
        String wanted = normal(text);
        for (E value : values) {
            if (normal(spelling.apply(value)).equals(wanted)) return value;
        }
        List<String> spellings = values.stream().map(spelling).toList();
        throw new IllegalArgumentException("unknown " + what + " '" + text + "'; use one of "
                + String.join(", ", spellings) + suggestion(wanted, spellings).map(s -> " (did you mean " + s + "?)")
                .orElse(""));
    }

    /**
     * The spelling closest to {@code text} when it is a plausible slip: at most two edits, and one for a word of
     * fewer than six letters. (Core's {@code Suggestions} does the same for project files; connectors cannot reach
     * core.)
     */
    static Optional<String> suggestion(String text, List<String> spellings) {
        int tolerance = Math.min(2, Math.max(1, text.length() / 3));
        return spellings.stream()
                .min(Comparator.comparingInt((String spelling) -> distance(text, normal(spelling))))
                .filter(nearest -> distance(text, normal(nearest)) <= tolerance);
    }

    private static String normal(String text) {
        return text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The spellings of an enum's constants in settings: lower case. */
    public static <E extends Enum<E>> String lowerCase(E value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Every spelling, joined for a message or an option's description. */
    public static <E> String listed(List<E> values, Function<E, String> spelling, String separator) {
        return values.stream().map(spelling).collect(Collectors.joining(separator));
    }
}
