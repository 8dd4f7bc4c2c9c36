package io.switchboard.core.auth;

import io.switchboard.core.broker.HistoryPolicy;

/**
 * Settings for the channels a pattern matches (the {@code namespaces} of the config file). A null
 * setting leaves the server-wide default.
 *
 * @param pattern        a {@link ChannelPattern}; the first namespace whose pattern matches a channel rules it
 * @param history        history kept per channel
 * @param presence       whether members are tracked (default: only for {@code presence-*})
 * @param clientPublish  whether clients may publish without a token {@code publish} pattern (default: no);
 *                       on {@code private-*}/{@code presence-*} channels only clients that may read them
 * @param maxSubscribers subscribers per channel on this node
 * @param maxDataBytes   largest message data, encoded
 * @param latestValue    whether only a channel's newest message matters (prices, scores, positions): a
 *                       subscriber too slow to take every message gets the newest one once it catches up,
 *                       and the older ones it had not been sent are dropped, instead of being cut off
 *                       (default: no; every message is delivered in order or the session is cut)
 */
public record Namespace(String pattern, HistoryPolicy history, Boolean presence, Boolean clientPublish,
                        Integer maxSubscribers, Integer maxDataBytes, Boolean latestValue) {
    public Namespace {
        if (pattern == null || pattern.isEmpty()) throw new IllegalArgumentException("a namespace needs a pattern");
        if (maxSubscribers != null && maxSubscribers < 1) throw new IllegalArgumentException("maxSubscribers must be ≥ 1");
        if (maxDataBytes != null && maxDataBytes < 1) throw new IllegalArgumentException("maxDataBytes must be ≥ 1");
    }

    /** A namespace with the server-wide delivery policy (every message, in order). */
    public Namespace(String pattern, HistoryPolicy history, Boolean presence, Boolean clientPublish,
                     Integer maxSubscribers, Integer maxDataBytes) {
        this(pattern, history, presence, clientPublish, maxSubscribers, maxDataBytes, null);
    }

    /** A namespace that only opens client publishing for {@code pattern}. */
    public static Namespace clientPublish(String pattern) {
        return new Namespace(pattern, null, null, true, null, null);
    }

    /** A namespace that only makes {@code pattern}'s channels "latest value" channels. */
    public static Namespace latestValue(String pattern) {
        return new Namespace(pattern, null, null, null, null, null, true);
    }
}
