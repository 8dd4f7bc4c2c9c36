package io.switchboard.core.hub;

import io.switchboard.core.message.Message;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A channel's subscriptions that live on one {@link DeliveryLoop}. Confined to that loop: the fan-out
 * task iterates a plain array, with no lock and no copy.
 */
final class LoopGroup {
    final DeliveryLoop loop;
    private final Map<Subscriber, Subscription> bySubscriber = new HashMap<>();
    private Subscription[] subscriptions = new Subscription[4];
    private int size;

    LoopGroup(DeliveryLoop loop) {
        this.loop = loop;
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
        Subscription moved = subscriptions[--size];
        subscriptions[i] = moved;
        moved.index = i;
        subscriptions[size] = null;
        s.index = -1;
        s.cancelled = true;
        return s;
    }

    /** On the loop: one message to every subscription here. */
    void deliver(Message message, int bufferLimit) {
        for (int i = 0; i < size; i++) {
            subscriptions[i].offer(message, bufferLimit);
        }
    }

    int size() {
        return size;
    }
}
