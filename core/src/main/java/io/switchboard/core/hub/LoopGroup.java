package io.switchboard.core.hub;

import io.switchboard.core.message.Message;
import io.switchboard.core.presence.Member;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's subscriptions that live on one {@link DeliveryLoop}. Confined to that loop: the fan-out
 * iterates a plain array, with no lock and no copy.
 *
 * <p>A subscriber may unsubscribe (itself or another) from inside a delivery, e.g. when a write closes
 * its connection; {@link #remove} then leaves a hole instead of moving the last subscription into the
 * freed slot, which would make the running delivery skip it, and the hole is closed when it ends.
 *
 * <p>Messages reach it through its loop's {@link LoopFanOut}, which writes them in passes: a pass covers
 * the subscriptions present when it began ({@link #beginPass}), in slices, and subscriptions added
 * meanwhile go at the end, outside it.
 */
final class LoopGroup {
    private static final Logger log = LoggerFactory.getLogger(LoopGroup.class);
    final DeliveryLoop loop;
    /** The fan-out of {@link #loop}, shared by every channel's group on it. */
    final LoopFanOut fanOut;
    private final Map<Subscriber, Subscription> bySubscriber = new HashMap<>();
    private Subscription[] subscriptions = new Subscription[4];
    private int size;
    /** Deliveries running (a pass counts from its first slice to its last), and the holes removals left meanwhile. */
    private int delivering;
    private int holes;

    LoopGroup(DeliveryLoop loop, LoopFanOut fanOut) {
        this.loop = loop;
        this.fanOut = fanOut;
    }

    /** On the loop. */
    boolean add(Subscription s) {
        if (bySubscriber.putIfAbsent(s.subscriber, s) != null) return false;
        if (size == subscriptions.length) subscriptions = Arrays.copyOf(subscriptions, size * 2);
        s.index = size;
        subscriptions[size++] = s;
        return true;
    }

    /** On the loop. Removes the subscriber's subscription here; returns it, or null when it has none. */
    Subscription remove(Subscriber subscriber) {
        Subscription s = bySubscriber.get(subscriber);
        return s == null ? null : remove(s);
    }

    /** On the loop. Removes exactly {@code s} (not a newer subscription of the same subscriber); null if absent. */
    Subscription remove(Subscription s) {
        if (bySubscriber.get(s.subscriber) != s) return null;
        bySubscriber.remove(s.subscriber);
        int i = s.index;
        if (delivering > 0) {
            subscriptions[i] = null;
            holes++;
        } else {
            Subscription moved = subscriptions[--size];
            subscriptions[i] = moved;
            moved.index = i;
            subscriptions[size] = null;
        }
        s.index = -1;
        s.cancelled = true;
        return s;
    }

    /**
     * On the loop: a pass begins; returns how many subscription slots it covers. Subscriptions added during
     * the pass go after them and are not in it: its messages were taken before they registered, as if
     * delivered at once, and their replay covers them. Removals leave holes until {@link #endPass}.
     */
    int beginPass() {
        delivering++;
        return size;
    }

    /** On the loop: {@code messages[0..n)} to the subscriptions in slots {@code [from, to)}, each in order. */
    void deliver(Message[] messages, int n, int from, int to, int bufferLimit) {
        for (int i = from; i < to; i++) {
            Subscription s = subscriptions[i];
            if (s == null) continue;
            try {
                if (n > 1 && s.offerRun(messages, n)) continue; // the whole run at once, as it came
            } catch (RuntimeException e) {
                log.warn("subscriber {} failed on a run of {} from {}", s.subscriber, n, messages[0], e);
                continue;
            }
            for (int j = 0; j < n; j++) {
                try {
                    s.offer(messages[j], bufferLimit);
                } catch (RuntimeException e) {
                    // A subscriber's bug must not cost the others on this loop their message.
                    log.warn("subscriber {} failed on {}", s.subscriber, messages[j], e);
                }
            }
        }
    }

    /** On the loop: the pass {@link #beginPass} began is over. */
    void endPass() {
        if (--delivering == 0 && holes > 0) compact();
    }

    /** On the loop: a presence change to every live subscription here. */
    void presence(String channel, boolean joined, Member member) {
        delivering++;
        try {
            for (int i = 0; i < size; i++) {
                Subscription s = subscriptions[i];
                if (s == null || s.cancelled) continue;
                try {
                    s.subscriber.onPresence(channel, joined, member);
                } catch (RuntimeException e) {
                    log.warn("subscriber {} failed on a presence change of {}", s.subscriber, channel, e);
                }
            }
        } finally {
            if (--delivering == 0 && holes > 0) compact();
        }
    }

    private void compact() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Subscription s = subscriptions[i];
            if (s == null) continue;
            s.index = kept;
            subscriptions[kept++] = s;
        }
        Arrays.fill(subscriptions, kept, size, null);
        size = kept;
        holes = 0;
    }

    int size() {
        return size - holes;
    }
}
