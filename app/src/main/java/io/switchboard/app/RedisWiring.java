package io.switchboard.app;

import io.switchboard.core.time.Clock;
import io.switchboard.redis.RedisBroker;
import io.switchboard.redis.RedisOptions;
import io.switchboard.redis.RedisPresenceStore;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;

/**
 * A node of many on Redis ({@code --broker redis://…}): the Redis broker and presence store, connected before
 * the server starts so that an unreachable Redis stops the start with one line. The server owns both once
 * started; until then {@link #close} releases them.
 */
final class RedisWiring implements AutoCloseable {
    private final Clock clock = Clock.system();
    private final RedisBroker broker;
    private final RedisPresenceStore presence;

    private RedisWiring(RedisBroker broker, RedisPresenceStore presence) {
        this.broker = broker;
        this.presence = presence;
    }

    /** Connects both; throws (Lettuce's RedisConnectionException) when Redis cannot be reached. */
    static RedisWiring connect(RedisOptions options, ServerConfig config) {
        RedisBroker broker = new RedisBroker(options, Clock.system(), SwitchboardServer.access(config)::history);
        try {
            return new RedisWiring(broker, new RedisPresenceStore(options, config.hub().presenceGrace()));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    SwitchboardServer start(ServerConfig config) throws InterruptedException {
        return SwitchboardServer.start(config, broker, presence, clock);
    }

    @Override
    public void close() {
        presence.close();
        broker.close();
    }
}
