package io.switchboard.server.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.buffer.Unpooled;
import io.switchboard.server.codec.Json;
import io.switchboard.server.metrics.Metrics;

/**
 * Aggregates request bodies up to the configured limit. A larger body is answered with {@code 413} and
 * PROTOCOL.md's JSON error as soon as it is known to be too large (from {@code Content-Length}, before the
 * body is read), and the connection is closed after the answer.
 */
public final class BodyLimit extends HttpObjectAggregator {
    private final int maxBytes;
    private final Metrics metrics;

    public BodyLimit(int maxBytes, Metrics metrics) {
        super(maxBytes);
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        metrics.error("http", 413);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(Json.errorBody("too_large",
                "the request body is larger than " + maxBytes + " bytes")));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpResponses.JSON_TYPE);
        HttpResponses.noStore(response.headers());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
