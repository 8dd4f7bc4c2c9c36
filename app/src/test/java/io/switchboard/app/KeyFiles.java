package io.switchboard.app;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Token key files for config tests: a fresh EC P-256 public key as PEM or as a one-key JWKS. */
final class KeyFiles {
    private KeyFiles() {}

    static Path pem(Path file) throws IOException {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ec().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        return Files.writeString(file, pem);
    }

    static Path jwks(Path file) throws IOException {
        ECPublicKey key = (ECPublicKey) ec().getPublic();
        return Files.writeString(file, new JWKSet(new ECKey.Builder(Curve.P_256, key).keyID("k1").build()).toString());
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
