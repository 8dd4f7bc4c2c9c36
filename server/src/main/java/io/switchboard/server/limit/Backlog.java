package io.switchboard.server.limit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.switchboard.core.auth.Access;
import io.switchboard.core.message.Message;
import io.switchboard.server.metrics.Metrics;
import java.util.LinkedHashMap;
import java.util.function.Consumer;

/**
 * The slow-consumer policy of one long-lived connection (WebSocket, SSE, stream). Its outbound queue is
 * bounded by {@link LimitsConfig#outboundBytes}: past half of it the socket counts as full (Netty's write
 * water mark); then messages of "latest value" channels are held back, one per channel, the newest replacing
 * the older, and written when the socket drains; messages of ordered channels are still queued, and once the
 * queue passes the whole bound the door cuts the session (it resumes from its position), because skipping
 * one of them silently would break the order every client relies on.
 *
 * <p>Confined to the connection's event loop. Holds nothing while the client keeps up.
 */
public final class Backlog {
    private final Channel channel;
    private final long bound;
    private final Access access;
    private final Metrics metrics;
    private final String door;
    /** The last water mark made: shared by every connection with the same bound instead of one each (immutable). */
    private static volatile WriteBufferWaterMark sharedMark;

    /** Latest-value messages waiting for the socket to drain, by channel, in arrival order; null when none. */
    private LinkedHashMap<String, Message> held;

    public Backlog(Channel channel, LimitsConfig limits, Access access, Metrics metrics, String door) {
        this.channel = channel;
        this.bound = limits.outboundBytes();
        this.access = access;
        this.metrics = metrics;
        this.door = door;
        channel.config().setWriteBufferWaterMark(waterMark(limits.outboundBytes()));
    }

    /** Past half the bound the socket counts as full; writable again below a quarter. */
    private static WriteBufferWaterMark waterMark(int outboundBytes) {
        int high = Math.max(2, outboundBytes / 2);
        WriteBufferWaterMark mark = sharedMark;
        if (mark == null || mark.high() != high || mark.low() != high / 2) {
            mark = new WriteBufferWaterMark(high / 2, high);
            sharedMark = mark;
        }
        return mark;
    }

    /**
     * Offers {@code message} before it is written: true when the Backlog keeps it instead (a latest-value
     * channel while the socket is full; an older held one of its channel is dropped). When the socket has
     * drained, held messages are first passed to {@code write}, so a channel's messages never overtake.
     */
    public boolean hold(Message message, Consumer<Message> write) {
        if (channel.isWritable()) {
            if (held != null) release(write);
            return false;
        }
        if (!access.latestValue(message.channel())) return false;
        if (held == null) held = new LinkedHashMap<>();
        if (held.put(message.channel(), message) != null) metrics.skipped(door);
        return true;
    }

    /** The socket drained ({@code channelWritabilityChanged}): writes what was held. */
    public void release(Consumer<Message> write) {
        if (held == null || !channel.isWritable()) return;
        LinkedHashMap<String, Message> out = held;
        held = null;
        out.values().forEach(write);
    }

    /**
     * After a write to a full socket: whether the queue is past the bound even after a flush, so the door
     * must cut the session. Counts the cut.
     */
    public boolean overBound() {
        if (channel.isWritable()) return false;
        ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
        if (queued == null || queued.totalPendingWriteBytes() <= bound) return false;
        channel.flush(); // what the socket takes now does not count against the client
        if (queued.totalPendingWriteBytes() <= bound) return false;
        metrics.slowCut(door);
        return true;
    }

    /** Held messages now (for tests). */
    public int heldCount() {
        return held == null ? 0 : held.size();
    }
}
