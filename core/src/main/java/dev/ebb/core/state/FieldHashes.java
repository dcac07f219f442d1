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
