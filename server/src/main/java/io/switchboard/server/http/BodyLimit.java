package io.switchboard.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.buffer.Unpooled;
import io.switchboard.server.codec.Json;
import io.switchboard.server.metrics.Metrics;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Aggregates request bodies up to the configured limit. A larger body is answered with {@code 413} and
 * PROTOCOL.md's JSON error as soon as it is known to be too large (from {@code Content-Length}, before the
 * body is read), and the connection is closed cleanly after the answer: see {@link #lingeringClose}. A
 * request that waits for {@code 100 Continue} is refused the same way before it sends its body.
 */
public final class BodyLimit extends HttpObjectAggregator {
    /** How long a refused connection may keep sending before it is closed anyway. */
    static final long LINGER_MILLIS = 2000;
    private static final String DISCARD = "body-limit-discard";

    private final int maxBytes;
    private final Metrics metrics;
    /** A request head without a body, waiting for the empty end the decoder sends right after it. */
    private HttpRequest bodiless;

    public BodyLimit(int maxBytes, Metrics metrics) {
        super(maxBytes);
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    /**
     * Requests without a body (every GET: a long-poller sends several a second) skip the aggregation: the
     * decoder follows such a head at once with its empty end, and the two become one request here, without
     * the aggregator's composite buffer and bookkeeping. Anything else is aggregated as before.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        HttpRequest head = bodiless;
        if (head != null) {
            bodiless = null;
            if (msg == LastHttpContent.EMPTY_LAST_CONTENT) {
                head.headers().set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO); // as the aggregator sets it
                ctx.fireChannelRead(new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                        Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE));
                return;
            }
            super.channelRead(ctx, head); // not what the decoder does; aggregate as usual
        }
        if (msg instanceof HttpRequest r && !(msg instanceof HttpContent) && r.decoderResult().isSuccess()) {
            HttpHeaders h = r.headers();
            if (!h.contains(HttpHeaderNames.CONTENT_LENGTH) && !h.contains(HttpHeaderNames.TRANSFER_ENCODING)
                    && !h.contains(HttpHeaderNames.EXPECT)) {
                bodiless = r;
                return;
            }
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        metrics.error("http", 413);
        FullHttpResponse response = tooLarge();
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        // From now on nothing is decoded: the rest of the body and anything after it is read and dropped.
        if (ctx.pipeline().get(DISCARD) == null) ctx.pipeline().addFirst(DISCARD, new Discard());
        ctx.writeAndFlush(response).addListener(f -> lingeringClose(ctx));
    }

    /**
     * A request with {@code Expect: 100-continue} is answered before its body is sent: Netty refuses a
     * too-large one (or an expectation it does not know) itself, with an empty answer nobody counted. This
     * gives that refusal PROTOCOL.md's JSON body and counts it. The client then does not send the body (or
     * it is dropped), so the connection stays usable.
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
        if (!(answer instanceof FullHttpResponse refused) || refused.status().code() < 400) return answer;
        int status = refused.status().code();
        refused.release();
        metrics.error("http", status);
        return status == 413 ? tooLarge()
                : jsonError(HttpResponseStatus.valueOf(status), "bad_request", "only Expect: 100-continue is understood");
    }

    private FullHttpResponse tooLarge() {
        return jsonError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too_large",
                "the request body is larger than " + maxBytes + " bytes");
    }

    private static FullHttpResponse jsonError(HttpResponseStatus status, String code, String reason) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(Json.errorBody(code, reason)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpResponses.JSON_TYPE);
        HttpResponses.noStore(response.headers());
        HttpUtil.setContentLength(response, response.content().readableBytes());
        return response;
    }

    /**
     * Closing a socket while the client is still sending its body makes the kernel answer with a reset,
     * and a reset throws away the 413 the client has not read yet. So, with input already discarded: send
     * FIN after the answer, and close when the client does, or after {@link #LINGER_MILLIS} at the latest.
     */
    private static void lingeringClose(ChannelHandlerContext ctx) {
        if (!(ctx.channel() instanceof DuplexChannel duplex) || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        duplex.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) ctx.close();
        });
        ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Drops every inbound buffer (releasing it: it ends here). */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
