package io.switchboard.server.limit;

import io.netty.channel.Channel;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.metrics.Metrics;
import java.util.function.Consumer;

/**
 * Once a second, visits every connection of the node: one whose request has been arriving for longer than
 * the request timeout is answered {@code 408} and closed (a trickled, "slowloris" request), one with nothing
 * read or written for the idle timeout is closed. One task for the node instead of a timer per connection,
 * so idle connections cost no scheduled work.
 */
public final class IdleSweep implements Runnable {
    private final Consumer<Consumer<Channel>> connections;
    private final ConnectionGate gate;
    private final Metrics metrics;
    private final long requestTimeout;
    private final long idleTimeout;
    private final long maxRequestSeconds;

    /** @param connections visits every open connection */
    public IdleSweep(Consumer<Consumer<Channel>> connections, ConnectionGate gate, LimitsConfig limits, Metrics metrics) {
        this.connections = connections;
        this.gate = gate;
        this.metrics = metrics;
        this.requestTimeout = limits.requestTimeout().toNanos();
        this.idleTimeout = limits.idleTimeout().toNanos();
        this.maxRequestSeconds = Math.max(1, limits.requestTimeout().toSeconds());
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        connections.accept(ch -> visit(ch, now));
        gate.sweep(now);
    }

    private void visit(Channel ch, long now) {
        ConnectionGuard guard = ConnectionGuard.of(ch);
        if (guard == null) return;
        long started = guard.requestStarted();
        if (started != 0 && now - started > requestTimeout) {
            ch.eventLoop().execute(() -> timeOut(ch, guard, started));
        } else if (now - guard.lastActive() > idleTimeout) {
            ch.eventLoop().execute(() -> {
                if (System.nanoTime() - guard.lastActive() <= idleTimeout || !ch.isActive()) return;
                metrics.idleClosed();
                ch.close();
            });
        }
    }

    private void timeOut(Channel ch, ConnectionGuard guard, long started) {
        if (guard.requestStarted() != started || !ch.isActive()) return; // it finished meanwhile
        guard.requestComplete();
        metrics.error("http", 408);
        SwitchboardException e = new SwitchboardException(408, "request_timeout",
                "the request did not arrive within " + maxRequestSeconds + " s");
        HttpResponses.sendError(ch.pipeline().lastContext(), null, e, null); // a null request: answered, then closed
    }
}
