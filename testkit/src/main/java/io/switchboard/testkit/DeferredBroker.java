package io.switchboard.testkit;

import io.switchboard.core.broker.Broker;
import io.switchboard.core.broker.BrokerListener;
import io.switchboard.core.broker.History;
import io.switchboard.core.broker.MemoryBroker;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.message.Publication;
import io.switchboard.core.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A {@link Broker} that answers like a remote one: {@link MemoryBroker} underneath, but every publish and
 * history read completes later, on the broker's own thread, once the test opens the gate. Channels the
 * test marks as down fail the way a lost connection does.
 */
public final class DeferredBroker implements Broker {
    private final MemoryBroker memory = new MemoryBroker(Clock.system());
    private final ExecutorService replies = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "deferred-broker");
        t.setDaemon(true);
        return t;
    });
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private volatile Predicate<String> down = channel -> false;
    /** Publishes and history reads asked for so far. */
    public final AtomicInteger calls = new AtomicInteger();

    /** Holds every answer from now until {@link #release}. */
    public void hold() {
        gate = new CompletableFuture<>();
    }

    public void release() {
        gate.complete(null);
    }

    /** Publishes and history reads of matching channels fail from now on. */
    public void down(Predicate<String> channels) {
        down = channels;
    }

    private <T> CompletionStage<T> later(String channel, CompletionStage<T> answer) {
        CompletableFuture<T> out = new CompletableFuture<>();
        boolean fails = down.test(channel);
        gate.whenCompleteAsync((ok, e) -> {
            if (fails) {
                out.completeExceptionally(new IllegalStateException("connection to the broker lost"));
            } else {
                answer.whenComplete((v, error) -> {
                    if (error != null) out.completeExceptionally(error);
                    else out.complete(v);
                });
            }
        }, replies);
        return out;
    }

    @Override
    public void start(BrokerListener listener) {
        memory.start(listener);
    }

    @Override
    public CompletionStage<Message> publish(Publication publication) {
        calls.incrementAndGet();
        if (down.test(publication.channel())) return later(publication.channel(), null);
        return later(publication.channel(), memory.publish(publication));
    }

    @Override
    public CompletionStage<History> history(String channel, Position since, int limit) {
        calls.incrementAndGet();
        if (down.test(channel)) return later(channel, null);
        return later(channel, memory.history(channel, since, limit));
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        return memory.subscribe(channel);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        return memory.unsubscribe(channel);
    }

    @Override
    public boolean healthy() {
        return memory.healthy();
    }

    @Override
    public void close() {
        memory.close();
        replies.shutdownNow();
    }
}
