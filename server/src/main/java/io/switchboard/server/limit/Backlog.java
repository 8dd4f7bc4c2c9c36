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
    private final Policy policy;

    /** Latest-value messages waiting for the socket to drain, by channel, in arrival order; null when none. */
    private LinkedHashMap<String, Message> held;

    /**
     * What every connection of a door shares: the bound, its water mark, the access rules, the meters. One
     * per door, so a connection's Backlog is only its channel and what it holds.
     */
    public static final class Policy {
        private final long bound;
        private final WriteBufferWaterMark mark;
        private final Access access;
        private final Metrics metrics;
        private final String door;

        public Policy(LimitsConfig limits, Access access, Metrics metrics, String door) {
            this.bound = limits.outboundBytes();
            // Past half the bound the socket counts as full; writable again below a quarter.
            int high = Math.max(2, limits.outboundBytes() / 2);
            this.mark = new WriteBufferWaterMark(high / 2, high);
            this.access = access;
            this.metrics = metrics;
            this.door = door;
        }
    }

    public Backlog(Channel channel, LimitsConfig limits, Access access, Metrics metrics, String door) {
        this(channel, new Policy(limits, access, metrics, door));
    }

    /** A connection's Backlog under its door's shared {@code policy}. */
    public Backlog(Channel channel, Policy policy) {
        this.channel = channel;
        this.policy = policy;
        channel.config().setWriteBufferWaterMark(policy.mark);
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
        if (!policy.access.latestValue(message.channel())) return false;
        if (held == null) held = new LinkedHashMap<>();
        if (held.put(message.channel(), message) != null) policy.metrics.skipped(policy.door);
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
        if (queued == null || queued.totalPendingWriteBytes() <= policy.bound) return false;
        channel.flush(); // what the socket takes now does not count against the client
        if (queued.totalPendingWriteBytes() <= policy.bound) return false;
        policy.metrics.slowCut(policy.door);
        return true;
    }

    /** Held messages now (for tests). */
    public int heldCount() {
        return held == null ? 0 : held.size();
    }
}
