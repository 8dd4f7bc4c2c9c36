package io.switchboard.redis;

import io.switchboard.core.broker.Broker;
import io.switchboard.core.broker.BrokerListener;
import io.switchboard.core.broker.Epochs;
import io.switchboard.core.broker.History;
import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.message.Publication;
import io.switchboard.core.time.Clock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Broker} of many nodes: channels live in Redis, shared by every node on it.
 *
 * <p>A publish is one Lua script on the channel's keys ({@code publish.lua}): next offset, append to the
 * history list trimmed by size and age, {@code SPUBLISH} — so position, history and fan-out are one atomic
 * step, as the contract asks. The epoch is kept in the channel's meta hash and made afresh when that hash
 * is gone (Redis restarted empty, evicted or expired it). Every key of a channel is hash-tagged with it, so
 * this runs on Redis Cluster too. History ages by the timestamps of the publishing nodes' clocks.
 *
 * <p>While Redis is unreachable, {@link #healthy} is false and publishes and reads fail at once with a 503
 * {@code unavailable}; Lettuce reconnects with backoff and {@link NodeSubscriptions} resubscribes and catches up.
 */
public final class RedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    private static final Script PUBLISH = new Script("channel.lua", "publish.lua");
    private static final Script HISTORY = new Script("channel.lua", "history.lua");

    private final RedisOptions options;
    private final Clock clock;
    private final Function<String, HistoryPolicy> policies;
    private final Keys keys;
    private final RedisConnections redis;
    private volatile NodeSubscriptions subscriptions;
    private volatile boolean closed;

    /** Connects to Redis; throws {@link io.lettuce.core.RedisConnectionException} when it is not there. */
    public RedisBroker(RedisOptions options, Clock clock, Function<String, HistoryPolicy> policies) {
        this.options = options;
        this.clock = clock;
        this.policies = policies;
        this.keys = new Keys(options.prefix());
        this.redis = new RedisConnections(options);
    }

    @Override
    public void start(BrokerListener listener) {
        if (subscriptions != null) throw new IllegalStateException("already started");
        subscriptions = new NodeSubscriptions(redis.pubsub, keys,
                (channel, since) -> history(channel, since, Integer.MAX_VALUE).toCompletableFuture(), listener);
    }

    @Override
    public CompletionStage<Message> publish(Publication p) {
        if (closed) return CompletableFuture.failedFuture(new IllegalStateException("broker closed"));
        HistoryPolicy policy = policies.apply(p.channel());
        long now = clock.millis();
        byte[][] k = {keys.meta(p.channel()), keys.history(p.channel()), keys.pubsub(p.channel())};
        return PUBLISH.run(redis.commands.async(), k, Entries.body(p), num(now), num(policy.size()),
                        num(policy.maxAge().toMillis()), ascii(Epochs.next()), num(metaTtl(policy)))
                .thenApply(r -> Message.of(p, text(r.get(0)), (Long) r.get(1), now))
                .exceptionallyCompose(this::unreachable);
    }

    @Override
    public CompletionStage<History> history(String channel, Position since, int limit) {
        if (limit < 0) throw new IllegalArgumentException("limit must be >= 0");
        if (closed) return CompletableFuture.failedFuture(new IllegalStateException("broker closed"));
        HistoryPolicy policy = policies.apply(channel);
        byte[][] k = {keys.meta(channel), keys.history(channel)};
        return HISTORY.run(redis.commands.async(), k, ascii(since == null ? "" : since.epoch()),
                        num(since == null ? 0 : since.offset()), num(limit), num(clock.millis()),
                        num(policy.maxAge().toMillis()), ascii(Epochs.next()), num(metaTtl(policy)))
                .thenApply(r -> {
                    String epoch = text(r.get(0));
                    List<Message> messages = new ArrayList<>(r.size() - 3);
                    for (int i = 3; i < r.size(); i++) messages.add(Entries.fromHistory(channel, epoch, (byte[]) r.get(i)));
                    return new History(messages, new Position(epoch, (Long) r.get(1)), (Long) r.get(2) == 1L);
                })
                .exceptionallyCompose(this::unreachable);
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        return subscriptions.subscribe(channel).exceptionallyCompose(this::unreachable);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        return subscriptions.unsubscribe(channel).exceptionallyCompose(this::unreachable);
    }

    /** True while both connections to Redis are up. */
    @Override
    public boolean healthy() {
        return !closed && redis.open();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        NodeSubscriptions s = subscriptions;
        if (s != null) s.close();
        redis.close();
    }

    /** The epoch must outlive the history it numbers. */
    private long metaTtl(HistoryPolicy policy) {
        return Math.max(options.metaTtl().toMillis(), policy.maxAge().toMillis() + 1000);
    }

    private <T> CompletionStage<T> unreachable(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof SwitchboardException || closed) return CompletableFuture.failedFuture(c);
        log.debug("Redis call failed: {}", c.toString());
        return CompletableFuture.failedFuture(SwitchboardException.unavailable(
                redis.where + " is not reachable (" + c.getClass().getSimpleName() + "); try again"));
    }

    private static byte[] num(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(Object bulk) {
        return new String((byte[]) bulk, StandardCharsets.UTF_8);
    }
}
