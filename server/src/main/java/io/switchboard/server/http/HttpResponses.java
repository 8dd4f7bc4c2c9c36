package io.switchboard.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.codec.Json;
import java.nio.charset.StandardCharsets;

/** Writes whole HTTP answers: JSON bodies, errors in PROTOCOL.md's form, and the no-cache headers. */
public final class HttpResponses {
    public static final String JSON_TYPE = "application/json; charset=utf-8";

    private HttpResponses() {}

    /** Adds {@code Cache-Control: no-store} (every dynamic answer has it). */
    public static void noStore(HttpHeaders headers) {
        headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    }

    /** Sends {@code body} (ownership passes to this method) as a JSON answer and honours keep-alive. */
    public static ChannelFuture sendJson(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
                                         ByteBuf body, HttpHeaders extra) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, JSON_TYPE);
        noStore(h);
        if (extra != null) h.add(extra);
        return send(ctx, request, response);
    }

    public static ChannelFuture sendJson(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
                                         byte[] body, HttpHeaders extra) {
        return sendJson(ctx, request, status, Unpooled.wrappedBuffer(body), extra);
    }

    /** Sends the error as status + {@code {"error":…,"reason":…}}. */
    public static ChannelFuture sendError(ChannelHandlerContext ctx, HttpRequest request, SwitchboardException e,
                                          HttpHeaders extra) {
        return sendJson(ctx, request, HttpResponseStatus.valueOf(e.status()), Json.errorBody(e.code(), e.reason()), extra);
    }

    /**
     * Sends a complete response, setting Content-Length, and closes the connection afterwards unless
     * the request asked for keep-alive. A null request (answered before it was read) always closes.
     * A {@code 204} gets no Content-Length (RFC 9110 §8.6 forbids it there).
     */
    public static ChannelFuture send(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
        if (response.status().code() != HttpResponseStatus.NO_CONTENT.code()) {
            HttpUtil.setContentLength(response, response.content().readableBytes());
        }
        boolean keepAlive = request != null && HttpUtil.isKeepAlive(request)
                && !response.headers().contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        if (keepAlive) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            return ctx.writeAndFlush(response);
        }
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** A plain-text answer, for {@code /healthz}-style probes and Prometheus. */
    public static ChannelFuture sendText(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
                                         String contentType, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        noStore(response.headers());
        return send(ctx, request, response);
    }

    /**
     * Starts a streaming answer: headers now, body later; adds the no-buffering headers. HTTP/1.1 clients
     * get a chunked body. HTTP/1.0 has no chunks (and nginx proxies speak 1.0 upstream by default), so a
     * 1.0 client gets the bytes as they are, ended by closing the connection.
     */
    public static HttpResponse streamingHeaders(String contentType, HttpVersion clientVersion) {
        HttpResponse response = new io.netty.handler.codec.http.DefaultHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.OK);
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        noStore(h);
        h.set("X-Accel-Buffering", "no");
        if (HttpVersion.HTTP_1_0.equals(clientVersion)) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else {
            HttpUtil.setTransferEncodingChunked(response, true);
        }
        return response;
    }
}
