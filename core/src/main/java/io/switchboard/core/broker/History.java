package io.switchboard.core.broker;

import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import java.util.List;

/**
 * The answer to a history read.
 *
 * @param messages oldest first; empty when {@code gap} is true
 * @param latest   the channel's newest position at the time of the read
 * @param gap      true when the asked position could not be served (another epoch, older than the
 *                 retained history, or ahead of the channel): the reader continues from {@code latest}
 */
public record History(List<Message> messages, Position latest, boolean gap) {
    public History {
        messages = List.copyOf(messages);
    }

    /** Where a reader stands after taking these messages: the last one's position, else latest. */
    public Position cursor() {
        return messages.isEmpty() ? latest : messages.get(messages.size() - 1).position();
    }
}
