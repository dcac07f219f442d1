package dev.ebb.connector.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Parts of a destination's account id that must identify an account without revealing its credential. */
public final class AccountIds {
    private AccountIds() {
    }

    /**
     * The first 12 hex digits of the SHA-256 of {@code secret}: stable per credential, so two entries with the same
     * key share one rate budget, and not enough to recover or test a guess of a key cheaply at scale.
     */
    public static String shortHash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
