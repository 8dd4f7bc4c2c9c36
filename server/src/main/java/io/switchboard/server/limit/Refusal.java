package io.switchboard.server.limit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.http.HttpResponses;

/**
 * The whole pipeline of a connection the {@link ConnectionGate} did not admit: its first request is
 * answered with the refusal ({@code 503} or {@code 429}, with {@code Retry-After}) and the connection
 * closes. Answering over HTTP instead of resetting the socket tells browsers and load balancers why, and
 * the WebSocket client's failed upgrade still reads as "try later".
 */
public final class Refusal extends ChannelInboundHandlerAdapter {
    private final SwitchboardException refusal;
    private boolean answered;

    public Refusal(SwitchboardException refusal) {
        this.refusal = refusal;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest && !answered) {
                answered = true;
                var headers = new DefaultHttpHeaders().set(HttpHeaderNames.RETRY_AFTER, "1");
                HttpResponses.sendError(ctx, null, refusal, headers); // null request: closes after the answer
            }
        } finally {
            ReferenceCountUtil.release(msg); // nothing past this handler: every message ends here
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
