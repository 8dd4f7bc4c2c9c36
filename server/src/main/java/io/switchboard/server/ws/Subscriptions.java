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
 */
final class Subscriptions {
    private enum State { PENDING, ACTIVE, CANCELLED }

    private final Hub hub;
    private final WsSession session;
    private final Map<String, State> channels = new HashMap<>();

    Subscriptions(Hub hub, WsSession session) {
        this.hub = hub;
        this.session = session;
    }

    /** True when messages of {@code channel} are to be written. */
    boolean active(String channel) {
        return channels.get(channel) == State.ACTIVE;
    }

    int size() {
        return channels.size();
    }

    void subscribe(String channel, Position since, JsonNode ref) {
        State state = channels.get(channel);
        if (state == State.CANCELLED) {
            throw SwitchboardException.badRequest("already_subscribed",
                    "the previous subscription to " + channel + " is still being set up; try again");
        }
        if (state != null) {
            throw SwitchboardException.badRequest("already_subscribed", "already subscribed to " + channel);
        }
        int max = hub.config().maxSubscriptions();
        if (channels.size() >= max) {
            throw SwitchboardException.badRequest("too_many_channels",
                    "a session may subscribe to at most " + max + " channels");
        }
        channels.put(channel, State.PENDING);
        hub.subscribe(session, List.of(new SubscribeRequest(channel, since)), new SubscribeCallback() {
            @Override
            public void onSubscribed(List<Subscribed> results) {
                subscribed(results.get(0), ref);
            }

            @Override
            public void onFailed(SwitchboardException error) {
                State s = channels.remove(channel);
                if (s == State.PENDING) session.sendError(error, ref);
            }
        });
    }

    private void subscribed(Subscribed result, JsonNode ref) {
        String channel = result.channel();
        State state = channels.get(channel);
        if (state == State.PENDING) {
            channels.put(channel, State.ACTIVE);
            // Sent before the Hub delivers the gap, replay and live messages that follow this callback.
            session.send(Replies.withRef(Items.subscribed(result, null), ref));
        } else {
            // Unsubscribed (or closed) while being set up: the client was already told; let go now.
            if (state == State.CANCELLED) channels.remove(channel);
            hub.unsubscribe(session, channel);
        }
    }

    void unsubscribe(String channel, JsonNode ref) {
        State state = channels.get(channel);
        if (state == null || state == State.CANCELLED) {
            throw SwitchboardException.badRequest("not_subscribed", "not subscribed to " + channel);
        }
        if (state == State.PENDING) {
            channels.put(channel, State.CANCELLED);
        } else {
            channels.remove(channel);
            hub.unsubscribe(session, channel);
        }
        session.send(Replies.unsubscribed(ref, channel));
    }

    /** Lets go of every channel: the session is closing. */
    void clear() {
        if (channels.isEmpty()) return;
        List<String> names = new ArrayList<>(channels.keySet());
        channels.clear();
        for (String channel : names) hub.unsubscribe(session, channel);
    }
}
