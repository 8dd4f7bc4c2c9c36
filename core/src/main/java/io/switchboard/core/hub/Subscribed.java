package io.switchboard.core.hub;

import io.switchboard.core.message.Position;

/**
 * The outcome of subscribing to one channel.
 *
 * @param position  the position delivery continues after
 * @param recovered null when subscribed from now; true when everything after {@code since} follows;
 *                  false when not all of it can be served: a gap follows, right away when none of it
 *                  can, or after the part of the replay that is still there
 */
public record Subscribed(String channel, Position position, Boolean recovered) {}
