package io.switchboard.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;

/**
 * One Lettuce client with its two connections: commands (scripts, reads) and pub/sub. Both reconnect by
 * themselves with exponential backoff; while disconnected, commands fail at once instead of queueing, so
 * a publish answers 503 rather than hanging.
 */
final class RedisConnections implements AutoCloseable {
    final RedisClient client;
    final StatefulRedisConnection<byte[], byte[]> commands;
    final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
    /** {@code HOST:PORT} without credentials, for error messages and logs. */
    final String where;

    /** Connects; throws {@link io.lettuce.core.RedisConnectionException} when Redis is not there. */
    RedisConnections(RedisOptions options) {
        RedisURI uri = RedisURI.create(options.uri());
        this.where = options.where();
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), options.maxReconnectDelay(), 2, TimeUnit.MILLISECONDS))
                .build();
        client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .protocolVersion(ProtocolVersion.RESP2)
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .build());
        StatefulRedisConnection<byte[], byte[]> c = null;
        try {
            c = client.connect(ByteArrayCodec.INSTANCE);
            pubsub = client.connectPubSub(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            if (c != null) c.close();
            shutdown(resources);
            throw e;
        }
        commands = c;
    }

    /** A command's future; Lettuce may refuse at once (throw) while disconnected, made a failed future here. */
    static <T> CompletableFuture<T> call(Supplier<RedisFuture<T>> command) {
        try {
            return command.get().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    boolean open() {
        return commands.isOpen() && pubsub.isOpen();
    }

    @Override
    public void close() {
        pubsub.close();
        commands.close();
        shutdown(client.getResources());
    }

    private void shutdown(ClientResources resources) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
