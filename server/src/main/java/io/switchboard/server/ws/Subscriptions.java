package io.switchboard.server.ws;

import io.switchboard.server.protocol.Replies;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.hub.SubscribeCallback;
import io.switchboard.core.hub.SubscribeRequest;
import io.switchboard.core.hub.Subscribed;
import io.switchboard.core.message.Position;
import io.switchboard.server.codec.Items;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The channels of one WebSocket session and the state of each, confined to the session's event loop.
 *
 * <p>A subscribe is {@code PENDING} until the Hub's callback, then {@code ACTIVE}; only active channels
 * get messages written. An unsubscribe that arrives while the Hub is still setting a subscription up is
 * answered at once but carried out when the callback comes ({@code CANCELLED}): the Hub gives no callback
 * for a subscription cancelled mid-setup, so doing it early would leave nothing to tell us the channel
 * is free again.
 *
 * <p>Memory: most sessions hold one channel, kept in two fields; a map is made only for a second one.
 */
final class Subscriptions {
    private enum State { PENDING, ACTIVE, CANCELLED }

    private final WsSession session;
    /** The first channel and its state, kept without a map; null when that slot is free. */
    private String first;
    private State firstState;
    /** Any further channels; null until a session holds two at once. */
    private Map<String, State> more;

    Subscriptions(WsSession session) {
        this.session = session;
    }

    private State get(String channel) {
        if (channel.equals(first)) return firstState;
        return more == null ? null : more.get(channel);
    }

    private void put(String channel, State state) {
        if (channel.equals(first) || first == null && (more == null || !more.containsKey(channel))) {
            first = channel;
            firstState = state;
            return;
        }
        if (more == null) more = new HashMap<>();
        more.put(channel, state);
    }

    private State remove(String channel) {
        if (channel.equals(first)) {
            State s = firstState;
            first = null;
            firstState = null;
            return s;
        }
        return more == null ? null : more.remove(channel);
    }

    /** True when messages of {@code channel} are to be written. */
    boolean active(String channel) {
        return get(channel) == State.ACTIVE;
    }

    int size() {
        return (first == null ? 0 : 1) + (more == null ? 0 : more.size());
    }

    void subscribe(String channel, Position since, JsonNode ref) {
        State state = get(channel);
        if (state == State.CANCELLED) {
            throw SwitchboardException.badRequest("already_subscribed",
                    "the previous subscription to " + channel + " is still being set up; try again");
        }
        if (state != null) {
            throw SwitchboardException.badRequest("already_subscribed", "already subscribed to " + channel);
        }
        Hub hub = session.hub();
        int max = hub.config().maxSubscriptions();
        if (size() >= max) {
            throw SwitchboardException.badRequest("too_many_channels",
                    "a session may subscribe to at most " + max + " channels");
        }
        put(channel, State.PENDING);
        hub.subscribe(session, List.of(new SubscribeRequest(channel, since)), new SubscribeCallback() {
            @Override
            public void onSubscribed(List<Subscribed> results) {
                subscribed(results.get(0), ref);
            }

            @Override
            public void onFailed(SwitchboardException error) {
                State s = remove(channel);
                if (s == State.PENDING) session.sendError(error, ref);
            }
        });
    }

    private void subscribed(Subscribed result, JsonNode ref) {
        String channel = result.channel();
        State state = get(channel);
        if (state == State.PENDING) {
            put(channel, State.ACTIVE);
            // Sent before the Hub delivers the gap, replay and live messages that follow this callback.
            session.send(Replies.withRef(Items.subscribed(result, null), ref));
        } else {
            // Unsubscribed (or closed) while being set up: the client was already told; let go now.
            if (state == State.CANCELLED) remove(channel);
            session.hub().unsubscribe(session, channel);
        }
    }

    void unsubscribe(String channel, JsonNode ref) {
        State state = get(channel);
        if (state == null || state == State.CANCELLED) {
            throw SwitchboardException.badRequest("not_subscribed", "not subscribed to " + channel);
        }
        if (state == State.PENDING) {
            put(channel, State.CANCELLED);
        } else {
            remove(channel);
            session.hub().unsubscribe(session, channel);
        }
        session.send(Replies.unsubscribed(ref, channel));
    }

    /** Lets go of every channel: the session is closing. */
    void clear() {
        if (size() == 0) return;
        List<String> names = new ArrayList<>(size());
        if (first != null) names.add(first);
        if (more != null) names.addAll(more.keySet());
        first = null;
        firstState = null;
        more = null;
        Hub hub = session.hub();
        for (String channel : names) hub.unsubscribe(session, channel);
    }
}
