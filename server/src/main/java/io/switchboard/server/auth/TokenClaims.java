package io.switchboard.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.auth.Identity;
import io.switchboard.server.codec.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The claims of a verified token that Switchboard reads, type-checked: {@code sub} (a string),
 * {@code channels} and {@code publish} (strings, or one string), {@code info} (any JSON), and the
 * NumericDates {@code exp} and {@code nbf} (seconds since the epoch, possibly fractional). Other claims
 * ({@code iat}, {@code iss}, …) are ignored. A claim of the wrong type is a {@code bad_token}: a token
 * whose meaning is unclear grants nothing.
 *
 * @param identity  who the token says the client is; {@code expiresAt} is {@code exp} in milliseconds, 0 without
 * @param notBefore {@code nbf} in epoch milliseconds; {@link #ABSENT} without one
 */
record TokenClaims(Identity identity, long notBefore) {
    static final long ABSENT = -1;
    private static final BigDecimal MAX_MILLIS = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    /** Reads the claims of {@code payload}, a parsed JSON object. */
    static TokenClaims read(JsonNode payload) {
        if (!payload.isObject()) throw JwtVerifier.badToken("the token's claims are not a JSON object");
        String user = null;
        JsonNode sub = payload.get("sub");
        if (sub != null) {
            if (!sub.isTextual() || sub.asText().isEmpty()) throw claim("sub", "a non-empty string");
            user = sub.asText();
        }
        List<String> channels = patterns(payload, "channels");
        List<String> publish = patterns(payload, "publish");
        JsonNode infoNode = payload.get("info");
        byte[] info = infoNode == null || infoNode.isNull() ? null : Json.bytes(infoNode);
        long exp = date(payload, "exp");
        long nbf = date(payload, "nbf");
        // An exp that rounds to 0 ms would read as "never expires"; 1 ms is as expired as 0.
        long expiresAt = exp == ABSENT ? 0 : Math.max(exp, 1);
        return new TokenClaims(new Identity(user, channels, publish, info, expiresAt), nbf);
    }

    /** An array of non-empty strings, or one string as a list of one. */
    private static List<String> patterns(JsonNode payload, String name) {
        JsonNode node = payload.get(name);
        if (node == null) return List.of();
        String expected = "a string or an array of strings";
        if (node.isTextual()) {
            if (node.asText().isEmpty()) throw claim(name, expected + " (not empty)");
            return List.of(node.asText());
        }
        if (!node.isArray()) throw claim(name, expected);
        List<String> patterns = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isTextual() || item.asText().isEmpty()) throw claim(name, expected + " (not empty)");
            patterns.add(item.asText());
        }
        return patterns;
    }

    /** A NumericDate claim in epoch milliseconds (saturated at {@code Long.MAX_VALUE}), or {@link #ABSENT}. */
    private static long date(JsonNode payload, String name) {
        JsonNode node = payload.get(name);
        if (node == null) return ABSENT;
        if (!node.isNumber()) throw claim(name, "a number of seconds since the epoch");
        BigDecimal millis = node.decimalValue().multiply(THOUSAND);
        if (millis.signum() < 0) throw claim(name, "a number of seconds since the epoch, not negative");
        // Compare before converting: 1e999999999 must not become a huge integer.
        if (millis.compareTo(MAX_MILLIS) >= 0) return Long.MAX_VALUE;
        if (millis.compareTo(BigDecimal.ONE) < 0) return 0;
        return millis.longValue();
    }

    private static RuntimeException claim(String name, String expected) {
        return JwtVerifier.badToken("the token's " + name + " claim must be " + expected);
    }
}
