package io.switchboard.core.hub;

import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;

/**
 * What the Hub delivers to: one session's end of its subscriptions. Every method is called on
 * {@link #loop()} only, so implementations need no locking.
 */
public interface Subscriber {
    /** The loop that owns this subscriber; fixed for its lifetime. */
    DeliveryLoop loop();

    /** A message of a subscribed channel: replayed or live, once each, in offset order per channel. */
    void onMessage(Message message);

    /**
     * The position asked for could not be served, or messages were skipped: delivery of
     * {@code channel} continues with the messages after {@code position}.
     */
    void onGap(String channel, Position position);
}
