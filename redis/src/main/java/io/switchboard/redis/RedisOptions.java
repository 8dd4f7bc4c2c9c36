package io.switchboard.redis;

import java.time.Duration;

/**
 * How a node uses Redis.
 *
 * @param uri               where Redis is: {@code redis://HOST:PORT[/DB]}, {@code rediss://…} (TLS) or
 *                          {@code redis-sentinel://…} (Lettuce's URI syntax)
 * @param prefix            the start of every key and pub/sub channel name, so several deployments can share
 *                          one Redis ({@code sb})
 * @param commandTimeout    how long a command may take before it fails (2 s)
 * @param maxReconnectDelay the longest wait between reconnect attempts; they back off exponentially from
 *                          10 ms up to it (2 s)
 * @param metaTtl           how long a channel's epoch and offset outlive its last publish (1 day); after that
 *                          the channel starts a new epoch and old positions get a gap
 * @param nodeTtl           how long a node's presence members outlive its last heartbeat (10 s); heartbeats
 *                          go every third of it, so a dead node's members are gone within
 *                          {@code nodeTtl + nodeTtl / 3}
 */
public record RedisOptions(String uri, String prefix, Duration commandTimeout, Duration maxReconnectDelay,
                           Duration metaTtl, Duration nodeTtl) {
    public RedisOptions {
        if (uri == null || uri.isBlank()) throw new IllegalArgumentException("a Redis URI is needed");
        if (prefix == null || prefix.isEmpty() || prefix.contains("{") || prefix.contains("}")) {
            throw new IllegalArgumentException("the key prefix must be non-empty and without braces");
        }
        positive(commandTimeout, "commandTimeout");
        positive(maxReconnectDelay, "maxReconnectDelay");
        positive(metaTtl, "metaTtl");
        positive(nodeTtl, "nodeTtl");
    }

    /** The defaults for Redis at {@code uri}. */
    public static RedisOptions of(String uri) {
        return new RedisOptions(uri, "sb", Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofDays(1),
                Duration.ofSeconds(10));
    }

    public RedisOptions withPrefix(String v) {
        return new RedisOptions(uri, v, commandTimeout, maxReconnectDelay, metaTtl, nodeTtl);
    }

    public RedisOptions withNodeTtl(Duration v) {
        return new RedisOptions(uri, prefix, commandTimeout, maxReconnectDelay, metaTtl, v);
    }

    public RedisOptions withMaxReconnectDelay(Duration v) {
        return new RedisOptions(uri, prefix, commandTimeout, v, metaTtl, nodeTtl);
    }

    /** {@code Redis at HOST:PORT}: where, without the password the URI may carry, for errors and logs. */
    public String where() {
        io.lettuce.core.RedisURI parsed = io.lettuce.core.RedisURI.create(uri);
        if (parsed.getHost() != null) return "Redis at " + parsed.getHost() + ":" + parsed.getPort();
        return parsed.getSentinels().isEmpty() ? "Redis"
                : "Redis via Sentinel " + parsed.getSentinels().get(0).getHost() + ":" + parsed.getSentinels().get(0).getPort();
    }

    /** The longest a dead node's presence members stay listed. */
    public Duration presenceBound() {
        return nodeTtl.plus(nodeTtl.dividedBy(3));
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be > 0");
    }
}
