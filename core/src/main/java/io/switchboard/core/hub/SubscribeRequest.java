package io.switchboard.core.hub;

import io.switchboard.core.message.Position;

/** One channel to subscribe to, from {@code since} (replay what came after it) or from now (null). */
public record SubscribeRequest(String channel, Position since) {}
