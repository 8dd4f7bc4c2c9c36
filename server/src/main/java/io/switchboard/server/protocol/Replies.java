package io.switchboard.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.switchboard.core.broker.History;
import io.switchboard.core.message.ItemJson;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.server.codec.Items;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The server → client frames only the WebSocket door sends (PROTOCOL.md "WebSocket frames"); the items
 * every door shares come from {@link Items}. Each answer to a client frame echoes its {@code id} as
 * {@code ref}, exactly as sent (a number stays a number).
 */
public final class Replies {
    private Replies() {}

    /** {@code {"type":"welcome","session":…,"heartbeat":SECONDS}}; a sub-second heartbeat is a fraction. */
    public static ObjectNode welcome(String session, Duration heartbeat) {
        ObjectNode n = Items.type("welcome");
        n.put("session", session);
        long millis = heartbeat.toMillis();
        if (millis % 1000 == 0) n.put("heartbeat", millis / 1000);
        else n.put("heartbeat", millis / 1000.0);
        return n;
    }

    /** {@code {"type":"ack","ref":…}}, the answer to {@code auth}. */
    public static ObjectNode ack(JsonNode ref) {
        return typeWithRef("ack", ref);
    }

    /** {@code {"type":"ack","ref":…,"epoch":…,"offset":…}}, the answer to {@code publish}. */
    public static ObjectNode ack(JsonNode ref, Position position) {
        ObjectNode n = typeWithRef("ack", ref);
        n.put("epoch", position.epoch());
        n.put("offset", position.offset());
        return n;
    }

    /** {@code {"type":"unsubscribed","ref":…,"channel":…}} */
    public static ObjectNode unsubscribed(JsonNode ref, String channel) {
        ObjectNode n = typeWithRef("unsubscribed", ref);
        n.put("channel", channel);
        return n;
    }

    /** {@code {"type":"pong","ref":…}} */
    public static ObjectNode pong(JsonNode ref) {
        return typeWithRef("pong", ref);
    }

    /** {@code {"type":"ping"}}, the heartbeat item. */
    public static ObjectNode ping() {
        return Items.type("ping");
    }

    /**
     * {@code {"type":"history","ref":…,"channel":…,"messages":[…],"cursor":"E:O"}}. The messages are the
     * cached item JSON of each message, copied in raw; a gap is reported as one {@code gap} item.
     */
    public static ObjectNode history(JsonNode ref, String channel, History h) {
        ObjectNode n = typeWithRef("history", ref);
        n.put("channel", channel);
        ArrayNode messages = n.putArray("messages");
        if (h.gap()) {
            messages.add(Items.gap(channel, h.latest()));
        } else {
            for (Message m : h.messages()) {
                messages.addRawValue(new RawValue(new String(m.encoded(ItemJson.FORMAT), StandardCharsets.UTF_8)));
            }
        }
        n.put("cursor", h.cursor().toString());
        return n;
    }

    /** Adds {@code "ref"} to an item built elsewhere (nothing when the client sent no id). */
    public static ObjectNode withRef(ObjectNode n, JsonNode ref) {
        if (ref != null) n.set("ref", ref);
        return n;
    }

    private static ObjectNode typeWithRef(String type, JsonNode ref) {
        return withRef(Items.type(type), ref);
    }
}
