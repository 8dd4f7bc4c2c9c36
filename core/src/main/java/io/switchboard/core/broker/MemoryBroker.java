package io.switchboard.core.broker;

import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.message.Publication;
import io.switchboard.core.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The default {@link Broker}: one process, history in memory.
 *
 * <p>Each channel is created on first use with a fresh epoch and dropped by {@link #sweep()} once it
 * has no node subscription, no retained history and no activity for its history age; a channel that
 * comes back later gets a new epoch, so an old position is answered with a gap, never misread.
 * A restart loses all history and so changes every epoch.
 *
 * <p>Thread-safety: one lock per channel, held while a publish assigns the offset, appends to history
 * and calls the listener, which makes those three one atomic step. Different channels never contend.
 */
public final class MemoryBroker implements Broker {
    private final Clock clock;
    private final Function<String, HistoryPolicy> policies;
    private final ConcurrentHashMap<String, ChannelLog> channels = new ConcurrentHashMap<>();
    private volatile BrokerListener listener;
    private volatile boolean closed;

    public MemoryBroker(Clock clock, Function<String, HistoryPolicy> policies) {
        this.clock = clock;
        this.policies = policies;
    }

    public MemoryBroker(Clock clock) {
        this(clock, channel -> HistoryPolicy.DEFAULT);
    }

    @Override
    public void start(BrokerListener listener) {
        if (this.listener != null) throw new IllegalStateException("already started");
        this.listener = listener;
    }

    @Override
    public CompletionStage<Message> publish(Publication publication) {
        if (closed) return CompletableFuture.failedFuture(new IllegalStateException("broker closed"));
        while (true) {
            ChannelLog log = log(publication.channel());
            synchronized (log) {
                if (log.removed) continue;
                long now = clock.millis();
                Message message = Message.of(publication, log.epoch, ++log.offset, now);
                log.append(message, now);
                BrokerListener l = listener;
                if (l != null && log.nodeSubscriptions > 0) l.onMessage(message);
                return CompletableFuture.completedFuture(message);
            }
        }
    }

    @Override
    public CompletionStage<History> history(String channel, Position since, int limit) {
        if (limit < 0) throw new IllegalArgumentException("limit must be >= 0");
        while (true) {
            ChannelLog log = log(channel);
            synchronized (log) {
                if (log.removed) continue;
                return CompletableFuture.completedFuture(log.read(since, limit, clock.millis()));
            }
        }
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        while (true) {
            ChannelLog log = log(channel);
            synchronized (log) {
                if (log.removed) continue;
                log.nodeSubscriptions++;
                log.touched = clock.millis();
                return CompletableFuture.completedFuture(null);
            }
        }
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        ChannelLog log = channels.get(channel);
        if (log != null) {
            synchronized (log) {
                if (!log.removed && log.nodeSubscriptions > 0) {
                    log.nodeSubscriptions--;
                    log.touched = clock.millis();
                }
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Drops channels that nobody on this node subscribes to, whose history has aged out and that saw no
     * activity for their history age. Returns how many were dropped. Called periodically by the owner.
     */
    public int sweep() {
        long now = clock.millis();
        int dropped = 0;
        for (Iterator<ChannelLog> it = channels.values().iterator(); it.hasNext(); ) {
            ChannelLog log = it.next();
            synchronized (log) {
                log.trim(now);
                if (log.nodeSubscriptions == 0 && log.ring.isEmpty()
                        && now - log.touched >= log.policy.maxAge().toMillis()) {
                    log.removed = true;
                    it.remove();
                    dropped++;
                }
            }
        }
        return dropped;
    }

    /** Channels currently held (for tests and metrics). */
    public int channelCount() {
        return channels.size();
    }

    @Override
    public boolean healthy() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
    }

    private ChannelLog log(String channel) {
        ChannelLog log = channels.get(channel);
        if (log != null) return log;
        return channels.computeIfAbsent(channel, c -> new ChannelLog(policies.apply(c), clock.millis()));
    }

    /** One channel's epoch, offset and history ring. Guarded by its own monitor. */
    private static final class ChannelLog {
        final HistoryPolicy policy;
        final String epoch = Epochs.next();
        final ArrayDeque<Message> ring = new ArrayDeque<>();
        long offset;
        int nodeSubscriptions;
        long touched;
        boolean removed;

        ChannelLog(HistoryPolicy policy, long now) {
            this.policy = policy;
            this.touched = now;
        }

        void append(Message message, long now) {
            touched = now;
            if (policy.size() == 0) return;
            ring.addLast(message);
            while (ring.size() > policy.size()) ring.removeFirst();
            trim(now);
        }

        void trim(long now) {
            long oldest = now - policy.maxAge().toMillis();
            while (!ring.isEmpty() && ring.peekFirst().timestamp() < oldest) ring.removeFirst();
        }

        History read(Position since, int limit, long now) {
            trim(now);
            Position latest = new Position(epoch, offset);
            if (since == null) {
                int skip = Math.max(0, ring.size() - limit);
                List<Message> out = new ArrayList<>(ring.size() - skip);
                Iterator<Message> it = ring.iterator();
                for (int i = 0; it.hasNext(); i++) {
                    Message m = it.next();
                    if (i >= skip) out.add(m);
                }
                return new History(out, latest, false);
            }
            if (!since.epoch().equals(epoch) || since.offset() > offset) {
                return new History(List.of(), latest, true);
            }
            // The first message after `since` must still be retained (or not yet exist).
            long firstRetained = ring.isEmpty() ? offset + 1 : ring.peekFirst().offset();
            if (since.offset() + 1 < firstRetained) {
                return new History(List.of(), latest, true);
            }
            List<Message> out = new ArrayList<>(Math.min(limit, (int) Math.min(Integer.MAX_VALUE, offset - since.offset())));
            for (Message m : ring) {
                if (out.size() >= limit) break;
                if (m.offset() > since.offset()) out.add(m);
            }
            return new History(out, latest, false);
        }
    }
}
