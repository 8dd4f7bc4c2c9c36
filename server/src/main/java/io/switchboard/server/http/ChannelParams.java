package io.switchboard.server.http;

import io.switchboard.core.auth.Access;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.channel.ChannelName;
import io.switchboard.core.error.SwitchboardException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The query parameters every subscribing GET door shares ({@code /sse}, {@code /poll}, {@code /jsonp},
 * {@code /stream}, {@code /iframe}), checked the same way everywhere: the channel list, access to it, and
 * {@code wait}. Each failure is the 400/401/403 the client is told.
 */
public final class ChannelParams {
    /** The longest a long-poll may be held, in seconds (PROTOCOL.md: {@code wait} is 1–60, 0 = at once). */
    public static final int MAX_WAIT_SECONDS = 60;

    private ChannelParams() {}

    /** The {@code channel} parameters in request order: 1 to {@code max}, each valid, none twice. */
    public static List<String> channels(QueryParams query, int max) {
        List<String> channels = query.all("channel");
        if (channels.isEmpty()) {
            throw SwitchboardException.badRequest("bad_channel", "channel is missing");
        }
        if (channels.size() > max) {
            throw SwitchboardException.badRequest("too_many_channels",
                    channels.size() + " channels asked; one request takes at most " + max);
        }
        if (channels.size() == 1) { // the common case: nothing to compare with
            ChannelName.check(channels.get(0));
            return List.copyOf(channels);
        }
        Set<String> seen = new HashSet<>();
        for (String c : channels) {
            ChannelName.check(c);
            if (!seen.add(c)) {
                throw SwitchboardException.badRequest("duplicate_channel", "channel " + c + " is given twice");
            }
        }
        return List.copyOf(channels);
    }

    /** Refuses the first channel {@code identity} may not read. */
    public static void checkRead(Access access, Identity identity, List<String> channels) {
        for (String c : channels) access.checkRead(identity, c);
    }

    /** {@code wait} in seconds: absent or 0 = answer at once, 1–60 = hold; anything else is a 400. */
    public static int waitSeconds(QueryParams query) {
        Integer wait = query.intParam("wait", 0, MAX_WAIT_SECONDS);
        return wait == null ? 0 : wait;
    }

    /** {@code session}: null when absent or empty (a fresh session is started). */
    public static String session(QueryParams query) {
        String s = query.one("session");
        return s == null || s.isEmpty() ? null : s;
    }
}
