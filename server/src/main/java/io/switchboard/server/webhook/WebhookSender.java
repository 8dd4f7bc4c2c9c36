package io.switchboard.server.webhook;

import io.switchboard.core.event.ServerEvent;
import io.switchboard.core.time.Clock;
import io.switchboard.server.metrics.Metrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts this node's {@link ServerEvent}s to the configured webhook URLs: batched, signed, retried, bounded.
 *
 * <p>Threads: {@link #emit} runs on event loops and only offers to a bounded queue (full: the event is
 * dropped and counted). The <em>batcher</em> thread takes events from it and cuts a batch when
 * {@code batchSize} wait or {@code batchDelay} after the batch's first event; it encodes and signs each
 * batch once. The <em>delivery</em> thread owns every {@link WebhookTarget} (one per URL) and the JDK HTTP
 * client's completions. Each receiver gets every batch in order.
 *
 * <p>Bounds: the queue holds at most {@code queueSize} events (when full, {@code emit} drops the newest:
 * a burst faster than batching). A receiver's backlog is trimmed, oldest batches first, so that it and the
 * events still waiting to be batched stay within {@code queueSize} (see {@link WebhookTarget#enqueue});
 * at most a batch or two are in hand between the two. Every drop is counted, per receiver.
 *
 * <p>JDK 17's HTTP client cannot be closed: its selector thread ends once the sender is unreachable.
 */
public final class WebhookSender implements Webhooks {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    /** How long {@link #close} keeps sending what is queued. */
    static final long CLOSE_GRACE_MILLIS = 1000;
    private volatile long closeGraceMillis = CLOSE_GRACE_MILLIS;

    private final WebhookConfig config;
    private final Clock clock;
    private final WebhookMeters meters;
    private final BlockingQueue<ServerEvent> incoming;
    // Taken from incoming by the batcher and not yet in the targets' backlogs: counted against the bound.
    private final AtomicInteger inTransit = new AtomicInteger();
    private final List<WebhookTarget> targets = new ArrayList<>();
    private final ScheduledExecutorService delivery;
    private final Thread batcher;
    private final WebhookBody signer; // used by the batcher thread only: a Mac is not thread-safe
    private final Object emptied = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();

    private WebhookSender(WebhookConfig config, Metrics metrics, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.incoming = new LinkedBlockingQueue<>(config.queueSize());
        this.meters = new WebhookMeters(metrics, this::queued);
        this.delivery = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "switchboard-webhooks"));
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance with receivers that mishandle it
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        for (URI url : config.urls()) {
            targets.add(new WebhookTarget(url, config, client, delivery, meters, this::backlogEmptied));
        }
        this.signer = new WebhookBody(config.secret());
        this.batcher = daemon(this::batchLoop, "switchboard-webhooks-batcher");
    }

    /**
     * Starts sending to {@code config}'s URLs, or returns {@link Webhooks#NONE} when there are none.
     *
     * @param clock stamps each batch's {@code time_ms}
     * @throws IllegalArgumentException when there are URLs but no secret to sign with
     */
    public static Webhooks start(WebhookConfig config, Metrics metrics, Clock clock) {
        return start(config, metrics, clock, CLOSE_GRACE_MILLIS);
    }

    /** As {@link #start(WebhookConfig, Metrics, Clock)} with another close grace (tests on a busy machine). */
    static Webhooks start(WebhookConfig config, Metrics metrics, Clock clock, long closeGraceMillis) {
        if (!config.enabled()) return Webhooks.NONE;
        if (config.secret().isEmpty()) {
            throw new IllegalArgumentException("webhooks need a secret: receivers check each POST's signature with it");
        }
        WebhookSender sender = new WebhookSender(config, metrics, clock);
        sender.closeGraceMillis = closeGraceMillis;
        sender.batcher.start();
        log.info("webhooks go to {} receiver(s)", config.urls().size());
        return sender;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true); // a forgotten close must not keep the JVM alive
        return t;
    }

    /** Never blocks: a full queue, or a closed sender, drops the event and counts it. */
    @Override
    public void emit(ServerEvent event) {
        if (event.type() == ServerEvent.Type.CLIENT_PUBLISH && !config.includeClientPublishes()) return;
        if (closed.get() || !incoming.offer(event)) meters.dropped(targets.size()); // counted per receiver, like trims
    }

    /** Events waiting for the receiver that is furthest behind (the {@code queued} gauge). */
    int queued() {
        int backlog = 0;
        for (WebhookTarget t : targets) backlog = Math.max(backlog, t.backlogEvents());
        return incoming.size() + inTransit.get() + backlog;
    }

    /** Events emitted and not yet in the receivers' backlogs (for tests). */
    int waitingToBeBatched() {
        return incoming.size() + inTransit.get();
    }

    private void batchLoop() {
        try {
            batchUntilClosed();
        } finally {
            backlogEmptied(); // close() waits for this thread's end too
        }
    }

    private void batchUntilClosed() {
        List<ServerEvent> events = new ArrayList<>(config.batchSize());
        boolean stopping = false; // close() interrupted us: send what is left at once, then end
        while (true) {
            if (!stopping) {
                try {
                    fill(events);
                } catch (InterruptedException e) { // what was taken stays in events and is sent below
                    stopping = true;
                }
            }
            if (stopping) taken(incoming.drainTo(events, config.batchSize() - events.size()));
            if (events.isEmpty()) {
                if (stopping) return;
                continue;
            }
            try {
                if (!ship(events)) return;
            } catch (InterruptedException e) {
                if (stopping) return; // close() gave up on the delivery thread
                stopping = true;
            }
            events = new ArrayList<>(config.batchSize());
        }
    }

    /** Waits for a first event, then up to {@code batchDelay} for the batch to fill. */
    private void fill(List<ServerEvent> events) throws InterruptedException {
        if (events.isEmpty()) {
            events.add(incoming.take());
            taken(1);
        }
        long deadline = System.nanoTime() + config.batchDelay().toNanos();
        while (events.size() < config.batchSize()) {
            taken(incoming.drainTo(events, config.batchSize() - events.size()));
            long left = deadline - System.nanoTime();
            if (events.size() >= config.batchSize() || left <= 0) return;
            ServerEvent e = incoming.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) return;
            events.add(e);
            taken(1);
        }
    }

    private void taken(int n) {
        inTransit.addAndGet(n);
    }

    /**
     * Encodes, signs and hands one batch to every target; false when the delivery thread is gone. When the
     * delivery thread is behind (more than one batch in transit) it waits for it, so that what is in transit
     * stays bounded: meanwhile the queue fills and {@link #emit} drops.
     */
    private boolean ship(List<ServerEvent> events) throws InterruptedException {
        byte[] body = WebhookBody.encode(clock.millis(), events);
        WebhookBatch batch = new WebhookBatch(UUID.randomUUID().toString(), body, signer.sign(body), events.size());
        Future<?> handed;
        try {
            handed = delivery.submit(() -> {
                // What waits to be batched counts against each receiver's bound too.
                int limit = Math.max(batch.events(),
                        config.queueSize() - incoming.size() - (inTransit.get() - batch.events()));
                for (WebhookTarget t : targets) t.enqueue(batch, limit);
                // Only now: close() must never see the batch in neither place, or it stops before sending it.
                inTransit.addAndGet(-batch.events());
            });
        } catch (RejectedExecutionException stopped) {
            inTransit.addAndGet(-batch.events());
            meters.dropped(batch.events() * targets.size());
            return false;
        }
        if (inTransit.get() > config.batchSize()) {
            try {
                handed.get();
            } catch (ExecutionException e) {
                log.error("webhook batch hand-off failed", e.getCause()); // a bug: the batch's events are lost
            }
        }
        return true;
    }

    private void backlogEmptied() {
        synchronized (emptied) {
            emptied.notifyAll();
        }
    }

    private boolean allSent() {
        if (batcher.isAlive() || !incoming.isEmpty() || inTransit.get() > 0) return false;
        for (WebhookTarget t : targets) if (t.backlogEvents() > 0) return false;
        return true;
    }

    /**
     * Stops taking events, sends what is queued for up to {@value #CLOSE_GRACE_MILLIS} ms, then stops both
     * threads. Events still unsent then are counted as dropped. Idempotent; returns within about the grace
     * (a POST under way then is abandoned, not waited for).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(closeGraceMillis);
        batcher.interrupt(); // cuts the batch being filled now instead of after batchDelay
        try {
            synchronized (emptied) {
                long left;
                while (!allSent() && (left = deadline - System.nanoTime()) > 0) {
                    // Woken when a backlog empties or the batcher ends.
                    emptied.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
            delivery.shutdownNow();
            batcher.interrupt(); // in case it waits for a hand-off the delivery thread will never run
            batcher.join(closeGraceMillis);
            delivery.awaitTermination(closeGraceMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            delivery.shutdownNow();
            Thread.currentThread().interrupt();
        }
        // Both threads have ended: what is left is read safely. A backlog includes a POST that was under way.
        int unsent = (incoming.size() + inTransit.get()) * targets.size();
        for (WebhookTarget t : targets) unsent += t.backlogEvents();
        if (unsent > 0) {
            meters.dropped(unsent);
            log.warn("webhooks stopped with {} events unsent", unsent);
        }
    }
}
