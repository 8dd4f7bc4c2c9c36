package io.switchboard.core.message;

import java.util.Objects;

/**
 * A request to publish: what a publisher hands the Hub before the Broker gives it a position.
 *
 * @param channel a valid channel name
 * @param event   a valid event name
 * @param data    the message's data as UTF-8 JSON text, already validated as one JSON value
 * @param from    the publisher's identity, or null
 */
public record Publication(String channel, String event, byte[] data, String from) {
    public Publication {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
    }
}
