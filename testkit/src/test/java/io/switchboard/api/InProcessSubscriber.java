package io.switchboard.api;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.DeliveryLoop;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.hub.SubscribeCallback;
import io.switchboard.core.hub.SubscribeRequest;
import io.switchboard.core.hub.Subscribed;
import io.switchboard.core.hub.Subscriber;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber living inside the test, on its own single-thread {@link DeliveryLoop}: gives channels
 * subscribers (for {@code /api/channels}) and records what the Hub delivers, without any door.
 */
final class InProcessSubscriber implements Subscriber, AutoCloseable {
    private volatile Thread thread;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "in-process-subscriber");
        t.setDaemon(true);
        thread = t;
        return t;
    });
    private final DeliveryLoop loop = new DeliveryLoop() {
        @Override
        public void execute(Runnable task) {
            executor.execute(task);
        }

        @Override
        public boolean inLoop() {
            return Thread.currentThread() == thread;
        }
    };
    private final Hub hub;
    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();

    private InProcessSubscriber(Hub hub) {
        this.hub = hub;
    }

    /** Subscribes from now to {@code channels} and returns once the Hub confirmed it. */
    static InProcessSubscriber subscribe(Hub hub, String... channels) throws Exception {
        InProcessSubscriber s = new InProcessSubscriber(hub);
        CompletableFuture<List<Subscribed>> done = new CompletableFuture<>();
        List<SubscribeRequest> requests = java.util.Arrays.stream(channels).map(c -> new SubscribeRequest(c, null)).toList();
        hub.subscribe(s, requests, new SubscribeCallback() {
            @Override
            public void onSubscribed(List<Subscribed> results) {
                done.complete(results);
            }

            @Override
            public void onFailed(SwitchboardException error) {
                done.completeExceptionally(error);
            }
        });
        done.get(5, TimeUnit.SECONDS);
        return s;
    }

    void unsubscribe(String channel) {
        hub.unsubscribe(this, channel);
    }

    /** The next delivered message; fails the test after 5 s. */
    Message next() throws InterruptedException {
        Message m = messages.poll(5, TimeUnit.SECONDS);
        if (m == null) throw new AssertionError("no message within 5 s");
        return m;
    }

    @Override
    public DeliveryLoop loop() {
        return loop;
    }

    @Override
    public void onMessage(Message message) {
        messages.add(message);
    }

    @Override
    public void onGap(String channel, Position position) {
        throw new AssertionError("unexpected gap on " + channel + " at " + position);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
