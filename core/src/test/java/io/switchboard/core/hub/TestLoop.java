package io.switchboard.core.hub;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link DeliveryLoop} on one thread of a single-thread executor, counting the tasks handed to it so
 * tests can check the Hub's fan-out (one task per loop per message).
 */
final class TestLoop implements DeliveryLoop, AutoCloseable {
    private final ExecutorService executor;
    private final AtomicInteger executes = new AtomicInteger();
    private volatile Thread thread;

    TestLoop(String name) {
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        // Start the thread now, so inLoop() has a thread to compare with.
        drain();
    }

    @Override
    public void execute(Runnable task) {
        executes.incrementAndGet();
        executor.execute(task);
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Tasks handed to {@link #execute} so far. */
    int executes() {
        return executes.get();
    }

    void resetExecutes() {
        executes.set(0);
    }

    /** Waits until every task queued so far has run (not counted as an execute). */
    void drain() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> done.complete(null));
        try {
            done.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("loop did not drain", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
