package io.switchboard.server.protocol;

import io.switchboard.core.error.SwitchboardException;

/**
 * Who may read from or publish to a channel, until tokens can be verified (issue #6): public channels are
 * open to everyone; {@code private-*} and {@code presence-*} need a token that allows them, and since none
 * can be verified yet they are refused — 401 when the session never gave a token, 403 when it did.
 */
public final class ChannelAccess {
    private ChannelAccess() {}

    /** True for channels that need a token: {@code private-*} and {@code presence-*}. */
    public static boolean restricted(String channel) {
        return channel.startsWith("private-") || channel.startsWith("presence-");
    }

    /** Throws the refusal for a restricted channel; public channels pass. */
    public static void check(String channel, boolean hasToken) {
        if (!restricted(channel)) return;
        if (!hasToken) {
            throw new SwitchboardException(401, "unauthorized", channel + " needs a token that allows it");
        }
        throw new SwitchboardException(403, "forbidden", "the token does not allow " + channel);
    }
}
