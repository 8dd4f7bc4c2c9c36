package io.switchboard.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.server.codec.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Mints client tokens (JWT, HS256) for tests, as a backend would. */
public final class Tokens {
    private Tokens() {}

    /**
     * @param sub      the user, or null
     * @param exp      when it expires, or null for never
     * @param infoJson the {@code info} claim as JSON, or null
     */
    @SuppressWarnings("unchecked")
    public static String hs256(String secret, String sub, List<String> channels, List<String> publish, String infoJson,
                               Instant exp, Instant nbf) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(sub);
        if (channels != null && !channels.isEmpty()) claims.claim("channels", channels);
        if (publish != null && !publish.isEmpty()) claims.claim("publish", publish);
        if (exp != null) claims.expirationTime(Date.from(exp));
        if (nbf != null) claims.notBeforeTime(Date.from(nbf));
        if (infoJson != null) {
            claims.claim("info", Json.MAPPER.convertValue(Json.parse(infoJson.getBytes(StandardCharsets.UTF_8)), Map.class));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
        return jwt.serialize();
    }
}
