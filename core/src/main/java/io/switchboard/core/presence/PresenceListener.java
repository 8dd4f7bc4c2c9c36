package io.switchboard.core.presence;

/** Told when a user becomes a member of a channel or stops being one, on every node, once per change. */
public interface PresenceListener {
    void onJoin(String channel, Member member);

    void onLeave(String channel, Member member);
}
