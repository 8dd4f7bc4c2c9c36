package io.switchboard.server.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Which client tokens a node accepts (PROTOCOL.md "Tokens and permissions"): HS256 tokens signed with
 * {@code secret}, and RS256/ES256 tokens signed by the key in {@code publicKeyFile} or one of the keys of
 * {@code jwksFile}. Any of them may be absent; with none the node verifies no token ({@link #NONE}).
 * {@link JwtVerifier#from} reads the files.
 *
 * @param secret        the HS256 secret, whose UTF-8 bytes are the HMAC key (at least 32 bytes); null for none
 * @param publicKeyFile a PEM file with a {@code PUBLIC KEY} or a {@code CERTIFICATE} (RSA ≥ 2048 bits or EC P-256); null for none
 * @param jwksFile      a JWKS file ({@code {"keys":[…]}}) whose RSA and EC P-256 keys are chosen by {@code kid}; null for none
 * @param skew          how far {@code exp} and {@code nbf} may be off the server's clock (10 s; 0 to 5 minutes)
 */
public record TokenConfig(String secret, Path publicKeyFile, Path jwksFile, Duration skew) {
    /** HS256 needs a key at least as long as its hash (RFC 7518 §3.2). */
    public static final int MIN_SECRET_BYTES = 32;
    public static final Duration DEFAULT_SKEW = Duration.ofSeconds(10);
    /** A skew beyond this is a broken clock, and would keep expired tokens working. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    /** No token configuration: every token is refused. */
    public static final TokenConfig NONE = new TokenConfig(null, null, null, DEFAULT_SKEW);

    public TokenConfig {
        // Messages never repeat the secret: they end up on the operator's terminal and in logs.
        if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the token secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (publicKeyFile != null && jwksFile != null) {
            throw new IllegalArgumentException("give a token public key file or a JWKS file, not both");
        }
        Objects.requireNonNull(skew, "skew");
        if (skew.isNegative() || skew.compareTo(MAX_SKEW) > 0) {
            throw new IllegalArgumentException("the token clock skew must be 0 to " + MAX_SKEW.toMinutes() + " minutes");
        }
    }

    /** True when some key is configured, so that tokens can be verified at all. */
    public boolean configured() {
        return secret != null || publicKeyFile != null || jwksFile != null;
    }

    public TokenConfig withSecret(String v) {
        return new TokenConfig(v, publicKeyFile, jwksFile, skew);
    }

    public TokenConfig withPublicKeyFile(Path v) {
        return new TokenConfig(secret, v, jwksFile, skew);
    }

    public TokenConfig withJwksFile(Path v) {
        return new TokenConfig(secret, publicKeyFile, v, skew);
    }

    public TokenConfig withSkew(Duration v) {
        return new TokenConfig(secret, publicKeyFile, jwksFile, v);
    }

    @Override
    public String toString() {
        // Never the secret, only whether there is one.
        return "TokenConfig[secret=" + (secret == null ? "none" : "(set)") + ", publicKeyFile=" + publicKeyFile
                + ", jwksFile=" + jwksFile + ", skew=" + skew + "]";
    }
}
