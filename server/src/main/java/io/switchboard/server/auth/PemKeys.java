package io.switchboard.server.auth;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the public key out of PEM text: a {@code PUBLIC KEY} block (X.509 SubjectPublicKeyInfo, what
 * {@code openssl pkey -pubout} writes) or a {@code CERTIFICATE} (its subject's key; the first one of a
 * chain). Plain JDK, because nimbus' own PEM reader needs BouncyCastle.
 */
final class PemKeys {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    private PemKeys() {}

    /**
     * The public key of the first usable block of {@code pem}. Throws {@link IllegalArgumentException}
     * saying what is wrong (the caller adds the file name).
     */
    static PublicKey read(byte[] pem) {
        // Latin-1 maps every byte to a char, so a binary (DER) file gives "no block" instead of a decoding error.
        Matcher m = BLOCK.matcher(new String(pem, StandardCharsets.ISO_8859_1));
        PublicKey found = null;
        boolean any = false;
        while (m.find()) {
            any = true;
            String label = m.group(1);
            if (label.contains("PRIVATE KEY")) {
                // A private key where a public one belongs is a key leaking to where it is not needed.
                throw new IllegalArgumentException("holds a private key; give the public key instead"
                        + " (openssl pkey -in key.pem -pubout -out public.pem)");
            }
            if (found != null) continue;
            if (label.equals("PUBLIC KEY")) found = publicKey(der(m.group(2)));
            else if (label.equals("CERTIFICATE")) found = certificateKey(der(m.group(2)));
        }
        if (found != null) return found;
        throw new IllegalArgumentException(any
                ? "has no PUBLIC KEY or CERTIFICATE block (an RSA PUBLIC KEY converts with: openssl rsa -RSAPublicKey_in -in key.pem -pubout)"
                : "is not a PEM file (expected -----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE-----)");
    }

    private static byte[] der(String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("has a PEM block that is not valid Base64");
        }
    }

    private static PublicKey publicKey(byte[] der) {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this kind of key: try the next
            }
        }
        throw new IllegalArgumentException("has a PUBLIC KEY that is neither an RSA nor an EC key");
    }

    private static PublicKey certificateKey(byte[] der) {
        try {
            return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("has a CERTIFICATE that cannot be read");
        }
    }
}
