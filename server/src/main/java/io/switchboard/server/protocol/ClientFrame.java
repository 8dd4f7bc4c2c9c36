package io.switchboard.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.channel.ChannelName;
import io.switchboard.core.channel.EventName;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.message.Position;
import io.switchboard.server.codec.Json;

/**
 * One client → server frame of PROTOCOL.md ("WebSocket frames"), parsed and checked field by field.
 *
 * <p>{@link #parse} refuses what is not one JSON object, and an {@code id} that is neither a number nor a
 * string (it could not be echoed). Everything else is checked when an accessor is called, so that the
 * error can carry the frame's {@code ref}. Every refusal is a 400 {@link SwitchboardException} whose
 * reason names the field; unknown fields are ignored.
 */
public final class ClientFrame {
    /** The operations a client may ask for. */
    public enum Op {
        SUBSCRIBE, UNSUBSCRIBE, PUBLISH, PRESENCE, HISTORY, AUTH, PING;

        public static Op of(String name) {
            switch (name) {
                case "subscribe": return SUBSCRIBE;
                case "unsubscribe": return UNSUBSCRIBE;
                case "publish": return PUBLISH;
                case "presence": return PRESENCE;
                case "history": return HISTORY;
                case "auth": return AUTH;
                case "ping": return PING;
                default: return null;
            }
        }
    }

    private final JsonNode node;
    private final JsonNode id;

    private ClientFrame(JsonNode node, JsonNode id) {
        this.node = node;
        this.id = id;
    }

    /** Parses a text frame's payload (UTF-8 JSON). */
    public static ClientFrame parse(byte[] payload) {
        JsonNode node;
        try {
            node = Json.parse(payload); // strict, and exact: a publish's data must keep the client's digits
        } catch (SwitchboardException e) {
            throw SwitchboardException.badRequest("bad_json", "the frame is not one well-formed JSON value");
        }
        if (node == null || !node.isObject()) {
            throw SwitchboardException.badRequest("bad_json", "a frame is one JSON object, e.g. {\"op\":\"ping\"}");
        }
        JsonNode id = node.get("id");
        if (id != null && !id.isNull() && !id.isNumber() && !id.isTextual()) {
            throw SwitchboardException.badRequest("bad_field", "id must be a number or a string");
        }
        return new ClientFrame(node, id == null || id.isNull() ? null : id);
    }

    /** The client's {@code id}, echoed as {@code ref} on the answer; null when absent. */
    public JsonNode id() {
        return id;
    }

    public Op op() {
        JsonNode op = node.get("op");
        if (op == null || op.isNull()) throw badField("op is missing");
        if (!op.isTextual()) throw badField("op must be a string");
        Op o = Op.of(op.textValue());
        if (o == null) {
            throw SwitchboardException.badRequest("bad_op",
                    "unknown op; use subscribe, unsubscribe, publish, presence, history, auth or ping");
        }
        return o;
    }

    /** The required, valid {@code channel}. */
    public String channel() {
        String channel = string("channel");
        if (channel == null) throw badField("channel is missing");
        return ChannelName.check(channel);
    }

    /** The event name, {@code message} when absent. */
    public String event() {
        return EventName.check(string("event"));
    }

    /** {@code since} as a position; null (from now) when absent, null, empty or {@code -}. */
    public Position since() {
        String since = string("since");
        if (since == null || since.isEmpty() || since.equals("-")) return null;
        return Position.parse(since);
    }

    /** {@code limit}, or null for the default; the Hub checks its range. */
    public Integer limit() {
        JsonNode limit = node.get("limit");
        if (limit == null || limit.isNull()) return null;
        if (!limit.isIntegralNumber() || !limit.canConvertToInt()) throw badField("limit must be an integer");
        return limit.intValue();
    }

    /** {@code data}: any JSON value, {@code null} included, but present. */
    public JsonNode data() {
        JsonNode data = node.get("data");
        if (data == null) throw badField("data is missing");
        return data;
    }

    /** An optional string field: null when absent or JSON null. */
    public String string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw badField(field + " must be a string");
        return v.textValue();
    }

    private static SwitchboardException badField(String reason) {
        return SwitchboardException.badRequest("bad_field", reason);
    }
}
