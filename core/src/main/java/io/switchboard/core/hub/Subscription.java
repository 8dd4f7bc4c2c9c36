package io.switchboard.core.hub;

import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import java.util.ArrayList;
import java.util.List;

/**
 * One subscriber's hold on one channel. Confined to the subscriber's loop.
 *
 * <p>Starts recovering: live messages that arrive while the replay is read are buffered. When the
 * replay is delivered, the buffer is drained skipping what the replay already covered, and the
 * subscription goes live. {@link #accept} drops anything at or before the last delivered position,
 * so nothing is delivered twice across the switch, and turns any jump into an explicit gap.
 */
final class Subscription {
    final Subscriber subscriber;
    final LocalChannel channel;
    /** Index in the owning {@link LoopGroup}'s array, for O(1) removal. */
    int index = -1;
    private List<Message> buffer = new ArrayList<>();
    private boolean overflowed;
    private Message lastSeen;
    private Position last;
    boolean cancelled;
    /** This subscription made its user a member of the channel (to be undone when it ends). */
    boolean present;

    Subscription(Subscriber subscriber, LocalChannel channel) {
        this.subscriber = subscriber;
        this.channel = channel;
    }

    boolean live() {
        return buffer == null;
    }

    /** A live message from the broker, on the loop. */
    void offer(Message message, int bufferLimit) {
        if (cancelled) return;
        if (buffer == null) {
            accept(message);
        } else if (!overflowed) {
            if (buffer.size() < bufferLimit) {
                buffer.add(message);
            } else {
                overflowed = true;
                buffer.clear();
            }
        }
        lastSeen = message;
    }

    /**
     * A pass's run of live messages, {@code run[0..n)}, in one call when the subscription is live and the
     * run follows on from the last message delivered without a gap (the common case under load), and the
     * subscriber takes it whole ({@link Subscriber#onMessages}). False, with nothing done, when they must
     * go one by one through {@link #offer} (recovering, a gap, an epoch change, a subscriber that declines).
     */
    boolean offerRun(Message[] run, int n) {
        if (cancelled || buffer != null) return false;
        Message first = run[0];
        Message end = run[n - 1];
        String epoch = last.epoch();
        if (!first.epoch().equals(epoch) || first.offset() != last.offset() + 1
                || end.offset() != first.offset() + n - 1) {
            return false;
        }
        for (int j = 1; j < n; j++) {
            if (!run[j].epoch().equals(epoch)) return false;
        }
        if (!subscriber.onMessages(run, n)) return false;
        last = end.position();
        lastSeen = end;
        return true;
    }

    /**
     * True when live messages were dropped during recovery that a replay ending at {@code replayEnd}
     * does not cover, so {@link #goLive} will deliver a gap after the replay.
     */
    boolean losesBuffered(Position replayEnd) {
        return overflowed && lastSeen != null && !sameOrAfter(replayEnd, lastSeen.position());
    }

    /** Ends recovery: {@code start} is where delivery continues after; then replay, then the buffer. */
    void goLive(Position start, boolean gap, List<Message> replay) {
        last = start;
        if (gap && !cancelled) subscriber.onGap(channel.name, start);
        for (Message m : replay) accept(m);
        List<Message> buffered = buffer;
        buffer = null;
        if (overflowed && lastSeen != null) {
            // More arrived during recovery than we hold: say so rather than lose it silently.
            Position skipTo = lastSeen.position();
            if (!sameOrAfter(last, skipTo)) {
                last = skipTo;
                if (!cancelled) subscriber.onGap(channel.name, skipTo);
            }
            return;
        }
        for (Message m : buffered) accept(m);
    }

    private static boolean sameOrAfter(Position a, Position b) {
        return a.epoch().equals(b.epoch()) && a.offset() >= b.offset();
    }

    private void accept(Message m) {
        // Unsubscribed from inside an earlier callback of this replay or delivery: deliver nothing more.
        if (cancelled) return;
        if (m.epoch().equals(last.epoch())) {
            if (m.offset() <= last.offset()) return; // already delivered (replay/live overlap)
            if (m.offset() > last.offset() + 1) {
                subscriber.onGap(channel.name, new Position(m.epoch(), m.offset() - 1));
            }
        } else {
            subscriber.onGap(channel.name, new Position(m.epoch(), m.offset() - 1));
        }
        last = m.position();
        subscriber.onMessage(m);
    }
}
