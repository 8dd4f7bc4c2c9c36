package io.switchboard.redis;

import java.nio.charset.StandardCharsets;

/**
 * Redis key names. Every key of a channel carries the channel in a hash tag, {@code PREFIX:{CHANNEL}:…},
 * so a channel's keys and its shard pub/sub channel share one slot and its scripts run on Redis Cluster.
 * Channel names cannot contain braces, so the tag is exactly the channel.
 */
final class Keys {
    private final String prefix;

    Keys(String prefix) {
        this.prefix = prefix;
    }

    /** Hash {@code e} (epoch), {@code o} (last offset). */
    byte[] meta(String channel) {
        return bytes(prefix + ":{" + channel + "}:meta");
    }

    /** List of history entries, oldest first. */
    byte[] history(String channel) {
        return bytes(prefix + ":{" + channel + "}:hist");
    }

    /** The channel's shard pub/sub channel. */
    byte[] pubsub(String channel) {
        return bytes(prefix + ":{" + channel + "}:pub");
    }

    /** The channel of a pub/sub channel name made by {@link #pubsub}, or null for another name. */
    String channelOfPubsub(byte[] name) {
        String s = new String(name, StandardCharsets.UTF_8);
        String head = prefix + ":{";
        if (!s.startsWith(head) || !s.endsWith("}:pub")) return null;
        return s.substring(head.length(), s.length() - "}:pub".length());
    }

    /** Hash of a presence channel's members: field {@code NODE/USER}, value the member's info. */
    byte[] members(String channel) {
        return bytes(prefix + ":{" + channel + "}:members");
    }

    /** Hash of a presence channel's users: field {@code USER}, value how many nodes hold it. */
    byte[] users(String channel) {
        return bytes(prefix + ":{" + channel + "}:users");
    }

    /** Set of the nodes that have subscribers of the channel (for cluster-wide occupied/vacated events). */
    byte[] occupants(String channel) {
        return bytes(prefix + ":{" + channel + "}:nodes");
    }

    /** The (plain, cluster-wide) pub/sub channel of presence changes. */
    byte[] presenceEvents() {
        return bytes(prefix + ":presence");
    }

    /** A node's heartbeat: exists while the node lives. */
    byte[] node(String node) {
        return bytes(prefix + ":node:" + node);
    }

    /** Set of the channels where {@code node} holds members or has subscribers. */
    byte[] nodeChannels(String node) {
        return bytes(prefix + ":node:" + node + ":channels");
    }

    /** Set of the nodes that hold presence, for finding dead ones. */
    byte[] nodes() {
        return bytes(prefix + ":nodes");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
