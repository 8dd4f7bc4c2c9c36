package io.switchboard.redis;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.switchboard.core.event.EventSink;
import io.switchboard.core.event.ServerEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channel occupied/vacated events once across the nodes: the Hub tells of its own node's first subscriber
 * and last one leaving; this keeps the set of nodes with subscribers per channel in Redis
 * ({@code occupancy.lua}) and passes the event on only when the whole cluster changed. Other events pass
 * unchanged. When Redis cannot be asked, the event is passed on (told twice rather than never).
 * Part of {@link RedisPresenceStore}, whose heartbeats and reaper it shares.
 */
final class ChannelOccupancy implements EventSink {
    private static final Logger log = LoggerFactory.getLogger(ChannelOccupancy.class);
    private static final Script OCCUPY = new Script("occupancy.lua");

    private final RedisConnections redis;
    private final Keys keys;
    private final String node;
    private final EventSink next;
    /** The channels this node has subscribers of: to register again after Redis lost them. */
    private final Set<String> occupied = ConcurrentHashMap.newKeySet();

    ChannelOccupancy(RedisConnections redis, Keys keys, String node, EventSink next) {
        this.redis = redis;
        this.keys = keys;
        this.node = node;
        this.next = next;
    }

    @Override
    public void emit(ServerEvent event) {
        switch (event.type()) {
            case CHANNEL_OCCUPIED -> {
                RedisConnections.call(() -> redis.commands.async().sadd(keys.nodeChannels(node), utf8(event.channel())));
                change(event, true);
            }
            case CHANNEL_VACATED -> change(event, false);
            default -> next.emit(event);
        }
    }

    /**
     * Asks Redis, then tells. The channel joins {@link #occupied} only once Redis has it: a heartbeat's
     * {@link #rejoin} must not register it first, which would make this change look like no change.
     * One node's changes of a channel complete in the order sent (one connection), so the set stays right.
     */
    private void change(ServerEvent event, boolean in) {
        occupy(redis.commands.async(), node, event.channel(), in).whenComplete((whole, e) -> {
            if (in) occupied.add(event.channel());
            else occupied.remove(event.channel());
            if (e != null) {
                log.warn("{} of {} could not be checked with Redis; sent anyway: {}", event.type().wireName(),
                        event.channel(), e.toString());
                next.emit(event);
            } else if (whole) {
                next.emit(event);
            }
        });
    }

    /** Dead node {@code dead} had subscribers of {@code channel}: the channel is vacated if it was the last. */
    void reap(RedisAsyncCommands<byte[], byte[]> r, String dead, String channel, long now) {
        if (occupy(r, dead, channel, false).join()) {
            next.emit(new ServerEvent(ServerEvent.Type.CHANNEL_VACATED, now, channel, null, null, null));
        }
    }

    /** Redis lost this node: register its channels again, with no events (nothing changed for clients). */
    void rejoin() {
        for (String channel : occupied) {
            RedisConnections.call(() -> redis.commands.async().sadd(keys.nodeChannels(node), utf8(channel)));
            occupy(redis.commands.async(), node, channel, true);
        }
    }

    /** A graceful stop: this node leaves every channel it still has (the vacated events are sent if it was the last). */
    List<CompletableFuture<?>> leaveAll() {
        List<CompletableFuture<?>> out = new java.util.ArrayList<>();
        for (String channel : occupied) {
            out.add(occupy(redis.commands.async(), node, channel, false).thenAccept(whole -> {
                if (whole) next.emit(new ServerEvent(ServerEvent.Type.CHANNEL_VACATED, System.currentTimeMillis(), channel, null, null, null));
            }));
        }
        occupied.clear();
        return out;
    }

    private CompletableFuture<Boolean> occupy(RedisAsyncCommands<byte[], byte[]> r, String who, String channel, boolean in) {
        CompletableFuture<List<Object>> run = OCCUPY.run(r, new byte[][] {keys.occupants(channel)}, utf8(who), utf8(in ? "1" : "0"));
        return run.thenApply(reply -> ((Long) reply.get(0)) == 1L);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
