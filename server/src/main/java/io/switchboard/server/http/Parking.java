package io.switchboard.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection whose answer is still to come: a poll (parked or not yet subscribed), a request waiting
 * on the broker. HTTP/1.1 answers leave in request order, so a request pipelined behind it must wait —
 * even one that arrived in the same read: the dispatcher hands it here, the pending request is told to
 * answer now when it can (a parked poll can; a broker call cannot), and the waiting request is served
 * once that answer is written. One request may wait; a client that pipelines more is cut off.
 *
 * <p>Ownership: a held request is retained here and released when it is served or the connection goes.
 */
public final class Parking {
    private static final Logger log = LoggerFactory.getLogger(Parking.class);
    private static final AttributeKey<Parking> KEY = AttributeKey.valueOf("switchboard.parked");

    private final Runnable answerNow;
    private ChannelInboundHandler handler;
    private ChannelHandlerContext handlerCtx;
    private FullHttpRequest waiting;

    private Parking(Runnable answerNow) {
        this.answerNow = answerNow;
    }

    /**
     * Marks {@code ch} as owing an answer; {@code answerNow} (null: nothing to hurry) runs on the
     * connection's loop if another request arrives first. Call on the connection's loop, before the
     * route returns, so that a request decoded from the same read already finds the mark.
     */
    public static void park(Channel ch, Runnable answerNow) {
        assert ch.eventLoop().inEventLoop();
        ch.attr(KEY).set(new Parking(answerNow));
    }

    /**
     * For the dispatcher, on the connection's loop: true when {@code request} was taken (retained) because
     * a parked request is ahead of it; it is handed back to {@code handler} once that one is answered.
     */
    static boolean holdIfParked(ChannelHandlerContext ctx, ChannelInboundHandler handler, FullHttpRequest request) {
        // hasAttr first: attr() would add an (empty) attribute to every connection that sends a request.
        Parking p = ctx.channel().hasAttr(KEY) ? ctx.channel().attr(KEY).get() : null;
        if (p == null) return false;
        if (p.waiting != null) {
            log.debug("connection {} pipelined a second request behind a parked poll; closing", ctx.channel().remoteAddress());
            ctx.close();
            return true;
        }
        p.waiting = request.retain();
        p.handler = handler;
        p.handlerCtx = ctx;
        ctx.channel().config().setAutoRead(false); // it is clearly still there; read nothing more for now
        if (p.answerNow != null) p.answerNow.run();
        return true;
    }

    /**
     * The pending request has been answered (its answer is written, or the connection is gone). Serves
     * the request that waited behind it, if any. Any thread: this runs as a task of the connection's loop
     * queued after the answer's write, so the answer leaves first.
     */
    public static void unpark(Channel ch) {
        if (ch.eventLoop().inEventLoop()) {
            // Nothing waited behind (the usual case): the answer is already written, so the mark can go now,
            // without a task. A request read from here on is served in order anyway.
            Attribute<Parking> mark = ch.attr(KEY);
            Parking p = mark.get();
            if (p == null || p.waiting == null) {
                mark.set(null);
                return;
            }
        }
        ch.eventLoop().execute(() -> {
            Parking p = ch.attr(KEY).getAndSet(null);
            if (p == null || p.waiting == null) return;
            FullHttpRequest request = p.waiting;
            p.waiting = null;
            if (!ch.isActive()) {
                ReferenceCountUtil.release(request);
                return;
            }
            ch.config().setAutoRead(true);
            try {
                p.handler.channelRead(p.handlerCtx, request); // the handler releases it
            } catch (Exception e) {
                p.handlerCtx.fireExceptionCaught(e);
            }
        });
    }
}
