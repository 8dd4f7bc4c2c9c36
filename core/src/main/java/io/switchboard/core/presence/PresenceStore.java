package io.switchboard.core.presence;

import io.switchboard.core.event.EventSink;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Who is in which presence channel, across every node: members are users, not connections. A user with
 * three tabs is one member; it joins when its first connection arrives and leaves when its last one has
 * been gone for the grace period (so a page reload does not flap). The in-memory store serves one node;
 * a shared store (Redis) serves many, and tells every node's listener of every change.
 *
 * <p>Calls may come from any thread and must not block; listener calls may come from any thread.
 */
public interface PresenceStore extends AutoCloseable {
    /** Starts telling {@code listener} of joins and leaves. Called once, before anything else. */
    void start(PresenceListener listener);

    /** Connection {@code connection} of {@code member}'s user is in {@code channel}. */
    CompletionStage<Void> add(String channel, Member member, String connection);

    /** Connection {@code connection} left {@code channel}; unknown connections are ignored. */
    CompletionStage<Void> remove(String channel, String connection);

    /** The members of {@code channel}, by user id. */
    CompletionStage<List<Member>> members(String channel);

    /**
     * The sink the Hub sends its events through, made from {@code events}. The Hub tells of a channel
     * occupied or vacated on this node; a store shared by many nodes passes those on only when the first
     * node of all gets a subscriber or the last one loses its last, so each is one event across the nodes.
     * Other events pass unchanged. The default: {@code events} itself (one node).
     */
    default EventSink channelEvents(EventSink events) {
        return events;
    }

    @Override
    void close();
}
