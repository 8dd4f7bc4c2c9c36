package io.switchboard.core.broker;

import io.switchboard.core.message.Message;

/** Receives the messages of the channels this node subscribed to, from the {@link Broker}. */
@FunctionalInterface
public interface BrokerListener {
    /**
     * Called once per message per node, in offset order per channel, from a Broker thread.
     * Must not block: hand the message on and return.
     */
    void onMessage(Message message);
}
