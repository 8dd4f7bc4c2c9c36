package io.switchboard.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.time.Clock;
import io.switchboard.server.codec.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Verifies client JWTs (compact JWS) with nimbus-jose-jwt against the keys of a {@link TokenConfig}, and
 * turns their claims into an {@link Identity}. Thread-safe; {@link #verify} does no I/O.
 *
 * <p>The order of checks is what keeps it safe: the shape of the token, then its algorithm, which must
 * be one a configured key is for ({@code none}, and HS256 where only an RSA key is configured, are
 * refused here), then the signature with that key, and only then the claims and the validity window
 * ({@code exp} and {@code nbf}, each with the configured skew, on the injected {@link Clock}). Keys come
 * only from the configuration, never from the token's header ({@code jwk}, {@code jku}, {@code x5u} are
 * ignored). No reason repeats any part of the token.
 */
public final class JwtVerifier implements TokenVerifier {
    /** Longer tokens are refused before any parsing; a real one (with a presence {@code info}) is far shorter. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    private final TokenKeys keys;
    private final long skewMillis;
    private final Clock clock;

    private JwtVerifier(TokenKeys keys, long skewMillis, Clock clock) {
        this.keys = keys;
        this.skewMillis = skewMillis;
        this.clock = clock;
    }

    /**
     * The verifier for {@code config}: {@link TokenVerifier#NONE} when it names no key, otherwise a
     * {@code JwtVerifier} with the keys read now. Throws {@link IllegalArgumentException} with a one-line
     * message naming the file when a key file is missing, unreadable or holds no usable key.
     */
    public static TokenVerifier from(TokenConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        if (!config.configured()) return TokenVerifier.NONE;
        return new JwtVerifier(TokenKeys.load(config), config.skew().toMillis(), clock);
    }

    @Override
    public Identity verify(String token) {
        if (token == null || token.isEmpty()) throw badToken("the token is empty");
        if (token.length() > MAX_TOKEN_CHARS) throw badToken("the token is longer than " + MAX_TOKEN_CHARS + " characters");
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
            throw badToken("the token is not a JWT (three base64url parts separated by dots)");
        }
        String headerPart = token.substring(0, dot1);
        String payloadPart = token.substring(dot1 + 1, dot2);
        String signaturePart = token.substring(dot2 + 1);
        checkAlphabet(headerPart, "header");
        checkAlphabet(payloadPart, "payload");
        checkAlphabet(signaturePart, "signature");

        JWSHeader header = header(headerPart);
        TokenKeys.Key key = keys.select(header.getAlgorithm(), header.getKeyID());
        if (key == null) {
            throw badToken(header.getKeyID() == null
                    ? "the token does not say which key signed it (kid)"
                    : "the token names a key (kid) this server does not have");
        }
        checkSignature(key, header, token.substring(0, dot2), signaturePart);

        TokenClaims claims = TokenClaims.read(json(payloadPart, "payload", "the token's claims are not JSON"));
        long now = clock.millis();
        long expiresAt = claims.identity().expiresAt();
        if (expiresAt > 0 && now >= saturatedAdd(expiresAt, skewMillis)) {
            throw new SwitchboardException(401, "token_expired", "the token has expired");
        }
        if (claims.notBefore() != TokenClaims.ABSENT && saturatedAdd(now, skewMillis) < claims.notBefore()) {
            throw new SwitchboardException(401, "token_not_yet_valid", "the token is not valid yet (nbf)");
        }
        return claims.identity();
    }

    /** The header, once its algorithm is known to be one a configured key is for. */
    private JWSHeader header(String part) {
        JsonNode node = json(part, "header", "the token's header is not JSON");
        JsonNode alg = node.get("alg");
        if (!node.isObject() || alg == null || !alg.isTextual()) {
            throw badToken("the token's header is not a JSON object with an alg");
        }
        if (alg.asText().equalsIgnoreCase("none")) throw badToken("unsigned tokens (alg none) are not accepted");
        if (!keys.algorithms().contains(alg.asText())) {
            throw badToken("the token's algorithm is not accepted here (accepted: " + String.join(", ", keys.algorithms()) + ")");
        }
        try {
            return JWSHeader.parse(new Base64URL(part));
        } catch (java.text.ParseException | RuntimeException e) {
            throw badToken("the token's header is not a valid JWS header");
        }
    }

    private static void checkSignature(TokenKeys.Key key, JWSHeader header, String signingInput, String signaturePart) {
        // nimbus checks the algorithm against the key, refuses unknown "crit" parameters and, for ES256,
        // malformed and zero signatures; a MAC is compared in constant time.
        decode(signaturePart, "signature");
        boolean valid;
        try {
            JWSAlgorithm alg = header.getAlgorithm();
            valid = alg.equals(key.alg())
                    && key.verifier().verify(header, signingInput.getBytes(StandardCharsets.US_ASCII), new Base64URL(signaturePart));
        } catch (JOSEException | RuntimeException e) {
            valid = false;
        }
        if (!valid) throw badToken("the token's signature does not verify");
    }

    /** A part decoded and parsed as one strict JSON value (duplicate keys and trailing data refused). */
    private static JsonNode json(String part, String what, String notJson) {
        byte[] bytes = decode(part, what);
        try {
            return Json.parse(bytes);
        } catch (SwitchboardException e) {
            throw badToken(notJson);
        }
    }

    /** base64url without padding is all RFC 7515 §2 allows in a compact JWS. */
    private static void checkAlphabet(String part, String what) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) throw badToken("the token's " + what + " is not base64url");
        }
    }

    /** The bytes of a part whose alphabet is checked; the JDK decoder refuses impossible lengths. */
    private static byte[] decode(String part, String what) {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw badToken("the token's " + what + " is not base64url");
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** A 401 {@code bad_token} with a reason that never holds the token. */
    static SwitchboardException badToken(String reason) {
        return new SwitchboardException(401, "bad_token", reason);
    }

    @Override
    public String toString() {
        return "JwtVerifier[algorithms=" + keys.algorithms() + ", skew=" + skewMillis + "ms]";
    }
}
