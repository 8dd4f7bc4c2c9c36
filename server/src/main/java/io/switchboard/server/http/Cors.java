package io.switchboard.server.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

/** CORS answer headers for HTTP doors, given only to origins the {@link OriginPolicy} allows. */
public final class Cors {
    private final OriginPolicy origins;

    public Cors(OriginPolicy origins) {
        this.origins = origins;
    }

    /**
     * Headers to add to the answer: {@code Access-Control-Allow-Origin} echoing an allowed origin (with
     * {@code Vary: Origin}), or none for a request without Origin or from an origin that is not allowed.
     */
    public HttpHeaders headersFor(HttpRequest request) {
        HttpHeaders h = new DefaultHttpHeaders();
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        h.set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        if (origin != null && origins.allows(origin, request.headers().get(HttpHeaderNames.HOST))) {
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "Content-Type");
        }
        return h;
    }

    public boolean allowed(HttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        return origin == null || origins.allows(origin, request.headers().get(HttpHeaderNames.HOST));
    }
}
