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
 * A real {@link Broker} whose history answers can be held back until {@link #release()}, like a slow
 * network broker, so a test can publish while a subscribe is recovering. The held read itself happens
 * either at once (its answer travels slowly) or on release (the request travels slowly).
 */
final class HeldHistoryBroker implements Broker {
    private final Broker delegate;
    private final List<Runnable> held = new ArrayList<>();
    private boolean holding;
    private boolean readLate;

    HeldHistoryBroker(Broker delegate) {
        this.delegate = delegate;
    }

    /** Holds history answers from now on; with {@code readLate} the reads themselves wait for release. */
    synchronized void hold(boolean readLate) {
        this.holding = true;
        this.readLate = readLate;
    }

    /** History reads waiting for {@link #release()}. */
    synchronized int heldReads() {
        return held.size();
    }

    /** Stops holding and hands over every held answer, on the calling thread. */
    void release() {
        List<Runnable> out;
        synchronized (this) {
            holding = false;
            out = new ArrayList<>(held);
            held.clear();
        }
        out.forEach(Runnable::run);
    }

    @Override
    public CompletionStage<History> history(String channel, Position since, int limit) {
        synchronized (this) {
            if (holding) {
                CompletableFuture<History> later = new CompletableFuture<>();
                CompletionStage<History> early = readLate ? null : delegate.history(channel, since, limit);
                held.add(() -> {
                    CompletionStage<History> read = early != null ? early : delegate.history(channel, since, limit);
                    read.whenComplete((h, e) -> {
                        if (e != null) later.completeExceptionally(e);
                        else later.complete(h);
                    });
                });
                return later;
            }
        }
        return delegate.history(channel, since, limit);
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
    public CompletionStage<Void> subscribe(String channel) {
        return delegate.subscribe(channel);
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
