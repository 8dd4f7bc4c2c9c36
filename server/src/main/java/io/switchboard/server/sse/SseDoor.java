package io.switchboard.server.sse;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.http.Route;
import io.switchboard.server.limit.Backlog;

/**
 * The Server-Sent Events door, {@code GET /sse}: checks the request ({@link SseRequest}), then hands the
 * connection to an {@link SseStream} that answers with {@code text/event-stream} until one side goes.
 */
public final class SseDoor implements Route {
    static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    private final ServerContext context;
    /** The slow-consumer policy of every stream, shared. */
    private final Backlog.Policy backlog;

    public SseDoor(ServerContext context) {
        this.context = context;
        this.backlog = new Backlog.Policy(context.config().limits(), context.access(), context.metrics(), "sse");
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        SseRequest sse;
        try {
            sse = SseRequest.parse(request, context.hub().config().maxSubscriptions(), context.auth(), context.access());
        } catch (SwitchboardException e) {
            refuse(ctx, request, e);
            return;
        }
        SseStream stream = new SseStream(context, backlog, ctx.channel(), sse);
        // The connection now carries one answer that does not end on its own: the stream replaces the
        // dispatcher, so requests pipelined behind this one are dropped instead of served, and the
        // connection closes when the stream ends. The request is only read during start().
        ChannelPipeline p = ctx.pipeline();
        p.replace(ctx.name(), "sse", stream);
        // Nothing more is read as HTTP: the request decoder (with its parse buffers) and the body
        // aggregator go, leaving only the response encoder: several hundred bytes less per stream. Bytes
        // the decoder still held reach the stream as they are, which drops them.
        if (p.get("body") != null) p.remove("body");
        if (p.get("http") instanceof HttpServerCodec) p.replace("http", "http", new HttpResponseEncoder());
        stream.start(request);
    }

    /** Answers status + JSON error, with CORS so a page's fetch() can read why, and counts it. */
    private void refuse(ChannelHandlerContext ctx, FullHttpRequest request, SwitchboardException e) {
        context.metrics().error("sse", e.status());
        HttpHeaders extra = context.cors().headersFor(request);
        if (e.status() == 405) extra.set(HttpHeaderNames.ALLOW, "GET");
        HttpResponses.sendError(ctx, request, e, extra);
    }
}
