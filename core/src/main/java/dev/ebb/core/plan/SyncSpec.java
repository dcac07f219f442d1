package dev.ebb.core.plan;

import dev.ebb.core.config.FieldMapping;
import dev.ebb.core.config.SyncConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What, if changed, makes a snapshot's fingerprints meaningless: the fingerprint version, the key, object, mode,
 * removal behaviour, match and mappings. Kept in the state store with its hash; a change re-plans every row.
 */
public record SyncSpec(String text, String hash) {

    public static SyncSpec of(SyncConfig sync) {
        StringBuilder spec = new StringBuilder("fingerprint=v").append(Fingerprint.VERSION)
                .append("\nkey=").append(sync.key())
                .append("\nobject=").append(sync.object())
                .append("\nmode=").append(lower(sync.mode()))
                .append("\non_removed=").append(lower(Operations.removal(sync)))
                .append("\nmatch=").append(sync.match().column()).append("->").append(sync.match().field());
        for (FieldMapping f : sync.fields()) {
            spec.append("\nfield=").append(f.column() != null ? "column:" + f.column() : "value:" + f.value())
                    .append("->").append(f.field()).append(" policy=").append(lower(f.policy()))
                    .append(" nulls=").append(lower(f.nulls()));
        }
        String text = spec.toString();
        return new SyncSpec(text, sha256(text));
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
