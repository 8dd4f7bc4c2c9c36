package io.switchboard.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * A WebSocket subscriber, after Netty's client protocol handler (which does the upgrade and answers
 * pings): tells the target the upgrade is done, then scans every text frame for markers. Frames are
 * released by {@link SimpleChannelInboundHandler}.
 */
final class WsSubscriber extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final Target target;
    private final Conn conn;
    private final Stats stats;

    WsSubscriber(Target target, Conn conn, Stats stats) {
        this.target = target;
        this.conn = conn;
        this.stats = stats;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            conn.connected();
            target.wsOpened(ctx, conn);
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            stats.error("handshake-timeout");
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame) {
            conn.scanner.reset();
            if (!target.wsText(ctx, conn, frame.content())) conn.scanner.scanFirst(frame.content()); // one message a frame
        } else if (frame instanceof ContinuationWebSocketFrame) {
            conn.scanner.scan(frame.content());
        } else if (frame instanceof CloseWebSocketFrame close) {
            stats.error("ws-close-" + close.statusCode());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Subscribers.closed(conn, stats);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.error("ws-" + cause.getClass().getSimpleName());
        ctx.close();
    }
}
