package dev.ebb.core.state;

import java.util.Map;
import java.util.TreeMap;

/**
 * The per-field hashes of a snapshot entry, as one text column: {@code field=hash} pairs joined by newlines,
 * sorted by field. Field names are destination API names, which hold neither {@code =}, {@code @} nor newlines.
 */
public final class FieldHashes {
    private FieldHashes() {
    }

    /**
     * The entry kept beside a field's hash once a conflict on it was resolved for the person's value: the hash of
     * the warehouse value it was resolved against. While the warehouse still says that, the person's value stays.
     */
    public static String keptAgainst(String field) {
        return field + "@kept_against";
    }

    /**
     * The encoded hashes {@code text} once a conflict on {@code field} was decided: {@code newBaseHash} is the
     * field's hash, and {@code keptAgainstHash}, when the person's value was kept, the warehouse value's it was kept
     * against ({@code null} otherwise).
     */
    public static String decided(String text, String field, String newBaseHash, String keptAgainstHash) {
        Map<String, String> hashes = decode(text);
        hashes.put(field, newBaseHash);
        if (keptAgainstHash == null) hashes.remove(keptAgainst(field));
        else hashes.put(keptAgainst(field), keptAgainstHash);
        return encode(hashes);
    }

    public static String encode(Map<String, String> hashes) {
        if (hashes == null || hashes.isEmpty()) return null;
        StringBuilder text = new StringBuilder();
        new TreeMap<>(hashes).forEach((field, hash) -> {
            if (!text.isEmpty()) text.append('\n');
            text.append(field).append('=').append(hash);
        });
        return text.toString();
    }

    public static Map<String, String> decode(String text) {
        Map<String, String> hashes = new TreeMap<>();
        if (text == null || text.isEmpty()) return hashes;
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) hashes.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return hashes;
    }
}
