package dev.ebb.core.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean …?" for a misspelt key, name, column or field. Stateless. */
public final class Suggestions {
    private Suggestions() {
    }

    /** The candidate closest to {@code written}, when it is close enough to be a likely typo. */
    public static Optional<String> nearest(String written, Collection<String> candidates) {
        String typed = normalize(written);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(typed, normalize(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Two edits for words of five letters or more, one below: closer than that is noise, not a typo.
        int tolerance = typed.length() >= 5 ? 2 : 1;
        return bestDistance <= tolerance ? Optional.ofNullable(best) : Optional.empty();
    }

    /** {@code "; did you mean 'x'?"}, or the empty string. */
    static String didYouMean(String written, Collection<String> candidates) {
        return nearest(written, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    /**
     * {@code "; did you mean 'x'? Allowed keys: a, b"} or {@code "; allowed keys: a, b"}, where {@code what} is the
     * plural noun ("keys", "values", "source types").
     */
    static String hint(String written, Collection<String> candidates, String what) {
        String list = candidates.isEmpty() ? "none" : String.join(", ", candidates);
        return nearest(written, candidates)
                .map(s -> "; did you mean '" + s + "'? Allowed " + what + ": " + list)
                .orElse("; allowed " + what + ": " + list);
    }

    // Case and '-' versus '_' are the commonest slips; they cost no edit.
    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** Edit distance where swapping two neighbouring letters is one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
