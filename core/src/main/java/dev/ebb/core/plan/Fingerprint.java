package dev.ebb.core.plan;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The fingerprint of a row's mapped values: a versioned, canonical byte encoding hashed with SHA-256 and cut to
 * 128 bits, as 32 hex characters.
 *
 * <p>Encoding v1, for each field in the given order: the field name, then a one-byte type tag and the value's
 * canonical text (numbers as {@link BigDecimal#toPlainString()} without trailing zeros, dates ISO-8601, instants
 * ISO-8601 UTC), each as a 4-byte big-endian length and UTF-8 bytes. The encoding depends on nothing but the
 * values: not on the JVM, the driver, nor the order of a {@link Map}'s iteration. Golden vectors in the tests pin
 * it; changing it means a new version tag, never an edit of v1.
 *
 * <p>Thread-safe: every call takes its own digest.
 */
public final class Fingerprint {
    public static final byte VERSION = 1;
    private static final HexFormat HEX = HexFormat.of();

    private Fingerprint() {
    }

    /**
     * @param fieldNames the mapped destination fields, in mapping order
     * @param values     the converted values, aligned with {@code fieldNames} (see {@link Values#convert})
     */
    public static String of(List<String> fieldNames, List<Object> values) {
        MessageDigest digest = sha256();
        digest.update(VERSION);
        for (int i = 0; i < fieldNames.size(); i++) {
            put(digest, fieldNames.get(i));
            Object value = values.get(i);
            digest.update(tag(value));
            if (value != null) put(digest, canonical(value));
        }
        byte[] hash = digest.digest();
        return HEX.formatHex(hash, 0, 16);
    }

    /**
     * The same fingerprint from the values' tags and canonical texts, as {@code ExtractionSql} has a source write them
     * (the values need not be converted back).
     *
     * @param tags  each value's type tag, aligned with {@code fieldNames}
     * @param texts each value's canonical text, {@code null} for a null value
     */
    public static String ofTexts(List<String> fieldNames, String tags, String[] texts) {
        MessageDigest digest = sha256();
        digest.update(VERSION);
        for (int i = 0; i < fieldNames.size(); i++) {
            put(digest, fieldNames.get(i));
            digest.update(texts[i] == null ? (byte) 'N' : (byte) tags.charAt(i));
            if (texts[i] != null) put(digest, texts[i]);
        }
        return HEX.formatHex(digest.digest(), 0, 16);
    }

    private static byte tag(Object value) {
        return switch (value) {
            case null -> 'N';
            case String s -> 'S';
            case BigDecimal d -> 'D';
            case Boolean b -> 'B';
            case LocalDate d -> 'd';
            case Instant i -> 'T';
            default -> throw new IllegalArgumentException("not a converted value: " + value.getClass());
        };
    }

    private static String canonical(Object value) {
        return value instanceof BigDecimal d ? Values.text(d) : value.toString();
    }

    private static void put(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
