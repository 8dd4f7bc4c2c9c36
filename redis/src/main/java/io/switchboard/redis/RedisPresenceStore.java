package io.switchboard.redis;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.switchboard.core.broker.Epochs;
import io.switchboard.core.event.EventSink;
import io.switchboard.core.presence.Member;
import io.switchboard.core.presence.MemoryPresenceStore;
import io.switchboard.core.presence.PresenceListener;
import io.switchboard.core.presence.PresenceStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PresenceStore} of many nodes on Redis: every node sees every member, not only its own.
 *
 * <p>Each node counts its own connections and waits out the leave grace locally (a {@link MemoryPresenceStore});
 * what it tells Redis is only "this node holds user U in channel C" (field {@code NODE/U} of the channel's
 * members hash). A user joins when the first node holds it and leaves when the last lets go, decided by a
 * Lua script, which then {@code PUBLISH}es the change to every node's listener — once per change.
 *
 * <p>Dead nodes: each node keeps a heartbeat key alive ({@link RedisOptions#nodeTtl}, renewed every third of
 * it) and every node looks for nodes whose key expired; their members are dropped (and their users leave) by
 * whichever node finds them first. So a dead node's members are gone within {@link RedisOptions#presenceBound}.
 * A node whose own key was lost (Redis restarted, or it was away too long) adds its members again.
 */
public final class RedisPresenceStore implements PresenceStore {
    private static final Logger log = LoggerFactory.getLogger(RedisPresenceStore.class);
    private static final Script ADD = new Script("presence.lua", "presence_add.lua");
    private static final Script REMOVE = new Script("presence.lua", "presence_remove.lua");
    private static final Script REAP = new Script("presence.lua", "presence_reap.lua");

    private final RedisOptions options;
    private final Keys keys;
    private final String node = Epochs.next() + Epochs.next();
    private final RedisConnections redis;
    private final MemoryPresenceStore local;
    /** What this node holds in Redis, by channel and user: to add again after Redis lost it. */
    private final Map<String, Map<String, Member>> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "redis-presence");
        t.setDaemon(true);
        return t;
    });
    /** The Redis change a local join or leave just made on this thread, for add/remove to return. */
    private final ThreadLocal<CompletableFuture<?>> change = new ThreadLocal<>();
    private volatile PresenceListener listener;
    private volatile ChannelOccupancy occupancy;
    /** A change failed to reach Redis: the next heartbeat sets this node's members in Redis right. */
    private volatile boolean unsynced;
    private volatile boolean closed;

    /** Connects to Redis; throws {@link io.lettuce.core.RedisConnectionException} when it is not there. */
    public RedisPresenceStore(RedisOptions options, Duration grace) {
        this.options = options;
        this.keys = new Keys(options.prefix());
        this.redis = new RedisConnections(options);
        this.local = new MemoryPresenceStore(grace);
    }

    @Override
    public void start(PresenceListener listener) {
        this.listener = listener;
        local.start(new PresenceListener() {
            @Override
            public void onJoin(String channel, Member member) {
                held.computeIfAbsent(channel, c -> new ConcurrentHashMap<>()).put(member.user(), member);
                change.set(hold(channel, member));
            }

            @Override
            public void onLeave(String channel, Member member) {
                Map<String, Member> users = held.get(channel);
                if (users != null) users.remove(member.user());
                change.set(let(channel, member.user()));
            }
        });
        redis.pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] payload) {
                if (Arrays.equals(channel, keys.presenceEvents())) event(payload);
            }
        });
        // Lettuce subscribes again by itself after a reconnect.
        redis.pubsub.async().subscribe(keys.presenceEvents()).toCompletableFuture()
                .orTimeout(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS).join();
        long beat = Math.max(1, options.nodeTtl().toMillis() / 3);
        timer.scheduleWithFixedDelay(this::heartbeat, 0, beat, TimeUnit.MILLISECONDS);
    }

    /** Completes once Redis has the change this connection made (if it made one): then every node is told. */
    @Override
    public CompletionStage<Void> add(String channel, Member member, String connection) {
        local.add(channel, member, connection);
        CompletableFuture<?> joined = taken();
        Map<String, Member> users = held.get(channel);
        Member known = users == null ? null : users.get(member.user());
        if (joined == null && known != null && !known.equals(member)) { // the newest token's info wins
            users.put(member.user(), member);
            joined = hold(channel, member);
        }
        return done(joined);
    }

    /** Completes once Redis has the leave this made, if it made one at once (no grace). */
    @Override
    public CompletionStage<Void> remove(String channel, String connection) {
        local.remove(channel, connection);
        return done(taken());
    }

    private CompletableFuture<?> taken() {
        CompletableFuture<?> f = change.get();
        change.remove();
        return f;
    }

    /** Failures are logged where they happen; callers of add/remove only wait. */
    private static CompletionStage<Void> done(CompletableFuture<?> f) {
        return f == null ? CompletableFuture.completedFuture(null) : f.handle((ok, e) -> null);
    }

    @Override
    public CompletionStage<List<Member>> members(String channel) {
        return RedisConnections.call(() -> redis.commands.async().hgetall(keys.members(channel))).thenApply(fields -> {
            Map<String, Member> byUser = new TreeMap<>();
            for (Map.Entry<byte[], byte[]> f : fields.entrySet()) {
                String field = new String(f.getKey(), StandardCharsets.UTF_8);
                String user = field.substring(field.indexOf('/') + 1);
                byUser.put(user, new Member(user, f.getValue().length == 0 ? null : f.getValue()));
            }
            List<Member> out = new ArrayList<>(byUser.values());
            out.sort(Comparator.comparing(Member::user));
            return out;
        });
    }

    /** Channel occupied/vacated once across the nodes ({@link ChannelOccupancy}); other events pass. */
    @Override
    public EventSink channelEvents(EventSink events) {
        ChannelOccupancy o = new ChannelOccupancy(redis, keys, node, events);
        occupancy = o;
        return o;
    }

    /** This node's id in Redis (its heartbeat key and its members' fields). */
    public String node() {
        return node;
    }

    private CompletableFuture<?> hold(String channel, Member member) {
        byte[] info = member.info() == null ? new byte[0] : member.info();
        // Registered first, so that a reaper that sees this node's members also finds their channel.
        RedisConnections.call(() -> redis.commands.async().sadd(keys.nodeChannels(node), utf8(channel)));
        return run(ADD, channel, utf8(node), utf8(member.user()), info, keys.presenceEvents(), utf8(channel));
    }

    private CompletableFuture<?> let(String channel, String user) {
        return run(REMOVE, channel, utf8(node), utf8(user), keys.presenceEvents(), utf8(channel));
    }

    private CompletableFuture<List<Object>> run(Script script, String channel, byte[]... args) {
        return script.run(redis.commands.async(), new byte[][] {keys.members(channel), keys.users(channel)}, args)
                .whenComplete((ok, e) -> {
                    if (e == null || closed) return;
                    log.warn("presence change in {} did not reach Redis (set right at the next heartbeat): {}",
                            channel, e.toString());
                    unsynced = true;
                });
    }

    /** On the timer: keep this node alive, add its members again if Redis forgot it, drop dead nodes'. */
    private void heartbeat() {
        if (closed) return;
        try {
            RedisAsyncCommands<byte[], byte[]> r = redis.commands.async();
            long ttl = options.nodeTtl().toMillis();
            if (!Boolean.TRUE.equals(await(r.pexpire(keys.node(node), ttl)))) {
                // First beat, or Redis lost this node (restarted, or the node was unreachable past its TTL).
                await(r.set(keys.node(node), utf8("1"), SetArgs.Builder.px(ttl)));
                await(r.sadd(keys.nodes(), utf8(node)));
                for (Map.Entry<String, Map<String, Member>> c : held.entrySet()) {
                    for (Member m : c.getValue().values()) hold(c.getKey(), m);
                }
                ChannelOccupancy o = occupancy;
                if (o != null) o.rejoin();
            } else if (unsynced) {
                resync(r);
            }
            for (byte[] other : await(r.smembers(keys.nodes()))) {
                String id = new String(other, StandardCharsets.UTF_8);
                if (!id.equals(node) && await(r.exists(keys.node(id))) == 0) reap(r, id);
            }
        } catch (RuntimeException e) {
            log.debug("presence heartbeat failed: {}", e.toString());
        }
    }

    /**
     * After a change failed to reach Redis (which kept its data): add what this node holds, drop what it
     * no longer holds, so a user who left during the outage does not stay listed.
     */
    private void resync(RedisAsyncCommands<byte[], byte[]> r) {
        unsynced = false;
        try {
            setRight(r);
        } catch (RuntimeException e) {
            unsynced = true;
            throw e;
        }
    }

    private void setRight(RedisAsyncCommands<byte[], byte[]> r) {
        String mine = node + "/";
        for (byte[] ch : await(r.smembers(keys.nodeChannels(node)))) {
            String channel = new String(ch, StandardCharsets.UTF_8);
            Map<String, Member> users = held.getOrDefault(channel, Map.of());
            for (byte[] f : await(r.hkeys(keys.members(channel)))) {
                String field = new String(f, StandardCharsets.UTF_8);
                if (field.startsWith(mine) && !users.containsKey(field.substring(mine.length()))) {
                    await(let(channel, field.substring(mine.length())));
                }
            }
        }
        for (Map.Entry<String, Map<String, Member>> c : held.entrySet()) {
            for (Member m : c.getValue().values()) await(hold(c.getKey(), m));
        }
    }

    /** Drops every member of dead node {@code id}; its users that no other node holds leave. */
    private void reap(RedisAsyncCommands<byte[], byte[]> r, String id) {
        for (byte[] ch : await(r.smembers(keys.nodeChannels(id)))) {
            String channel = new String(ch, StandardCharsets.UTF_8);
            await(REAP.run(r, new byte[][] {keys.members(channel), keys.users(channel)}, utf8(id),
                    keys.presenceEvents(), ch, utf8(node)));
            ChannelOccupancy o = occupancy;
            if (o != null) o.reap(r, id, channel, System.currentTimeMillis());
        }
        await(r.del(keys.nodeChannels(id)));
        await(r.srem(keys.nodes(), utf8(id)));
        log.info("dropped the presence members and channels of node {}, whose heartbeat stopped", id);
    }

    private <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A join or leave from any node, for this node's listener: as its own change when this node made it
     * (it sends the member event), as a remote one otherwise, so each change is one webhook event.
     */
    private void event(byte[] payload) {
        try {
            boolean join = payload[0] == 'j';
            int n0 = indexOf(payload, 1);
            int n1 = indexOf(payload, n0 + 1);
            int n2 = indexOf(payload, n1 + 1);
            boolean mine = node.equals(new String(payload, 1, n0 - 1, StandardCharsets.UTF_8));
            String channel = new String(payload, n0 + 1, n1 - n0 - 1, StandardCharsets.UTF_8);
            int userLen = Integer.parseInt(new String(payload, n1 + 1, n2 - n1 - 1, StandardCharsets.US_ASCII));
            String user = new String(payload, n2 + 1, userLen, StandardCharsets.UTF_8);
            byte[] info = Arrays.copyOfRange(payload, n2 + 1 + userLen, payload.length);
            Member member = new Member(user, info.length == 0 ? null : info);
            if (join && mine) listener.onJoin(channel, member);
            else if (join) listener.onRemoteJoin(channel, member);
            else if (mine) listener.onLeave(channel, member);
            else listener.onRemoteLeave(channel, member);
        } catch (RuntimeException e) {
            log.warn("dropping a malformed presence event");
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == '\n') return i;
        throw new IllegalArgumentException("malformed presence event");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (closed) return;
        timer.shutdownNow();
        local.close();
        // A graceful stop: this node's users leave now rather than when its heartbeat expires.
        List<CompletableFuture<?>> leaving = new ArrayList<>();
        for (Map.Entry<String, Map<String, Member>> c : held.entrySet()) {
            for (String user : c.getValue().keySet()) {
                leaving.add(run(REMOVE, c.getKey(), utf8(node), utf8(user), keys.presenceEvents(), utf8(c.getKey())));
            }
        }
        ChannelOccupancy o = occupancy;
        if (o != null) leaving.addAll(o.leaveAll());
        closed = true;
        try {
            CompletableFuture.allOf(leaving.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
            redis.commands.async().del(keys.node(node), keys.nodeChannels(node)).get(2, TimeUnit.SECONDS);
            redis.commands.async().srem(keys.nodes(), utf8(node)).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("presence cleanup on close failed: {}", e.toString());
        }
        redis.close();
    }

    /** Stops as a crash would look to Redis: no more heartbeats, nothing cleaned up. For tests of dead nodes. */
    void abandon() {
        closed = true;
        timer.shutdownNow();
        local.close();
        redis.close();
    }
}
