package io.switchboard.server.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.http.Route;
import io.switchboard.server.metrics.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file from the server's jar, answered to {@code GET} and {@code HEAD}: the JavaScript client at
 * {@code /switchboard.js} (ES module) and {@code /switchboard.global.js} (classic script). The build copies
 * {@code client-js/dist} into the jar (see server/pom.xml). The bytes are read once, at start.
 *
 * <p>Unlike the dynamic answers these may be cached, briefly, and revalidated with their ETag. Any origin
 * may load them ({@code Access-Control-Allow-Origin: *}): a module script from another origin needs CORS,
 * and the client's code is no secret; what the page may then do is still up to the doors' origin rules.
 */
public final class StaticAsset implements Route {
    /** Where {@code client-js/dist} lands in the jar. */
    static final String CLIENT_DIR = "/io/switchboard/server/web/";
    private static final String JS_TYPE = "application/javascript; charset=utf-8";

    private final byte[] body;
    private final String contentType;
    private final String etag;
    private final Metrics metrics;
    /** Headers every answer (200 and 304) carries besides the type and ETag: caching, CORS or CSP. */
    private final HttpHeaders headers;

    StaticAsset(byte[] body, String contentType, Metrics metrics) {
        this(body, contentType, new DefaultHttpHeaders().set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=300")
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*"), metrics);
    }

    StaticAsset(byte[] body, String contentType, HttpHeaders headers, Metrics metrics) {
        this.body = body.clone();
        this.contentType = contentType;
        this.etag = "\"" + sha256(body).substring(0, 16) + "\"";
        this.headers = headers;
        this.metrics = metrics;
    }

    /** {@code /switchboard.js}: the client as one ES module. */
    public static StaticAsset clientModule(Metrics metrics) {
        return new StaticAsset(resource(CLIENT_DIR + "switchboard.js"), JS_TYPE, metrics);
    }

    /** {@code /switchboard.global.js}: the client as a classic script defining {@code window.Switchboard}. */
    public static StaticAsset clientScript(Metrics metrics) {
        return new StaticAsset(resource(CLIENT_DIR + "switchboard.global.js"), JS_TYPE, metrics);
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            metrics.error("http", 405);
            HttpHeaders allow = new DefaultHttpHeaders().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            HttpResponses.sendError(ctx, request,
                    new SwitchboardException(405, "method_not_allowed", "use GET"), allow);
            return;
        }
        boolean unchanged = etag.equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH));
        // For HEAD the codec sends the headers only (its encoder drops the content of a HEAD answer).
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                unchanged ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                unchanged ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        h.set(HttpHeaderNames.ETAG, etag);
        h.set("X-Content-Type-Options", "nosniff");
        h.add(headers);
        HttpResponses.send(ctx, request, response);
    }

    static byte[] resource(String path) {
        try (InputStream in = StaticAsset.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not in the jar: build the server with Maven, which copies client-js/dist");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }
}
