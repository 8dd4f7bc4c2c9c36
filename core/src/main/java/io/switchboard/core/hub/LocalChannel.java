package io.switchboard.core.hub;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * This node's subscribers of one channel, grouped by loop. Membership changes take the monitor; the
 * fan-out path only reads the volatile {@link #groups} snapshot.
 */
final class LocalChannel {
    final String name;
    volatile LoopGroup[] groups = new LoopGroup[0];
    /** Guarded by this: subscriptions across all loops, and whether this record is retired. */
    int members;
    boolean closed;
    /** Completes when the Broker delivers this channel to this node. Set once, under the monitor. */
    CompletableFuture<Void> brokerSubscribed;

    LocalChannel(String name) {
        this.name = name;
    }

    /** Under the monitor. */
    LoopGroup group(DeliveryLoop loop, LoopFanOut fanOut) {
        for (LoopGroup g : groups) {
            if (g.loop == loop) return g;
        }
        LoopGroup g = new LoopGroup(loop, fanOut);
        LoopGroup[] next = Arrays.copyOf(groups, groups.length + 1);
        next[groups.length] = g;
        groups = next;
        return g;
    }

    int subscribers() {
        synchronized (this) {
            return members;
        }
    }
}
