package io.switchboard.core.broker;

import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.message.Publication;
import java.util.concurrent.CompletionStage;

/**
 * Where messages get their position, are kept for history and are fanned out to every node.
 *
 * <p>Guarantees every implementation keeps (pinned by the Broker contract test):
 * <ul>
 *   <li><b>Positions.</b> Offsets in a channel grow by exactly one per message within an epoch, starting
 *       at 1; an empty channel is at {@code EPOCH:0}. The epoch changes only when the channel's history
 *       is lost or reset, so an old position can never be mistaken for a new one.</li>
 *   <li><b>Atomic publish.</b> Assigning the position, saving to history and handing the message to the
 *       nodes' listeners happen as one step per channel: a history read that does not contain a message
 *       happened before the listener of a subscribed node received it.</li>
 *   <li><b>Order.</b> A node's {@link BrokerListener} receives a channel's messages once each, in offset
 *       order, while the node is subscribed to the channel.</li>
 *   <li><b>Bounded history.</b> Each channel keeps at most its configured number of messages, none older
 *       than its configured age.</li>
 * </ul>
 *
 * <p>Node subscriptions are counted: the node receives a channel while its subscribes outnumber its
 * unsubscribes, so racing subscribe/unsubscribe pairs from different threads need no ordering.
 */
public interface Broker extends AutoCloseable {

    /** Sets where this node's messages go. Called once, before any subscribe. */
    void start(BrokerListener listener);

    /** Gives the publication its position, saves it to history and fans it out. Completes with the message. */
    CompletionStage<Message> publish(Publication publication);

    /**
     * Reads history. With {@code since} null: the newest {@code limit} messages, oldest first. With
     * {@code since}: the messages after it, oldest first, up to {@code limit}; or a gap when they are not
     * all retained. A {@code limit} of 0 reads only the channel's latest position.
     */
    CompletionStage<History> history(String channel, Position since, int limit);

    /** Starts delivering {@code channel}'s messages to this node's listener; completes once it is in effect. */
    CompletionStage<Void> subscribe(String channel);

    /** Undoes one {@link #subscribe}. */
    CompletionStage<Void> unsubscribe(String channel);

    /** True while the Broker can take publishes (for {@code /readyz}). */
    boolean healthy();

    @Override
    void close();
}
