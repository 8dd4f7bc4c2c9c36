package io.switchboard.core.hub;

import io.switchboard.core.auth.Identity;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.presence.Member;

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
     * Live messages {@code run[0..n)} of one subscribed channel, consecutive and following the last one
     * delivered: what a loop's fan-out pass carried when messages arrived faster than it wrote them. A
     * subscriber that can write them as one (one pre-framed buffer shared by every subscriber of the pass)
     * does so and returns true; false (the default) has the Hub hand them to {@link #onMessage} one by
     * one, which also stops them at an unsubscribe in between. The array belongs to the Hub: read it
     * during the call only.
     */
    default boolean onMessages(Message[] run, int n) {
        return false;
    }

    /**
     * The position asked for could not be served, or messages were skipped: delivery of
     * {@code channel} continues with the messages after {@code position}.
     */
    void onGap(String channel, Position position);

    /** Who this subscriber is; presence channels list its user as a member. */
    default Identity identity() {
        return Identity.ANONYMOUS;
    }

    /** The session this subscriber delivers to: presence counts a user's sessions, not its subscriptions. */
    default String sessionId() {
        return "subscriber-" + System.identityHashCode(this);
    }

    /** {@code member} joined ({@code joined}) or left {@code channel}, a subscribed presence channel. */
    default void onPresence(String channel, boolean joined, Member member) {
    }
}
