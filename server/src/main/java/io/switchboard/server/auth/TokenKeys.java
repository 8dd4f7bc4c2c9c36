package io.switchboard.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The keys a {@link TokenConfig} names, each bound to the one algorithm it verifies (HS256 for the
 * secret, RS256 for RSA keys, ES256 for EC P-256 keys), and the choice of key for a token's header. A key
 * is never used with another algorithm than its own: that is what stops an HS256 token "signed" with the
 * RSA public key's bytes.
 */
final class TokenKeys {
    /** RSA keys shorter than this are refused (RFC 7518 §3.3 asks for at least 2048 bits). */
    static final int MIN_RSA_BITS = 2048;

    /** One key: the algorithm it is for, its id ({@code kid}; null when it has none) and its verifier. */
    record Key(JWSAlgorithm alg, String kid, JWSVerifier verifier) {}

    private final List<Key> keys;
    private final Set<String> algorithms;

    private TokenKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
        this.algorithms = keys.stream().map(k -> k.alg().getName()).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Reads the configured keys; a missing, unreadable or unusable file is an {@link IllegalArgumentException}. */
    static TokenKeys load(TokenConfig config) {
        List<Key> keys = new ArrayList<>();
        if (config.secret() != null) keys.add(new Key(JWSAlgorithm.HS256, null, macVerifier(config.secret())));
        if (config.publicKeyFile() != null) {
            String name = "token public key file " + config.publicKeyFile();
            keys.add(key(pem(config.publicKeyFile(), name), null, name));
        }
        if (config.jwksFile() != null) keys.addAll(jwks(config.jwksFile()));
        return new TokenKeys(keys);
    }

    /** The names of the algorithms some key verifies, e.g. {@code [HS256, RS256]}. */
    Set<String> algorithms() {
        return algorithms;
    }

    /**
     * The key for a token signed with {@code alg} that names {@code kid} (may be null), or null when no key
     * fits. A key without an id (the secret, a PEM key) fits any {@code kid} when it is the only key of
     * its algorithm; otherwise the token must name one of the keys.
     */
    Key select(JWSAlgorithm alg, String kid) {
        List<Key> candidates = keys.stream().filter(k -> k.alg().equals(alg)).toList();
        if (kid != null) {
            for (Key k : candidates) if (kid.equals(k.kid())) return k;
        }
        if (candidates.size() == 1 && (kid == null || candidates.get(0).kid() == null)) return candidates.get(0);
        return null;
    }

    private static JWSVerifier macVerifier(String secret) {
        try {
            return new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) { // TokenConfig has checked the length; nothing else can be wrong
            throw new IllegalArgumentException("the token secret cannot be used for HS256");
        }
    }

    /** The key's verifier; RSA keys must be long enough, EC keys on P-256. */
    private static Key key(PublicKey key, String kid, String name) {
        String which = kid == null ? "" : " (kid " + kid + ")";
        try {
            if (key instanceof RSAPublicKey rsa) {
                int bits = rsa.getModulus().bitLength();
                if (bits < MIN_RSA_BITS) {
                    throw new IllegalArgumentException(name + ": the RSA key" + which + " has " + bits
                            + " bits; at least " + MIN_RSA_BITS + " are needed");
                }
                return new Key(JWSAlgorithm.RS256, kid, new RSASSAVerifier(rsa));
            }
            if (key instanceof ECPublicKey ec) {
                if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                    throw new IllegalArgumentException(name + ": the EC key" + which + " is not on curve P-256 (ES256)");
                }
                return new Key(JWSAlgorithm.ES256, kid, new ECDSAVerifier(ec));
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException(name + ": the key" + which + " cannot verify signatures");
        }
        throw new IllegalArgumentException(name + ": the key" + which + " is neither RSA nor EC");
    }

    private static PublicKey pem(Path file, String name) {
        try {
            return PemKeys.read(readFile(file, name));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(name) ? e : new IllegalArgumentException(name + " " + e.getMessage());
        }
    }

    /**
     * The signing keys of a JWKS. Keys for encryption or for other algorithms are skipped (identity
     * providers publish those beside their signing keys); private and symmetric keys are an error, since
     * a file of public keys that holds one leaks it.
     */
    private static List<Key> jwks(Path file) {
        String name = "token JWKS file " + file;
        String text = new String(readFile(file, name), StandardCharsets.UTF_8);
        JWKSet set;
        try {
            set = JWKSet.parse(text);
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException(name + " is not a JWKS (a JSON object with a \"keys\" array of JWKs)");
        }
        List<Key> keys = new ArrayList<>();
        Set<String> kids = new LinkedHashSet<>();
        for (JWK jwk : set.getKeys()) {
            String which = jwk.getKeyID() == null ? "" : " (kid " + jwk.getKeyID() + ")";
            if (jwk instanceof OctetSequenceKey) {
                throw new IllegalArgumentException(name + " holds a symmetric key" + which
                        + "; HS256 takes the token secret setting instead");
            }
            if (jwk.isPrivate()) {
                throw new IllegalArgumentException(name + " holds a private key" + which + "; publish only public keys");
            }
            if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) continue;
            Key key;
            try {
                if (jwk instanceof RSAKey rsa) key = key(rsa.toRSAPublicKey(), jwk.getKeyID(), name);
                else if (jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) key = key(ec.toECPublicKey(), jwk.getKeyID(), name);
                else continue; // other curves and key types: algorithms this server does not accept
            } catch (JOSEException e) {
                throw new IllegalArgumentException(name + ": the key" + which + " is not a valid public key");
            }
            if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(key.alg().getName())) continue;
            if (key.kid() != null && !kids.add(key.alg().getName() + " " + key.kid())) {
                throw new IllegalArgumentException(name + " has two " + key.alg() + " keys with kid " + key.kid());
            }
            keys.add(key);
        }
        if (keys.isEmpty()) throw new IllegalArgumentException(name + " has no RS256 or ES256 signing key");
        return keys;
    }

    private static byte[] readFile(Path file, String name) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(name + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(name + ": permission denied");
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": cannot be read ("
                    + (Files.isDirectory(file) ? "it is a directory" : String.valueOf(e.getMessage()).replace('\n', ' ')) + ")");
        }
    }
}
