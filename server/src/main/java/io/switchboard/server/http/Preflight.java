package io.switchboard.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.metrics.Metrics;

/**
 * Answers CORS preflights ({@code OPTIONS}) for a browser door before the door sees the request, so that
 * doors which take only GET or POST need not know about it. From an allowed origin (or with no
 * {@code Origin}): {@code 204} with the methods and headers a page may use and a cache time; from any
 * other origin: {@code 403} {@code forbidden}, counted under the door. Every other method goes to the door.
 */
public final class Preflight implements Route {
    /** Request headers a page may send: tokens, JSON bodies, SSE resumption, cache hints. */
    static final String ALLOW_HEADERS = "Authorization, Content-Type, Last-Event-ID, Cache-Control, X-Requested-With";
    /** How long a browser may reuse a preflight answer, in seconds. */
    static final String MAX_AGE = "600";

    private final String door;
    private final String methods;
    private final Route inner;
    private final Cors cors;
    private final Metrics metrics;

    private Preflight(String door, String methods, Route inner, Cors cors, Metrics metrics) {
        this.door = door;
        this.methods = methods;
        this.inner = inner;
        this.cors = cors;
        this.metrics = metrics;
    }

    /**
     * Wraps the route of a browser door.
     *
     * @param door    the metrics label refusals are counted under ({@code sse}, {@code send}, …)
     * @param method  the method the door answers ({@code GET} or {@code POST})
     */
    public static Route wrap(String door, HttpMethod method, Route inner, Cors cors, Metrics metrics) {
        return new Preflight(door, method.name() + ", OPTIONS", inner, cors, metrics);
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
        if (!HttpMethod.OPTIONS.equals(request.method())) {
            inner.handle(ctx, request);
            return;
        }
        HttpHeaders headers = cors.headersFor(request); // Access-Control-Allow-Origin (echoed) and Vary: Origin
        if (!cors.allowed(request)) {
            metrics.error(door, 403);
            HttpResponses.sendError(ctx, request,
                    new SwitchboardException(403, "forbidden", "this origin may not use /" + door), headers);
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT,
                Unpooled.EMPTY_BUFFER);
        HttpHeaders h = response.headers();
        h.add(headers);
        h.set(HttpHeaderNames.ALLOW, methods);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, methods);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS);
        h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
        HttpResponses.noStore(h);
        HttpResponses.send(ctx, request, response);
    }
}
