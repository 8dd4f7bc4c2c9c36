package io.switchboard.core.auth;

import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.core.error.SwitchboardException;
import java.util.List;

/**
 * Who may read and publish what (PROTOCOL.md "Tokens and permissions"), and the per-namespace settings
 * of a channel. Public channels may be read by anyone; {@code private-*} and {@code presence-*} need a
 * token whose {@code channels} patterns match, and presence channels a token with a {@code sub}. Clients
 * may publish where their token's {@code publish} patterns match, or where the channel's namespace opens
 * client publishing (and, on restricted channels, they may read). Immutable.
 */
public final class Access {
    private final List<Namespace> namespaces;
    private final HistoryPolicy defaultHistory;
    private final int defaultMaxDataBytes;

    public Access(List<Namespace> namespaces, HistoryPolicy defaultHistory, int defaultMaxDataBytes) {
        this.namespaces = List.copyOf(namespaces);
        this.defaultHistory = defaultHistory;
        this.defaultMaxDataBytes = defaultMaxDataBytes;
    }

    /** True for channels that need a token to read: {@code private-*} and {@code presence-*}. */
    public static boolean restricted(String channel) {
        return channel.startsWith("private-") || channel.startsWith("presence-");
    }

    /** Throws the 401/403 that refuses {@code identity} reading {@code channel}; passes otherwise. */
    public void checkRead(Identity identity, String channel) {
        if (!restricted(channel)) return;
        if (identity.anonymous()) {
            throw new SwitchboardException(401, "unauthorized", channel + " needs a token that allows it");
        }
        if (!ChannelPattern.anyMatches(identity.channels(), channel)) {
            throw new SwitchboardException(403, "forbidden", "the token does not allow " + channel);
        }
        if (channel.startsWith("presence-") && identity.user() == null) {
            throw new SwitchboardException(403, "forbidden", channel + " is a presence channel: the token needs a sub");
        }
    }

    /** Throws the 401/403 that refuses {@code identity} publishing to {@code channel}; passes otherwise. */
    public void checkPublish(Identity identity, String channel) {
        if (ChannelPattern.anyMatches(identity.publish(), channel)) return;
        Namespace ns = namespace(channel);
        if (ns != null && Boolean.TRUE.equals(ns.clientPublish())) {
            checkRead(identity, channel);
            return;
        }
        if (identity.anonymous()) {
            throw new SwitchboardException(401, "unauthorized", "publishing to " + channel + " needs a token that allows it");
        }
        throw new SwitchboardException(403, "forbidden", "the token does not allow publishing to " + channel);
    }

    /** Whether members of {@code channel} are tracked: its namespace says, else only {@code presence-*}. */
    public boolean presence(String channel) {
        Namespace ns = namespace(channel);
        if (ns != null && ns.presence() != null) return ns.presence();
        return channel.startsWith("presence-");
    }

    /**
     * Whether a slow subscriber of {@code channel} may skip to its newest message instead of being cut off
     * ({@link Namespace#latestValue()}). Asked only on the slow path, when a connection's queue is full.
     */
    public boolean latestValue(String channel) {
        Namespace ns = namespace(channel);
        return ns != null && Boolean.TRUE.equals(ns.latestValue());
    }

    /** The history kept for {@code channel}. */
    public HistoryPolicy history(String channel) {
        Namespace ns = namespace(channel);
        return ns != null && ns.history() != null ? ns.history() : defaultHistory;
    }

    /** The largest data a message of {@code channel} may carry, encoded. */
    public int maxDataBytes(String channel) {
        Namespace ns = namespace(channel);
        return ns != null && ns.maxDataBytes() != null ? ns.maxDataBytes() : defaultMaxDataBytes;
    }

    /** Subscribers {@code channel} may have on this node; {@link Integer#MAX_VALUE} when unlimited. */
    public int maxSubscribers(String channel) {
        Namespace ns = namespace(channel);
        return ns != null && ns.maxSubscribers() != null ? ns.maxSubscribers() : Integer.MAX_VALUE;
    }

    /** The first namespace whose pattern matches, or null. */
    public Namespace namespace(String channel) {
        for (Namespace ns : namespaces) {
            if (ChannelPattern.matches(ns.pattern(), channel)) return ns;
        }
        return null;
    }
}
