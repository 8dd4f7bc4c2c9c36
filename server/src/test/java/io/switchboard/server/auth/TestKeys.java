package io.switchboard.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;

/**
 * Real keys made at test time (JDK {@link KeyPairGenerator}), the files a server is configured with
 * (PEM, JWKS) and tokens signed with nimbus, for the verifier tests.
 */
final class TestKeys {
    static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long";

    private TestKeys() {}

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** PEM text of one DER block, 64 characters a line as openssl writes it. */
    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    static String publicPem(KeyPair pair) {
        return pem("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The public JWK of {@code pair} with id {@code kid} (null for none). */
    static JWK jwk(KeyPair pair, String kid) {
        if (pair.getPublic() instanceof RSAPublicKey rsa) return new RSAKey.Builder(rsa).keyID(kid).build();
        ECPublicKey ec = (ECPublicKey) pair.getPublic();
        return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).keyID(kid).build();
    }

    /** A JWKS document of public keys. */
    static String jwks(JWK... keys) {
        return new JWKSet(List.of(keys)).toString();
    }

    static JWSSigner hmac(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static JWSSigner hmac(String secret) {
        return hmac(secret.getBytes(StandardCharsets.UTF_8));
    }

    static JWSSigner signer(KeyPair pair) {
        try {
            return pair.getPublic() instanceof RSAPublicKey ? new RSASSASigner(pair.getPrivate())
                    : new ECDSASigner((java.security.interfaces.ECPrivateKey) pair.getPrivate());
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** A compact JWS of {@code claimsJson} signed by {@code signer} with {@code alg}, naming {@code kid} (null for none). */
    static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, String claimsJson) {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(alg).keyID(kid).build(), new Payload(claimsJson));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
        return jws.serialize();
    }

    static String hs256(String secret, String claimsJson) {
        return sign(hmac(secret), JWSAlgorithm.HS256, null, claimsJson);
    }

    static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
