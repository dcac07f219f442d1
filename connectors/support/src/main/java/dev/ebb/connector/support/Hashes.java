package dev.ebb.connector.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * SHA-256 as audience APIs want it (Meta Custom Audiences, Google Customer Match): the lowercase hex digest of a
 * normalised value's UTF-8 bytes, and a test for a value that is such a digest already, so that a model which hashes
 * its own identifiers is not hashed twice.
 */
public final class Hashes {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private Hashes() {
    }

    /** The lowercase hex SHA-256 digest of {@code normalised}'s UTF-8 bytes. */
    public static String sha256Hex(String normalised) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(normalised.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Whether {@code value} is already a SHA-256 hex digest (64 hex digits, either case). */
    public static boolean isSha256Hex(String value) {
        return SHA256_HEX.matcher(value.strip()).matches();
    }

    /**
     * The digest to send for {@code value}: a value that is a digest already, lowercased; otherwise the digest of
     * {@code normalised}, the value as the vendor's rules normalise it.
     */
    public static String sha256HexOnce(String value, String normalised) {
        return isSha256Hex(value) ? value.strip().toLowerCase(java.util.Locale.ROOT) : sha256Hex(normalised);
    }
}
