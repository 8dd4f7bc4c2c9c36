package io.switchboard.server.auth;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.server.http.QueryParams;

/**
 * Finds who a client request is: its token from {@code token=} (EventSource, script tags and WebSocket
 * URLs cannot set headers) or else {@code Authorization: Bearer TOKEN}, verified by the configured
 * {@link TokenVerifier}. No token is {@link Identity#ANONYMOUS}; a bad one is a 401. Tokens are never
 * logged or echoed.
 */
public final class Authenticator {
    private static final String BEARER = "Bearer ";

    private final TokenVerifier verifier;

    public Authenticator(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    /** The identity {@code request} proves; throws the verifier's 401 for a token that proves nothing. */
    public Identity identify(HttpRequest request, QueryParams query) {
        String token = query.one("token");
        if (token == null || token.isEmpty()) token = bearer(request);
        return token == null ? Identity.ANONYMOUS : verifier.verify(token);
    }

    /** The identity a token proves (the WebSocket {@code auth} op); throws a 401 when it proves nothing. */
    public Identity verify(String token) {
        return verifier.verify(token);
    }

    /** The token of an {@code Authorization: Bearer} header, or null. */
    private static String bearer(HttpRequest request) {
        String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, BEARER, 0, BEARER.length())) return null;
        String token = auth.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }
}
