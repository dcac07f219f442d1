package dev.ebb.connector.salesforce;

import dev.ebb.connector.salesforce.internal.Pem;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;

/**
 * RSA key pairs for the JWT bearer flow in tests, made once per JVM. The trusted key has the 2,048 bits a connected
 * app's certificate needs; the stranger only has to be wrong, and a smaller key is much faster to make.
 */
public final class TestingKeys {
    /** The pair whose public key the sandboxes trust. */
    public static final KeyPair TRUSTED = generate(2048);
    /** A pair no sandbox trusts. */
    public static final KeyPair STRANGER = generate(1024);

    private TestingKeys() {
    }

    /** The private key as PKCS#8 PEM, as a {@code private_key} setting holds it. */
    public static String privatePem(KeyPair pair) {
        return Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    /** The public key as X.509 PEM. */
    public static String publicPem(KeyPair pair) {
        return Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    private static KeyPair generate(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has RSA", e);
        }
    }
}
