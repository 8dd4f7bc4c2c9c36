package io.switchboard.server.session;

import io.switchboard.core.presence.Member;

/** A queued {@code join} or {@code leave} item: it moves no cursor. */
record PresenceChange(String channel, boolean joined, Member member) {
    /** What it counts for against the queue bound: about the length of its JSON. */
    static int bytes(Member member) {
        return 96 + member.user().length() + (member.info() == null ? 0 : member.info().length);
    }
}
