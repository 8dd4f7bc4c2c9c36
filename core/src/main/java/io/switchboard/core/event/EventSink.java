package io.switchboard.core.event;

/**
 * Where this node's {@link ServerEvent}s go (webhooks). {@link #emit} is called on event loops and
 * must never block: implementations queue, bounded, and count what they drop.
 */
public interface EventSink {
    void emit(ServerEvent event);

    /** Drops everything: the sink of a server with no webhooks. */
    EventSink NONE = event -> { };
}
