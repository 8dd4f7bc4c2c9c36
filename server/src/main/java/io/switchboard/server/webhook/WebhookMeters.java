package io.switchboard.server.webhook;

import io.micrometer.core.instrument.Counter;
import io.switchboard.server.metrics.Metrics;
import java.util.function.Supplier;

/**
 * The webhook numbers in {@code /metrics}: batches and events delivered, failed attempts, events dropped
 * (queue full, backlog trimmed, or left over at stop) and events waiting.
 */
final class WebhookMeters {
    static final String BATCHES = "switchboard.webhooks.delivered.batches";
    static final String EVENTS = "switchboard.webhooks.delivered.events";
    static final String FAILED = "switchboard.webhooks.failed";
    static final String DROPPED = "switchboard.webhooks.dropped";
    static final String QUEUED = "switchboard.webhooks.queued";

    private final Counter batches;
    private final Counter events;
    private final Counter failed;
    private final Counter dropped;

    WebhookMeters(Metrics metrics, Supplier<Number> queued) {
        batches = metrics.counter(BATCHES, "webhook POSTs a receiver accepted (2xx), per receiver");
        events = metrics.counter(EVENTS, "events in webhook POSTs a receiver accepted, per receiver");
        failed = metrics.counter(FAILED, "webhook POST attempts that failed (non-2xx, timeout, connection error)");
        dropped = metrics.counter(DROPPED, "webhook events dropped: queue full, a receiver's backlog over the bound, or unsent at stop");
        metrics.gauge(QUEUED, "webhook events waiting for the receiver with the largest backlog", queued);
    }

    void delivered(int n) {
        batches.increment();
        events.increment(n);
    }

    void failed() {
        failed.increment();
    }

    void dropped(int n) {
        dropped.increment(n);
    }
}
