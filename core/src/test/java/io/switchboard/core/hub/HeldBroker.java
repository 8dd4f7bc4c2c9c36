package io.switchboard.core.hub;

import io.switchboard.core.broker.Broker;
import io.switchboard.core.broker.BrokerListener;
import io.switchboard.core.broker.History;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.message.Publication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A real {@link Broker} whose history answers and node subscriptions can be held back until
 * {@link #release()}, like a slow network broker, so a test can publish while a subscribe is still
 * recovering. A held history read happens either at once (its answer travels slowly) or on release (the
 * request travels slowly); a held node subscription takes effect only on release.
 */
final class HeldBroker implements Broker {
    private final Broker delegate;
    private final List<Runnable> held = new ArrayList<>();
    private boolean holdingHistory;
    private boolean readLate;
    private boolean holdingSubscribes;

    HeldBroker(Broker delegate) {
        this.delegate = delegate;
    }

    /** Holds history answers from now on; with {@code readLate} the reads themselves wait for release. */
    synchronized void holdHistory(boolean readLate) {
        this.holdingHistory = true;
        this.readLate = readLate;
    }

    /** Holds node subscriptions from now on: they take effect on release. */
    synchronized void holdSubscribes() {
        this.holdingSubscribes = true;
    }

    /** Calls waiting for {@link #release()}. */
    synchronized int held() {
        return held.size();
    }

    /** Stops holding and runs every held call, in order, on the calling thread. */
    void release() {
        List<Runnable> out;
        synchronized (this) {
            holdingHistory = false;
            holdingSubscribes = false;
            out = new ArrayList<>(held);
            held.clear();
        }
        out.forEach(Runnable::run);
    }

    @Override
    public CompletionStage<History> history(String channel, Position since, int limit) {
        synchronized (this) {
            if (holdingHistory) {
                CompletableFuture<History> later = new CompletableFuture<>();
                CompletionStage<History> early = readLate ? null : delegate.history(channel, since, limit);
                held.add(() -> pass(early != null ? early : delegate.history(channel, since, limit), later));
                return later;
            }
        }
        return delegate.history(channel, since, limit);
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        synchronized (this) {
            if (holdingSubscribes) {
                CompletableFuture<Void> later = new CompletableFuture<>();
                held.add(() -> pass(delegate.subscribe(channel), later));
                return later;
            }
        }
        return delegate.subscribe(channel);
    }

    private static <T> void pass(CompletionStage<T> from, CompletableFuture<T> to) {
        from.whenComplete((v, e) -> {
            if (e != null) to.completeExceptionally(e);
            else to.complete(v);
        });
    }

    @Override
    public void start(BrokerListener listener) {
        delegate.start(listener);
    }

    @Override
    public CompletionStage<Message> publish(Publication publication) {
        return delegate.publish(publication);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        return delegate.unsubscribe(channel);
    }

    @Override
    public boolean healthy() {
        return delegate.healthy();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
