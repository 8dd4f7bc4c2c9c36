package io.switchboard.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * An SSE or HTTP-streaming subscriber: one long response whose body is scanned for markers as it
 * arrives, across chunk boundaries. The stream ending is an error (nothing here asks it to end).
 */
final class StreamSubscriber extends SimpleChannelInboundHandler<HttpObject> {
    private final Conn conn;
    private final Stats stats;
    private boolean ok;

    StreamSubscriber(Conn conn, Stats stats) {
        this.conn = conn;
        this.stats = stats;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg instanceof HttpResponse response) {
            ok = response.status().code() == 200;
            if (ok) conn.connected();
            else stats.error("status-" + response.status().code());
        }
        if (msg instanceof HttpContent content && ok) {
            conn.scanner.scan(content.content());
            if (msg instanceof LastHttpContent) {
                if (!conn.closing) stats.error("stream-ended"); // (the decoder ends the body when we close)
                ctx.close();
            }
        } else if (msg instanceof LastHttpContent) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Subscribers.closed(conn, stats);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.error("stream-" + cause.getClass().getSimpleName());
        ctx.close();
    }
}
