package dev.ebb.connector.support;

/** Parts of a destination's account id that must identify an account without revealing its credential. */
public final class AccountIds {
    private AccountIds() {
    }

    /**
     * The first 12 hex digits of the SHA-256 of {@code secret}: stable per credential, so two entries with the same
     * key share one rate budget, and too short to stand for the key anywhere it is shown.
     */
    public static String shortHash(String secret) {
        return Hashes.sha256Hex(secret).substring(0, 12);
    }
}
