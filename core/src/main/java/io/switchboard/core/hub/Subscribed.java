package io.switchboard.core.hub;

import io.switchboard.core.message.Position;

/**
 * The outcome of subscribing to one channel.
 *
 * @param position  the position delivery continues after
 * @param recovered null when subscribed from now; true when everything after {@code since} follows;
 *                  false when it cannot be served (a gap is delivered right after)
 */
public record Subscribed(String channel, Position position, Boolean recovered) {}
