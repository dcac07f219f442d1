package dev.ebb.connector.salesforce.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RSA keys in PEM, read with {@code java.security} only: private keys as PKCS#8 ({@code BEGIN PRIVATE KEY}) or
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what {@code openssl genrsa} writes), public keys as X.509
 * SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY}), PKCS#1 ({@code BEGIN RSA PUBLIC KEY}) or inside a certificate
 * ({@code BEGIN CERTIFICATE}, what a Salesforce connected app is given). Encrypted keys are not supported.
 *
 * <p>Not part of Ebb's API: shared by the Salesforce destination and its sandbox. Stateless and thread-safe.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    /** DER of the AlgorithmIdentifier for rsaEncryption (OID 1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00};

    private Pem() {
    }

    /**
     * The RSA private key in {@code pem}. Literal {@code \n} sequences are read as line breaks, so a key can sit on
     * one line of an environment variable.
     *
     * @throws IllegalArgumentException when there is no usable RSA private key, naming what was found instead
     */
    public static PrivateKey privateKey(String pem) {
        Block block = block(pem, "PRIVATE KEY", "RSA PRIVATE KEY");
        byte[] pkcs8 = block.type().equals("RSA PRIVATE KEY")
                ? sequence(concat(new byte[]{0x02, 0x01, 0x00}, RSA_ALGORITHM, tagged(0x04, block.der())))
                : block.der();
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the " + block.type() + " block is not an RSA private key: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The RSA public key in {@code pem} (a public key or a certificate).
     *
     * @throws IllegalArgumentException when there is no usable RSA public key
     */
    public static PublicKey publicKey(String pem) {
        Block block = block(pem, "PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE");
        try {
            return switch (block.type()) {
                case "CERTIFICATE" -> CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(block.der())).getPublicKey();
                case "RSA PUBLIC KEY" -> KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
                        sequence(concat(RSA_ALGORITHM, tagged(0x03, concat(new byte[]{0x00}, block.der()))))));
                default -> KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(block.der()));
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the " + block.type() + " block is not an RSA public key: "
                    + e.getMessage(), e);
        }
    }

    /** {@code der} as a PEM block of {@code type} ({@code PRIVATE KEY}, {@code PUBLIC KEY}), 64 characters a line. */
    public static String encode(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }

    private record Block(String type, byte[] der) {
    }

    private static Block block(String pem, String... accepted) {
        String text = pem == null ? "" : pem.replace("\\n", "\n");
        Matcher matcher = BLOCK.matcher(text);
        String found = null;
        while (matcher.find()) {
            String type = matcher.group(1).trim().toUpperCase(Locale.ROOT);
            for (String wanted : accepted) {
                if (wanted.equals(type)) {
                    try {
                        return new Block(type, Base64.getMimeDecoder().decode(matcher.group(2)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("the " + type + " block is not valid base64", e);
                    }
                }
            }
            if (found == null) found = type;
        }
        if (text.contains("ENCRYPTED")) {
            throw new IllegalArgumentException("encrypted keys are not supported; write the key unencrypted, e.g. "
                    + "openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
        }
        throw new IllegalArgumentException(found == null
                ? "no PEM block (-----BEGIN " + accepted[0] + "-----) found"
                : "found a " + found + " block where " + String.join(" or ", accepted) + " was expected");
    }

    private static byte[] sequence(byte[] content) {
        return tagged(0x30, content);
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) out.write((length >>> shift) & 0xFF);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }
}
