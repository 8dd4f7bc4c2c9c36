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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

    private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
    private final Keys keys;
    private final BiFunction<String, Position, CompletableFuture<History>> catchUp;
    private final BrokerListener listener;
    private final ExecutorService flusher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "redis-subscriptions");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private final Map<String, State> states = new HashMap<>();
    /** Channels changed since the last flush, with the callers waiting for it. */
    private Map<String, List<Waiter>> dirty = new HashMap<>();

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
            // Sent holding the lock so that a channel's SSUBSCRIBE and SUNSUBSCRIBE reach Redis in order.
            if (!subs.isEmpty()) {
                subscribed = pubsub.async().ssubscribe(names(subs)).toCompletableFuture();
                for (String ch : subs) states.get(ch).ready = subscribed;
                forgetOnFailure(subs, subscribed);
            }
            if (!unsubs.isEmpty()) unsubscribed = pubsub.async().sunsubscribe(names(unsubs)).toCompletableFuture();
            for (String ch : batch.keySet()) {
                State st = states.get(ch);
                readyOf.put(ch, st == null || st.ready == null ? CompletableFuture.completedFuture(null) : st.ready);
            }
        }
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

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        flusher.execute(this::resync);
    }

    /** On the flusher, after a reconnect: subscribe everything again, then catch each channel up. */
    private void resync() {
        Map<String, State> now = new HashMap<>();
        CompletableFuture<Void> sent;
        synchronized (lock) {
            for (Map.Entry<String, State> e : states.entrySet()) {
                if (e.getValue().count > 0) now.put(e.getKey(), e.getValue());
            }
            if (now.isEmpty()) return;
            List<String> all = new ArrayList<>(now.keySet());
            sent = pubsub.async().ssubscribe(names(all)).toCompletableFuture();
            for (State st : now.values()) {
                st.ready = sent;
                if (st.last != null && st.held == null) st.held = new ArrayList<>();
            }
            forgetOnFailure(all, sent);
        }
        log.info("resubscribed {} channels after reconnecting to Redis", now.size());
        sent.whenComplete((ok, e) -> {
            for (Map.Entry<String, State> entry : now.entrySet()) {
                State st = entry.getValue();
                Position from;
                synchronized (lock) {
                    from = st.held == null ? null : st.last;
                }
                if (from == null) continue;
                if (e != null) {
                    release(st, null);
                    continue;
                }
                catchUp.apply(entry.getKey(), from).whenComplete((h, readError) -> release(st, readError == null ? h : null));
            }
        });
    }

    /** Delivers what history had after the last delivered message, then the held live messages. */
    private void release(State st, History caughtUp) {
        synchronized (lock) {
            if (caughtUp != null && !caughtUp.gap()) {
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
