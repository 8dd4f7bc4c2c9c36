package io.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens the way a backend makes them, with any key and algorithm, plus hand-built broken ones, and key
 * pairs made at test time with their public key written as PEM (what a server is configured with).
 * The few lines the server's unit tests use ({@code TestKeys}), copied so testkit does not depend on
 * server test classes.
 */
final class Jwts {
    private Jwts() {}

    /** Claims with {@code sub} (null for none), {@code channels} and {@code publish} patterns, valid until {@code exp}. */
    static JWTClaimsSet claims(String sub, List<String> channels, List<String> publish, Instant exp) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().subject(sub);
        if (!channels.isEmpty()) b.claim("channels", channels);
        if (!publish.isEmpty()) b.claim("publish", publish);
        if (exp != null) b.expirationTime(Date.from(exp));
        return b.build();
    }

    /** Claims that allow reading every {@code private-*} channel, for an hour. */
    static JWTClaimsSet privateReader(String sub) {
        return claims(sub, List.of("private-*"), List.of(), Instant.now().plusSeconds(3600));
    }

    /** A compact JWS of {@code claims} signed by {@code signer} with {@code alg}. */
    static String sign(JWSSigner signer, JWSAlgorithm alg, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new AssertionError("cannot sign a test token", e);
        }
        return jwt.serialize();
    }

    /**
     * HMAC-signed by hand with {@code secret}'s UTF-8 bytes under any HMAC algorithm ({@code "HS384"}, …):
     * the right secret under a wrong algorithm, which nimbus' own signer would refuse to make with a
     * secret shorter than the hash.
     */
    static String hmac(String secret, String alg, JWTClaimsSet claims) {
        String signingInput = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + b64(claims.toString());
        String javaName = "Hmac" + alg.replace("HS", "SHA");
        try {
            Mac mac = Mac.getInstance(javaName);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), javaName));
            byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** RS256 for an RSA pair, ES256 for an EC P-256 pair, signed with its private key. */
    static String signWith(KeyPair pair, JWTClaimsSet claims) {
        try {
            if (pair.getPrivate() instanceof RSAPrivateKey rsa) return sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, claims);
            return sign(new ECDSASigner((ECPrivateKey) pair.getPrivate()), JWSAlgorithm.ES256, claims);
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    /** An unsigned token ({@code "alg":"none"}, empty signature part), built by hand as an attacker would. */
    static String unsigned(JWTClaimsSet claims) {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims.toString()) + ".";
    }

    static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static KeyPair rsa2048() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static KeyPair ecP256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes {@code pair}'s public key as a PEM {@code PUBLIC KEY} block (what openssl pkey -pubout writes). */
    static Path writePublicPem(Path file, KeyPair pair) {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        try {
            return Files.writeString(file, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
