package io.switchboard.server.webhook;

import io.switchboard.core.event.EventSink;

/**
 * The node's webhooks as the server holds them: an {@link EventSink} for the Hub and the doors, closed when
 * the node stops. {@link WebhookSender#start} gives {@link #NONE} when no URL is configured.
 */
public interface Webhooks extends EventSink, AutoCloseable {
    /** Sends what is queued for a short grace, then stops; events emitted afterwards are dropped. */
    @Override
    void close();

    /** No webhooks: {@link EventSink#NONE}'s behaviour, nothing to close. */
    Webhooks NONE = new Webhooks() {
        @Override
        public void emit(io.switchboard.core.event.ServerEvent event) {
            EventSink.NONE.emit(event);
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return "Webhooks.NONE";
        }
    };
}
