package io.switchboard.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.switchboard.core.broker.BrokerListener;
import io.switchboard.core.broker.History;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's shard pub/sub subscriptions: counted per channel, so Redis is asked only for channels with
 * local subscribers, and sent in batches ({@code SSUBSCRIBE a b c}) by one flusher thread. Messages go to
 * the {@link BrokerListener} once each, in offset order: a message at or before the channel's last
 * delivered position is dropped.
 *
 * <p>After the pub/sub connection comes back (Lettuce reconnects with backoff) every channel is subscribed
 * again and caught up from history since its last delivered message, with live messages held back
 * meanwhile, so a Redis that kept its data loses this node nothing. A Redis that lost it starts new epochs,
 * which subscribers see as an explicit gap.
 *
 * <p>Thread-safety: all state is guarded by {@code lock}; the listener is called holding it, from Lettuce's
 * thread or a history callback, which is what keeps one channel's messages in order.
 */
final class NodeSubscriptions extends RedisPubSubAdapter<byte[], byte[]> implements RedisConnectionStateListener {
    private static final Logger log = LoggerFactory.getLogger(NodeSubscriptions.class);
    private static final Duration CHECK = Duration.ofMillis(200);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
    private final Keys keys;
    private final BiFunction<String, Position, CompletableFuture<History>> catchUp;
    private final BrokerListener listener;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "redis-subscriptions");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private final Map<String, State> states = new HashMap<>();
    /** Channels changed since the last flush, with the callers waiting for it. */
    private Map<String, List<Waiter>> dirty = new HashMap<>();
    /** Disconnects so far: a catch-up started before the latest one must not release what is held. */
    private long generation;
    /** The pub/sub connection dropped and its channels are not yet subscribed and caught up again. */
    private boolean stale;
    private boolean resyncing;

    /** One channel: how many local subscribes, the SSUBSCRIBE in effect, what was delivered. */
    private static final class State {
        int count;
        /** The SSUBSCRIBE sent for this channel (null: none in effect). */
        CompletableFuture<Void> ready;
        Position last;
        /** Live messages held back while the channel catches up after a reconnect; null otherwise. */
        List<Message> held;
    }

    private record Waiter(boolean subscribe, CompletableFuture<Void> done) {}

    NodeSubscriptions(StatefulRedisPubSubConnection<byte[], byte[]> pubsub, Keys keys,
                      BiFunction<String, Position, CompletableFuture<History>> catchUp, BrokerListener listener) {
        this.pubsub = pubsub;
        this.keys = keys;
        this.catchUp = catchUp;
        this.listener = listener;
        pubsub.addListener((RedisPubSubAdapter<byte[], byte[]>) this);
        pubsub.addListener((RedisConnectionStateListener) this);
        flusher.scheduleWithFixedDelay(this::check, CHECK.toMillis(), CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    CompletableFuture<Void> subscribe(String channel) {
        synchronized (lock) {
            State st = states.computeIfAbsent(channel, c -> new State());
            st.count++;
            if (st.ready != null && !dirty.containsKey(channel)) return st.ready; // already asked Redis
            return queue(channel, true);
        }
    }

    CompletableFuture<Void> unsubscribe(String channel) {
        synchronized (lock) {
            State st = states.get(channel);
            if (st == null || st.count == 0) return CompletableFuture.completedFuture(null);
            if (--st.count > 0) return CompletableFuture.completedFuture(null);
            return queue(channel, false);
        }
    }

    /** Under the lock. */
    private CompletableFuture<Void> queue(String channel, boolean subscribe) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean first = dirty.isEmpty();
        dirty.computeIfAbsent(channel, c -> new ArrayList<>()).add(new Waiter(subscribe, done));
        if (first) flusher.execute(this::flush);
        return done;
    }

    /** On the flusher: one SSUBSCRIBE and one SUNSUBSCRIBE for everything that changed since the last flush. */
    private void flush() {
        Map<String, List<Waiter>> batch;
        List<String> subs = new ArrayList<>();
        List<String> unsubs = new ArrayList<>();
        CompletableFuture<Void> subscribed = null;
        CompletableFuture<Void> unsubscribed = CompletableFuture.completedFuture(null);
        Map<String, CompletableFuture<Void>> readyOf = new HashMap<>();
        synchronized (lock) {
            batch = dirty;
            dirty = new HashMap<>();
            for (String ch : batch.keySet()) {
                State st = states.get(ch);
                if (st.count > 0 && st.ready == null) subs.add(ch);
                if (st.count == 0) {
                    if (st.ready != null) unsubs.add(ch);
                    states.remove(ch);
                }
            }
            if (!subs.isEmpty()) {
                subscribed = new CompletableFuture<>();
                for (String ch : subs) states.get(ch).ready = subscribed;
                forgetOnFailure(subs, subscribed);
            }
            for (String ch : batch.keySet()) {
                State st = states.get(ch);
                readyOf.put(ch, st == null || st.ready == null ? CompletableFuture.completedFuture(null) : st.ready);
            }
        }
        // Never call Lettuce holding the lock: its event loop may be waiting for the lock to hand us a message
        // while it holds the connection's writer lock. Only this thread sends, so the order is kept anyway.
        if (subscribed != null) pipe(RedisConnections.call(() -> pubsub.async().ssubscribe(names(subs))), subscribed);
        if (!unsubs.isEmpty()) unsubscribed = RedisConnections.call(() -> pubsub.async().sunsubscribe(names(unsubs)));
        for (Map.Entry<String, List<Waiter>> e : batch.entrySet()) {
            for (Waiter w : e.getValue()) complete(w.done, w.subscribe ? readyOf.get(e.getKey()) : unsubscribed);
        }
    }

    /** A failed SSUBSCRIBE is not in effect: the next subscribe of those channels asks again. */
    private void forgetOnFailure(List<String> channels, CompletableFuture<Void> sent) {
        sent.whenComplete((ok, e) -> {
            if (e == null) return;
            synchronized (lock) {
                for (String ch : channels) {
                    State st = states.get(ch);
                    if (st != null && st.ready == sent) st.ready = null;
                }
            }
        });
    }

    private static void pipe(CompletableFuture<Void> from, CompletableFuture<Void> to) {
        complete(to, from);
    }

    private static void complete(CompletableFuture<Void> waiter, CompletableFuture<Void> on) {
        on.whenComplete((ok, e) -> {
            if (e == null) waiter.complete(null);
            else waiter.completeExceptionally(e);
        });
    }

    @Override
    public void smessage(byte[] shardChannel, byte[] payload) {
        String channel = keys.channelOfPubsub(shardChannel);
        if (channel == null) return;
        Message m;
        try {
            m = Entries.fromPubSub(channel, payload);
        } catch (RuntimeException e) {
            log.warn("dropping a malformed message on {}", channel);
            return;
        }
        synchronized (lock) {
            State st = states.get(channel);
            if (st == null || st.count == 0) return;
            if (st.held != null) st.held.add(m);
            else deliver(st, m);
        }
    }

    /** Under the lock. */
    private void deliver(State st, Message m) {
        if (st.last != null && st.last.epoch().equals(m.epoch()) && m.offset() <= st.last.offset()) return;
        st.last = m.position();
        listener.onMessage(m);
    }

    /** From here on live messages are held: the first ones after the reconnect may come after a hole. */
    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        synchronized (lock) {
            generation++;
            stale = true;
            for (State st : states.values()) {
                if (st.count > 0 && st.last != null && st.held == null) st.held = new ArrayList<>();
            }
        }
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        later(this::resync);
    }

    /**
     * On the flusher, after a reconnect (and every {@link #CHECK} while one is pending, since Lettuce tells
     * of the connection before it takes commands): subscribe everything again, then catch each channel up.
     */
    private void resync() {
        Map<String, State> now = new HashMap<>();
        CompletableFuture<Void> sent;
        List<String> all;
        long gen;
        synchronized (lock) {
            if (!stale || resyncing || !pubsub.isOpen()) return;
            resyncing = true;
            gen = generation;
            for (Map.Entry<String, State> e : states.entrySet()) {
                if (e.getValue().count > 0) now.put(e.getKey(), e.getValue());
            }
            if (now.isEmpty()) {
                stale = false;
                resyncing = false;
                return;
            }
            all = new ArrayList<>(now.keySet());
            sent = new CompletableFuture<>();
            for (State st : now.values()) st.ready = sent;
            forgetOnFailure(all, sent);
        }
        log.debug("resubscribing {} channels", all.size());
        pipe(RedisConnections.call(() -> pubsub.async().ssubscribe(names(all))), sent);
        // Bounded (on our own future: Lettuce's may ignore a timeout): a confirmation lost with a connection
        // dropping again, or never sent, must not hold the resync up; the periodic check tries again.
        sent.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).thenCompose(ok -> catchUpAll(now, gen)).whenComplete((done, error) -> {
            synchronized (lock) {
                resyncing = false;
                if (error == null && generation == gen) stale = false;
            }
            // On failure the periodic check tries again; messages stay held meanwhile.
            if (error == null) log.info("resubscribed {} channels after reconnecting to Redis", now.size());
            else log.debug("resubscribing after a reconnect failed: {}", error.toString());
        });
    }

    private CompletableFuture<Void> catchUpAll(Map<String, State> channels, long gen) {
        List<CompletableFuture<?>> reads = new ArrayList<>();
        for (Map.Entry<String, State> entry : channels.entrySet()) {
            State st = entry.getValue();
            Position from;
            synchronized (lock) {
                from = st.held == null ? null : st.last;
            }
            if (from == null) continue;
            CompletableFuture<History> read = new CompletableFuture<>();
            String channel = entry.getKey();
            catchUp.apply(channel, from).thenCompose(h -> h.gap() && !h.latest().epoch().equals(from.epoch())
                    // Redis lost the channel (a restart): all of the new epoch, which the Hub turns into a gap first.
                    ? catchUp.apply(channel, new Position(h.latest().epoch(), 0))
                    : CompletableFuture.completedFuture(h)).whenComplete((h, e) -> {
                if (e == null) read.complete(h);
                else read.completeExceptionally(e);
            });
            reads.add(read.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).thenAccept(h -> release(st, h, gen)));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new));
    }

    /** The periodic check: a pending resync that failed or was missed runs again. */
    private void check() {
        boolean pending;
        synchronized (lock) {
            pending = stale && !resyncing;
        }
        try {
            if (pending) resync();
        } catch (RuntimeException e) { // a throwing periodic task would never run again
            log.warn("resubscribing failed", e);
        }
    }

    private void later(Runnable task) {
        try {
            flusher.schedule(task, 10, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // closing: nothing to do
        }
    }

    /**
     * Delivers what history had after the last delivered message, then the held live messages; unless the
     * connection dropped again meanwhile, in which case the next resync does it.
     */
    private void release(State st, History caughtUp, long gen) {
        synchronized (lock) {
            if (generation != gen) return;
            if (!caughtUp.gap()) {
                for (Message m : caughtUp.messages()) deliver(st, m);
            }
            List<Message> held = st.held;
            st.held = null;
            if (held != null && st.count > 0) for (Message m : held) deliver(st, m);
        }
    }

    private byte[][] names(List<String> channels) {
        byte[][] out = new byte[channels.size()][];
        for (int i = 0; i < out.length; i++) out[i] = keys.pubsub(channels.get(i));
        return out;
    }

    void close() {
        flusher.shutdownNow();
    }
}
