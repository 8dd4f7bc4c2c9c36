package io.switchboard.core.presence;

/** Told when a user becomes a member of a channel or stops being one, on every node, once per change. */
public interface PresenceListener {
    void onJoin(String channel, Member member);

    void onLeave(String channel, Member member);

    /**
     * A join another node made: its events (webhooks) are that node's to send, so only this node's
     * subscribers are to be told. A shared store calls this instead of {@link #onJoin} on every other node.
     */
    default void onRemoteJoin(String channel, Member member) {
        onJoin(channel, member);
    }

    /** A leave another node made; see {@link #onRemoteJoin}. */
    default void onRemoteLeave(String channel, Member member) {
        onLeave(channel, member);
    }
}
