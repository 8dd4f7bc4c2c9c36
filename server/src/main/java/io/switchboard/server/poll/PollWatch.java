package io.switchboard.server.poll;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.switchboard.server.Connections;

/**
 * What one connection of the poll doors watches for all its polls: its close (the poll in progress ends
 * its session) and a server drain (a parked poll is answered with an error item, anything else closes).
 * Set up once per connection, because a long-poller sends a request every few hundred milliseconds and a
 * close listener and a drain action added and removed per poll were a measurable share of each.
 *
 * <p>{@link #current} is written on the session's loop and read on the connection's; one request is in
 * progress at a time ({@link io.switchboard.server.http.Parking} keeps pipelined ones waiting).
 */
final class PollWatch implements ChannelFutureListener, Runnable {
    private static final AttributeKey<PollWatch> KEY = AttributeKey.valueOf("switchboard.pollWatch");

    private final Channel ch;
    /** The poll in progress on this connection: attached to its session and not yet done; else null. */
    volatile PollAnswer current;

    private PollWatch(Channel ch) {
        this.ch = ch;
    }

    /** The watch of {@code ch}, made on its first poll. On the connection's loop. */
    static PollWatch of(Channel ch) {
        Attribute<PollWatch> attr = ch.attr(KEY);
        PollWatch w = attr.get();
        if (w == null) {
            w = new PollWatch(ch);
            attr.set(w);
            ch.closeFuture().addListener(w);
            ch.attr(Connections.DRAIN).set(w);
        }
        return w;
    }

    /** The connection closed: the poll in progress, if any, ends with its session. */
    @Override
    public void operationComplete(ChannelFuture future) {
        PollAnswer a = current;
        if (a != null) a.clientGone();
    }

    /** {@link Connections#DRAIN}: a parked poll answers with an error item and the connection closes; else it closes. */
    @Override
    public void run() {
        PollAnswer a = current;
        if (a == null || !a.drain()) ch.close();
    }
}
