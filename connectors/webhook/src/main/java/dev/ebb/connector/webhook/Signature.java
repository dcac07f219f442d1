package dev.ebb.connector.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The HMAC-SHA256 signature of one request: {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}.
 * A receiver recomputes the HMAC over the timestamp, a dot and the raw body, compares it in constant time, and
 * refuses a timestamp far from its own clock (five minutes, say), so a captured request cannot be replayed later.
 * Immutable and thread-safe.
 */
final class Signature {
    /** The header that carries it unless the entry names another. */
    static final String DEFAULT_HEADER = "Ebb-Signature";
    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] secret;

    Signature(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The header value for {@code body} sent at {@code at}. */
    String header(Instant at, byte[] body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + hmac(t, body);
    }

    /** The hex HMAC of {@code t + "." + body}. */
    String hmac(long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
