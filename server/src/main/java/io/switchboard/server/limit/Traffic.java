package io.switchboard.server.limit;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Bytes read from and written to clients, for {@code /metrics}. Each connection counts its own in plain
 * fields of its {@link ConnectionGuard} (no shared counter touched per write: with every event loop writing
 * to thousands of sockets per message, one shared adder was 9 % of the fan-out's samples); a connection
 * adds its totals here when it closes, and a scrape sums these with the open connections' counts.
 */
public final class Traffic {
    private final LongAdder closedIn = new LongAdder();
    private final LongAdder closedOut = new LongAdder();
    private final Consumer<Consumer<Channel>> connections;

    /** @param connections visits every open connection */
    public Traffic(Consumer<Consumer<Channel>> connections) {
        this.connections = connections;
    }

    void closed(long in, long out) {
        closedIn.add(in);
        closedOut.add(out);
    }

    /** Bytes read so far, all connections (a scrape's read of open counts may lag a batch). */
    public long in() {
        long[] sum = {closedIn.sum()};
        connections.accept(ch -> {
            ConnectionGuard g = ConnectionGuard.of(ch);
            if (g != null) sum[0] += g.bytesIn();
        });
        return sum[0];
    }

    /** Bytes written so far, all connections. */
    public long out() {
        long[] sum = {closedOut.sum()};
        connections.accept(ch -> {
            ConnectionGuard g = ConnectionGuard.of(ch);
            if (g != null) sum[0] += g.bytesOut();
        });
        return sum[0];
    }
}
