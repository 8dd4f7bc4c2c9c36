package io.switchboard.server.limit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import java.net.InetAddress;

/**
 * The first handler of every connection: notes when it last read or flushed and when an unfinished HTTP
 * request began, for {@link IdleSweep}, and holds the connection's message bucket (WebSocket frames and HTTP
 * requests a second). No timer of its own: one sweep per node visits every connection once a second.
 *
 * <p>The bucket and {@code upgraded} are confined to the connection's event loop; the two times are written
 * there and read by the sweep from another thread (volatile: a stale read only delays a close by a sweep).
 */
public final class ConnectionGuard extends ChannelDuplexHandler {
    public static final AttributeKey<ConnectionGuard> KEY = AttributeKey.valueOf("switchboard.guard");

    /**
     * What the node does when a connection closes (forget it; give its address's slot back to the gate when
     * it was admitted): one object for the node, instead of close-future listeners on every connection.
     */
    @FunctionalInterface
    public interface Closed {
        /** @param admitted the address the gate admitted the connection from, or null when it was refused */
        void closed(Channel channel, InetAddress admitted);
    }

    /** The message rate ({@link LimitsConfig#messagesPerSecond}, its burst): shared, read per message. */
    private final LimitsConfig limits;
    /** The connection's message bucket ({@link TokenBucket}'s rule), kept as two fields: no object each. */
    private long messageUnits;
    private long messagesAt;
    private final Traffic traffic;
    /** Told once when the connection closes; null when nobody asked. */
    private final Closed closed;
    /** The address the gate admitted this connection from; null until then (or when it was refused). */
    private InetAddress admitted;
    // Written on the loop only; read by scrapes (a stale read is a batch behind, which a counter tolerates).
    private long bytesIn;
    private long bytesOut;
    private volatile long lastActive;
    /** When the request being read began; 0 while none is. */
    private volatile long requestStarted;
    private boolean upgraded;

    public ConnectionGuard(LimitsConfig limits, long nowNanos, Traffic traffic) {
        this(limits, nowNanos, traffic, null);
    }

    /** @param closed told once when the connection closes (on its loop) */
    public ConnectionGuard(LimitsConfig limits, long nowNanos, Traffic traffic, Closed closed) {
        this.traffic = traffic;
        this.closed = closed;
        this.limits = limits;
        this.messageUnits = TokenBucket.burst(limits.messagesPerSecond(), limits.messageBurst()) * TokenBucket.NANOS;
        this.messagesAt = nowNanos;
        this.lastActive = nowNanos;
    }

    /**
     * The guard of {@code channel}, or null (a channel built without one, as in unit tests). It is the first
     * handler, so no attribute per connection is needed to find it.
     */
    public static ConnectionGuard of(Channel channel) {
        // First unless something was put in front of it (BodyLimit's discard after a 413): then look.
        return channel.pipeline().first() instanceof ConnectionGuard g ? g : channel.pipeline().get(ConnectionGuard.class);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = System.nanoTime();
        lastActive = now;
        if (!upgraded && requestStarted == 0) requestStarted = now;
        if (msg instanceof ByteBuf b) bytesIn += b.readableBytes();
        ctx.fireChannelRead(msg); // not ours: passed on as it came
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // Nearest the socket, every message is bytes as they go on the wire (after TLS).
        if (msg instanceof ByteBuf b) bytesOut += b.readableBytes();
        ctx.write(msg, promise); // not ours: passed on as it came
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        lastActive = System.nanoTime();
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        traffic.closed(bytesIn, bytesOut);
        bytesIn = 0; // counted once, even if a second inactive event came
        bytesOut = 0;
        if (closed != null) {
            InetAddress ip = admitted;
            admitted = null; // told once, even if a second inactive event came
            closed.closed(ctx.channel(), ip);
        }
        ctx.fireChannelInactive();
    }

    long bytesIn() {
        return bytesIn;
    }

    long bytesOut() {
        return bytesOut;
    }

    /** The gate admitted this connection from {@code ip}: {@link Closed} gives the slot back. On the loop. */
    public void admitted(InetAddress ip) {
        admitted = ip;
    }

    /** The HTTP request being read is complete: no request timeout runs until the next one begins. */
    public void requestComplete() {
        requestStarted = 0;
    }

    /** The connection is a WebSocket now: frames are not requests; the heartbeat watches it. */
    public void upgraded() {
        upgraded = true;
        requestStarted = 0;
    }

    /** Takes one message from the connection's bucket; false when it is empty (rate limited). */
    public boolean takeMessage() {
        int rate = limits.messagesPerSecond();
        if (rate == 0) return true;
        long now = System.nanoTime();
        long elapsed = now - messagesAt;
        if (elapsed > 0) {
            messagesAt = now;
            messageUnits = TokenBucket.refilled(messageUnits, elapsed, rate, TokenBucket.burst(rate, limits.messageBurst()));
        }
        if (messageUnits < TokenBucket.NANOS) return false;
        messageUnits -= TokenBucket.NANOS;
        return true;
    }

    long lastActive() {
        return lastActive;
    }

    long requestStarted() {
        return requestStarted;
    }
}
