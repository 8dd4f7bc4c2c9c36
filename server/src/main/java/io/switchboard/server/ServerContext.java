package io.switchboard.server;

import io.switchboard.core.hub.Hub;
import io.switchboard.core.time.Clock;
import io.switchboard.server.http.Cors;
import io.switchboard.server.http.OriginPolicy;
import io.switchboard.server.loop.Loops;
import io.switchboard.server.metrics.Metrics;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every door shares: the config, the Hub, the delivery loops, metrics, origin rules and the clock.
 * Made once by {@link SwitchboardServer}; doors take it in their constructor.
 */
public final class ServerContext {
    private final ServerConfig config;
    private final Hub hub;
    private final Loops loops;
    private final Metrics metrics;
    private final OriginPolicy origins;
    private final Cors cors;
    private final Clock clock;
    private final Connections connections;
    private final AtomicLong sessionIds = new AtomicLong();
    private final String sessionPrefix = io.switchboard.core.broker.Epochs.next();

    ServerContext(ServerConfig config, Hub hub, Loops loops, Metrics metrics, Clock clock, Connections connections) {
        this.config = config;
        this.hub = hub;
        this.loops = loops;
        this.metrics = metrics;
        this.origins = new OriginPolicy(config.allowedOrigins());
        this.cors = new Cors(origins);
        this.clock = clock;
        this.connections = connections;
    }

    public ServerConfig config() {
        return config;
    }

    public Hub hub() {
        return hub;
    }

    public Loops loops() {
        return loops;
    }

    public Metrics metrics() {
        return metrics;
    }

    public OriginPolicy origins() {
        return origins;
    }

    public Cors cors() {
        return cors;
    }

    public Clock clock() {
        return clock;
    }

    /** Open connections, for graceful shutdown. */
    public Connections connections() {
        return connections;
    }

    /** A new session id, unique across restarts of this process: a random prefix and a counter. */
    public String newSessionId() {
        return sessionPrefix + "-" + Long.toString(sessionIds.incrementAndGet(), 36);
    }
}
