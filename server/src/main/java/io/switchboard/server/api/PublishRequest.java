package io.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.channel.ChannelName;
import io.switchboard.core.channel.EventName;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.HubConfig;
import io.switchboard.core.message.Publication;
import io.switchboard.server.codec.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One checked publish object of the server API, {@code {"channel":…|"channels":[…],"event":…,"data":…}},
 * as {@code POST /api/publish} takes it and as each item of {@code POST /api/batch} is.
 *
 * @param channels the channels to publish to, valid and distinct, in the order given
 * @param multi    true when given as {@code "channels"}: the answer is then a list of results
 * @param event    the event name ({@code message} when absent)
 * @param data     the data as compact JSON bytes, within the message limit
 */
record PublishRequest(List<String> channels, boolean multi, String event, byte[] data) {

    /** Checks {@code node}; throws the 400 (or 413) that says what is wrong with it. */
    static PublishRequest parse(JsonNode node, HubConfig limits) {
        if (node == null || !node.isObject()) {
            throw SwitchboardException.badRequest("bad_json", "a publish request is a JSON object");
        }
        JsonNode one = present(node, "channel");
        JsonNode many = present(node, "channels");
        List<String> channels;
        if (one != null && many != null) {
            throw badField("give either channel or channels, not both");
        } else if (one != null) {
            if (!one.isTextual()) throw badField("channel must be a string");
            channels = List.of(ChannelName.check(one.textValue()));
        } else if (many != null) {
            channels = channels(many, limits.maxSubscriptions());
        } else {
            throw badField("channel is missing");
        }
        JsonNode eventNode = present(node, "event");
        if (eventNode != null && !eventNode.isTextual()) throw badField("event must be a string");
        String event = EventName.check(eventNode == null ? null : eventNode.textValue());
        // data may be any JSON value, null included, so only its absence is an error.
        JsonNode dataNode = node.get("data");
        if (dataNode == null) throw badField("data is missing (any JSON value, null included)");
        byte[] data = encode(dataNode);
        if (data.length > limits.maxDataBytes()) {
            throw SwitchboardException.tooLarge("data is " + data.length + " bytes encoded; the limit is "
                    + limits.maxDataBytes());
        }
        return new PublishRequest(channels, many != null, event, data);
    }

    /** One publication per channel, in order; the publisher is the backend, so there is no {@code from}. */
    List<Publication> publications() {
        List<Publication> out = new ArrayList<>(channels.size());
        for (String channel : channels) out.add(new Publication(channel, event, data, null));
        return out;
    }

    private static List<String> channels(JsonNode many, int max) {
        if (!many.isArray()) throw badField("channels must be an array of strings");
        if (many.isEmpty()) throw badField("channels must hold at least one channel");
        if (many.size() > max) {
            throw SwitchboardException.badRequest("too_many_channels",
                    "at most " + max + " channels per request; got " + many.size());
        }
        List<String> out = new ArrayList<>(many.size());
        Set<String> seen = new HashSet<>();
        for (JsonNode c : many) {
            if (!c.isTextual()) throw badField("channels must be an array of strings");
            String name = ChannelName.check(c.textValue());
            if (!seen.add(name)) {
                throw SwitchboardException.badRequest("duplicate_channel", "channel " + name + " is given twice");
            }
            out.add(name);
        }
        return List.copyOf(out);
    }

    /** The field's value, or null when absent or JSON null (both mean "not given"). */
    private static JsonNode present(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static byte[] encode(JsonNode data) {
        try {
            return Json.MAPPER.writeValueAsBytes(data);
        } catch (IOException e) {
            // A tree just parsed from JSON always serializes; this would be a bug, not bad input.
            throw new IllegalStateException("cannot re-encode parsed data", e);
        }
    }

    private static SwitchboardException badField(String reason) {
        return SwitchboardException.badRequest("bad_field", reason);
    }
}
