package io.switchboard.core.hub;

import io.switchboard.core.broker.Broker;
import io.switchboard.core.broker.BrokerListener;
import io.switchboard.core.broker.History;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.message.Publication;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real {@link Broker} seen the way a network broker (Redis) behaves: history reads run later on a
 * "commands" connection thread; node subscriptions and listener calls on a separate "pubsub" one; and a
 * history answer travels back behind the pubsub messages already on their way. So live messages
 * newer than a history read can reach the subscriber's loop before the read's answer does, and the Hub's
 * recovery buffer really gets used (with a MemoryBroker the answer always comes first).
 */
final class AsyncBroker implements Broker {
    private final Broker delegate;
    private final ExecutorService commands = thread("async-broker-commands");
    private final ExecutorService pubsub = thread("async-broker-pubsub");

    AsyncBroker(Broker delegate) {
        this.delegate = delegate;
    }

    @Override
    public void start(BrokerListener listener) {
        delegate.start(message -> pubsub.execute(() -> listener.onMessage(message)));
    }

    @Override
    public CompletionStage<Message> publish(Publication publication) {
        return delegate.publish(publication);
    }

    @Override
    public CompletionStage<History> history(String channel, Position since, int limit) {
        return CompletableFuture.supplyAsync(
                () -> delegate.history(channel, since, limit).toCompletableFuture().join(), commands)
                .thenApplyAsync(h -> h, pubsub);
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        return CompletableFuture.supplyAsync(() -> delegate.subscribe(channel).toCompletableFuture().join(), pubsub);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        return CompletableFuture.supplyAsync(() -> delegate.unsubscribe(channel).toCompletableFuture().join(), pubsub);
    }

    @Override
    public boolean healthy() {
        return delegate.healthy();
    }

    @Override
    public void close() {
        commands.shutdownNow();
        pubsub.shutdownNow();
        delegate.close();
    }

    private static ExecutorService thread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
