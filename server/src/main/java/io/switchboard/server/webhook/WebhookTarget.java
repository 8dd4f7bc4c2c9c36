package io.switchboard.server.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One receiver URL: its backlog of batches, POSTed one at a time in order; a failed attempt is retried
 * (same batch, same delivery id) after an exponential backoff with full jitter, and later batches wait
 * behind it. Each receiver has its own target, so a failing one holds back nobody else.
 *
 * <p>Confined to the sender's delivery thread: every method runs on it, and HTTP completions are handed
 * back to it. Only {@link #backlogEvents} is read elsewhere (the gauge, {@code close}).
 */
final class WebhookTarget {
    private static final Logger log = LoggerFactory.getLogger(WebhookTarget.class);

    private final URI url;
    private final String name; // redacted: the query may hold a credential, and this goes to logs
    private final WebhookConfig config;
    private final HttpClient client;
    private final ScheduledExecutorService delivery;
    private final WebhookMeters meters;
    private final Runnable onEmpty;

    private final ArrayDeque<WebhookBatch> backlog = new ArrayDeque<>();
    private volatile int backlogEvents;
    private WebhookBatch current; // the batch whose attempts are counted
    private int attempts;
    private boolean inFlight;      // a POST of the head is under way: the head may not be dropped
    private boolean retryPending;  // a retry of the head is scheduled
    private int failuresInARow;    // for one warning per outage and one line when it ends
    private boolean dropping;

    WebhookTarget(URI url, WebhookConfig config, HttpClient client, ScheduledExecutorService delivery,
                  WebhookMeters meters, Runnable onEmpty) {
        this.url = url;
        this.name = WebhookConfig.redact(url.toString());
        this.config = config;
        this.client = client;
        this.delivery = delivery;
        this.meters = meters;
        this.onEmpty = onEmpty;
    }

    /** Events waiting for this receiver, including the batch being sent. */
    int backlogEvents() {
        return backlogEvents;
    }

    /**
     * Appends {@code batch}, then drops the oldest waiting batches while the backlog holds more than
     * {@code limit} events (never the one being POSTed right now), and starts sending if idle.
     */
    void enqueue(WebhookBatch batch, int limit) {
        backlog.addLast(batch);
        backlogEvents += batch.events();
        trim(limit);
        if (!inFlight && !retryPending) sendHead();
    }

    private void trim(int limit) {
        if (backlogEvents <= limit) return;
        Iterator<WebhookBatch> it = backlog.iterator();
        if (inFlight) it.next();
        int dropped = 0;
        while (backlogEvents > limit && it.hasNext()) {
            WebhookBatch b = it.next();
            it.remove();
            backlogEvents -= b.events();
            dropped += b.events();
        }
        if (dropped == 0) return;
        meters.dropped(dropped);
        if (!dropping) {
            dropping = true;
            log.warn("webhook receiver {} is behind: more than {} events wait for it, dropping the oldest", name, limit);
        }
    }

    private void sendHead() {
        retryPending = false;
        WebhookBatch head = backlog.peekFirst();
        if (head == null) {
            current = null;
            onEmpty.run();
            return;
        }
        if (head != current) { // a new batch, or the one being retried was dropped
            current = head;
            attempts = 0;
        }
        attempts++;
        inFlight = true;
        try {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Switchboard-Webhooks")
                    .header("X-Switchboard-Signature", head.signature())
                    .header("X-Switchboard-Delivery", head.id())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(head.body()))
                    .build();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenCompleteAsync((response, error) -> done(head, response, error), delivery);
        } catch (RuntimeException e) { // the client refused the request itself: fail this attempt like any other
            done(head, null, e);
        }
    }

    private void done(WebhookBatch batch, HttpResponse<Void> response, Throwable error) {
        inFlight = false;
        if (error == null && response.statusCode() / 100 == 2) {
            backlog.removeFirst(); // the head: only a batch not in flight is ever dropped
            backlogEvents -= batch.events();
            meters.delivered(batch.events());
            if (failuresInARow > 0) {
                log.info("webhook receiver {} takes batches again after {} failed attempts", name, failuresInARow);
            }
            failuresInARow = 0;
            dropping = false;
            sendHead();
            return;
        }
        meters.failed();
        if (failuresInARow++ == 0) {
            log.warn("webhook POST to {} failed ({}); retrying with backoff, later batches wait behind it",
                    name, error == null ? "status " + response.statusCode() : describe(error));
        }
        retryPending = true;
        delivery.schedule(this::sendHead, backoffMillis(attempts), TimeUnit.MILLISECONDS);
    }

    /** Full jitter: uniformly random below {@code min(retryMax, retryBase * 2^(attempt-1))}. */
    private long backoffMillis(int attempt) {
        long base = config.retryBase().toMillis();
        long max = config.retryMax().toMillis();
        long limit = Math.min(max, base << Math.min(attempt - 1, 20)); // 2^20 times any sane base passes any sane max
        return ThreadLocalRandom.current().nextLong(limit + 1);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        // The class name alone: messages of connection errors may repeat the URL, query included.
        return root.getClass().getSimpleName();
    }
}
