package io.switchboard.server.limit;

import io.switchboard.core.error.SwitchboardException;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides, as each connection is accepted, whether this node takes it: the node's connection limit, the
 * limit per address and the rate of new connections per address. Thread-safe: connections are accepted on
 * every event loop.
 *
 * <p>Memory: one small entry per address with open connections or a bucket still refilling; {@link #sweep}
 * forgets the rest, so addresses that came once cost nothing after a few seconds.
 */
public final class ConnectionGate {
    private final int maxConnections;
    private final int maxPerIp;
    private final int connectRate;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Address> addresses = new ConcurrentHashMap<>();

    public ConnectionGate(LimitsConfig limits) {
        this.maxConnections = limits.effectiveMaxConnections();
        this.maxPerIp = limits.maxConnectionsPerIp();
        this.connectRate = limits.connectsPerSecondPerIp();
    }

    /** One address's open connections and its bucket of new ones; guarded by itself. */
    private static final class Address {
        final TokenBucket connects;
        int open;

        Address(int rate, long now) {
            connects = new TokenBucket(rate, rate, now);
        }
    }

    /**
     * Admits a new connection from {@code ip}, or says why not: {@code 503 unavailable} (the node is full)
     * or {@code 429 rate_limited} (this address has too many, or connects too fast). An admitted connection
     * must be {@link #leave left} exactly once when it closes.
     */
    public SwitchboardException admit(InetAddress ip, long nowNanos) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return new SwitchboardException(503, "unavailable",
                    "this node holds all the connections it may; try again later or another node");
        }
        if (maxPerIp == 0 && connectRate == 0) return null;
        Address a = addresses.computeIfAbsent(ip, k -> new Address(connectRate, nowNanos));
        synchronized (a) {
            if (!a.connects.tryTake(nowNanos)) {
                open.decrementAndGet();
                return new SwitchboardException(429, "rate_limited",
                        "too many new connections from your address; retry after a second");
            }
            if (maxPerIp > 0 && a.open >= maxPerIp) {
                open.decrementAndGet();
                return new SwitchboardException(429, "rate_limited",
                        "your address holds " + maxPerIp + " connections, the most allowed");
            }
            a.open++;
        }
        return null;
    }

    /** An admitted connection from {@code ip} closed. */
    public void leave(InetAddress ip) {
        open.decrementAndGet();
        Address a = addresses.get(ip);
        if (a == null) return;
        synchronized (a) {
            a.open--;
        }
    }

    /** Admitted connections now open. */
    public int open() {
        return open.get();
    }

    /** Addresses remembered now (for tests: the map must not grow with addresses that left). */
    public int addresses() {
        return addresses.size();
    }

    /** Forgets addresses with nothing open and a full bucket. */
    public void sweep(long nowNanos) {
        addresses.forEach((ip, a) -> {
            synchronized (a) {
                if (a.open == 0 && a.connects.full(nowNanos)) addresses.remove(ip, a);
            }
        });
    }
}
