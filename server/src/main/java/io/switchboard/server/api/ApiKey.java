package io.switchboard.server.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.switchboard.core.error.SwitchboardException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks the server API's {@code Authorization: Bearer API_KEY} header. The comparison takes the same
 * time wherever the keys differ, and no answer ever repeats what was sent.
 */
final class ApiKey {
    private static final String BEARER = "Bearer ";
    private static final SwitchboardException MISSING =
            new SwitchboardException(401, "unauthorized", "send Authorization: Bearer API_KEY");
    private static final SwitchboardException WRONG =
            new SwitchboardException(401, "unauthorized", "the API key is not valid");

    private final byte[] key;

    ApiKey(String key) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns when the request carries the key; otherwise throws a 401. */
    void check(HttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        // The scheme is case-insensitive (RFC 9110 §11.1); anything but Bearer counts as no credentials.
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) throw MISSING;
        byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        // isEqual's time depends only on the first argument's length: the caller's, not the secret's.
        if (!MessageDigest.isEqual(given, key)) throw WRONG;
    }
}
