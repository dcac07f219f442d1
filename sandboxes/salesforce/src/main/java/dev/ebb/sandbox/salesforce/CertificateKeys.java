package dev.ebb.sandbox.salesforce;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The key a connected app verifies JWT bearer assertions with, read from what its admin uploads: a certificate
 * ("Create a Private Key and Self-Signed Digital Certificate",
 * https://developer.salesforce.com/docs/atlas.en-us.sfdx_dev.meta/sfdx_dev/sfdx_dev_auth_key_and_cert.htm) or, for
 * the sandbox's convenience, an X.509 {@code PUBLIC KEY} block. Stateless.
 */
final class CertificateKeys {
    private static final String BEGIN_KEY = "-----BEGIN PUBLIC KEY-----";
    private static final String END_KEY = "-----END PUBLIC KEY-----";

    private CertificateKeys() {
    }

    /**
     * The RSA public key of a PEM certificate or public key.
     *
     * @throws IllegalArgumentException when the text holds neither, naming what to give instead
     */
    static PublicKey read(String pem) {
        try {
            if (pem.contains("-----BEGIN CERTIFICATE-----")) {
                return CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                        .getPublicKey();
            }
            int begin = pem.indexOf(BEGIN_KEY);
            int end = pem.indexOf(END_KEY);
            if (begin < 0 || end < begin) {
                throw new IllegalArgumentException("no CERTIFICATE or PUBLIC KEY block found; give the connected "
                        + "app's certificate (-----BEGIN CERTIFICATE-----) or its RSA public key");
            }
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN_KEY.length(), end));
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA certificate or public key: " + e.getMessage(), e);
        }
    }
}
