package io.switchboard.server.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.limit.ConnectionGuard;
import io.switchboard.server.metrics.Metrics;
import io.switchboard.server.codec.Json;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each aggregated request to the {@link Route} of its path: exact paths first, then the longest
 * matching prefix (a prefix ends with {@code /}). Unknown paths are a {@code 404}, failed decodes a
 * {@code 400}, and any exception a route lets out becomes an HTTP error, never a stack trace.
 *
 * <p>Shared by all connections; stateless.
 */
@ChannelHandler.Sharable
public final class HttpDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpDispatcher.class);

    private static final HttpHeaders RETRY_AFTER =
            new ReadOnlyHttpHeaders(false, HttpHeaderNames.RETRY_AFTER, "1");

    private final Map<String, Route> exact;
    private final Map<String, Route> prefixes;
    private final Metrics metrics;

    public HttpDispatcher(Map<String, Route> exact, Map<String, Route> prefixes, Metrics metrics) {
        super(true); // releases each request after channelRead0 returns
        this.exact = Map.copyOf(exact);
        this.prefixes = Map.copyOf(prefixes);
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        ConnectionGuard guard = ConnectionGuard.of(ctx.channel());
        if (guard != null) guard.requestComplete();
        if (Parking.holdIfParked(ctx, this, request)) return;
        if (!request.decoderResult().isSuccess()) {
            SwitchboardException e = decodeFailure(request.decoderResult().cause());
            metrics.error("http", e.status());
            HttpResponses.sendError(ctx, null, e, null); // the decoder is done with this connection: close
            return;
        }
        if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && !request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            metrics.error("http", 400);
            HttpResponses.sendError(ctx, null, SwitchboardException.badRequest("bad_version", "HTTP/1.x only"), null);
            return;
        }
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_1) && request.headers().getAll(HttpHeaderNames.HOST).size() != 1) {
            // RFC 9112 §3.2: a server must refuse an HTTP/1.1 request with no Host or more than one.
            metrics.error("http", 400);
            HttpResponses.sendError(ctx, null, SwitchboardException.badRequest("bad_request",
                    "an HTTP/1.1 request needs exactly one Host header"), null);
            return;
        }
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        Route route = route(path);
        try {
            if (route == null) {
                throw new SwitchboardException(404, "not_found", "no such path");
            }
            // Backends on the server API are trusted with their key; everything else shares the connection's rate.
            if (guard != null && !path.startsWith("/api/") && !guard.takeMessage()) {
                metrics.error(door(path), 429);
                HttpResponses.sendError(ctx, request, new SwitchboardException(429, "rate_limited",
                        "too many requests on this connection; slow down"), RETRY_AFTER);
                return;
            }
            route.handle(ctx, request);
        } catch (SwitchboardException e) {
            metrics.error(door(path), e.status());
            HttpResponses.sendError(ctx, request, e, null);
        } catch (Exception e) {
            metrics.error(door(path), 500);
            log.error("route {} failed", path, e);
            HttpResponses.sendJson(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    Json.errorBody("internal", "the server failed to answer this request"), null);
        }
    }

    /** What a request the decoder gave up on is answered: too long a line or headers, else just bad. */
    static SwitchboardException decodeFailure(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return new SwitchboardException(414, "uri_too_long", "the request line is longer than this server takes");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new SwitchboardException(431, "headers_too_large", "the request headers are larger than this server takes");
        }
        return SwitchboardException.badRequest("bad_request", "the HTTP request could not be parsed");
    }

    private Route route(String path) {
        Route r = exact.get(path);
        if (r != null) return r;
        Route best = null;
        int bestLength = -1;
        for (Map.Entry<String, Route> e : prefixes.entrySet()) {
            if (path.startsWith(e.getKey()) && e.getKey().length() > bestLength) {
                best = e.getValue();
                bestLength = e.getKey().length();
            }
        }
        return best;
    }

    /** The metrics label for a path: the first segment ({@code api}, {@code sse}, …), else {@code http}. */
    static String door(String path) {
        if (path.startsWith("/api/")) return "api";
        switch (path) {
            case "/ws", "/sse", "/poll", "/jsonp", "/stream", "/iframe", "/history", "/send":
                return path.substring(1);
            default:
                return "http";
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

}
