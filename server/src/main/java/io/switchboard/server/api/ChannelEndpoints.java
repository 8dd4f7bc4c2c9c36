package io.switchboard.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.switchboard.core.broker.History;
import io.switchboard.core.channel.ChannelName;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.message.ItemJson;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.server.codec.Items;
import io.switchboard.server.codec.Json;
import io.switchboard.server.http.QueryParams;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /api/channels}, {@code GET /api/channels/C} and {@code GET /api/channels/C/history}: what a
 * backend may ask about channels. Subscriber counts are this node's.
 */
final class ChannelEndpoints {
    private static final byte[] MESSAGES_OPEN = "{\"messages\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CURSOR_OPEN = "],\"cursor\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "\"}".getBytes(StandardCharsets.US_ASCII);

    private final Hub hub;

    ChannelEndpoints(Hub hub) {
        this.hub = hub;
    }

    /** {@code {"channels":[{"channel":…,"subscribers":n},…]}}: channels with a subscriber, by name. */
    void list(ApiAnswer answer, QueryParams query) {
        String prefix = query.one("prefix");
        ObjectNode out = Json.object();
        ArrayNode channels = out.putArray("channels");
        for (Map.Entry<String, Integer> e : hub.channels(prefix == null || prefix.isEmpty() ? null : prefix).entrySet()) {
            channels.addObject().put("channel", e.getKey()).put("subscribers", e.getValue());
        }
        answer.ok(Json.bytes(out));
    }

    /** {@code {"channel","subscribers","members","epoch","offset"}}; members stay 0 until presence lands. */
    void info(ApiAnswer answer, String channel) {
        ChannelName.check(channel);
        answer.when(hub.position(channel), latest -> {
            ObjectNode out = Json.object();
            out.put("channel", channel);
            out.put("subscribers", hub.subscribers(channel));
            out.put("members", 0);
            out.put("epoch", latest.epoch());
            out.put("offset", latest.offset());
            answer.ok(Json.bytes(out));
        });
    }

    /**
     * {@code {"messages":[…],"cursor":"E:O"}} like {@code /history}: without {@code since} the newest
     * {@code limit} messages, with it the ones after it; a position that cannot be served gives one
     * {@code gap} item and the latest position as cursor.
     */
    void history(ApiAnswer answer, String channel, QueryParams query) {
        ChannelName.check(channel);
        Position since = since(query.one("since"));
        Integer limit = query.intParam("limit", 1, hub.config().maxHistoryLimit());
        answer.when(hub.history(channel, since, limit), h -> answer.ok(historyBody(answer, channel, h)));
    }

    /**
     * Writes the answer around each message's cached item bytes, which go in as they are: no re-parse,
     * no re-encode. Returns a buffer the caller owns.
     */
    private static ByteBuf historyBody(ApiAnswer answer, String channel, History h) {
        byte[] gap = h.gap() ? Json.bytes(Items.gap(channel, h.latest())) : null;
        int size = MESSAGES_OPEN.length + CURSOR_OPEN.length + CLOSE.length + 40 + (gap == null ? 0 : gap.length);
        for (Message m : h.messages()) size += m.encoded(ItemJson.FORMAT).length + 1;
        ByteBuf out = answer.ctx().alloc().buffer(size);
        try {
            out.writeBytes(MESSAGES_OPEN);
            if (gap != null) out.writeBytes(gap);
            boolean first = gap == null;
            for (Message m : h.messages()) {
                if (!first) out.writeByte(',');
                first = false;
                out.writeBytes(m.encoded(ItemJson.FORMAT));
            }
            out.writeBytes(CURSOR_OPEN);
            // Epochs and offsets hold no character JSON would need to escape.
            out.writeCharSequence(h.cursor().toString(), StandardCharsets.US_ASCII);
            out.writeBytes(CLOSE);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Empty, absent or {@code -} means "the newest"; else {@code EPOCH:OFFSET} or a 400. */
    private static Position since(String text) {
        if (text == null || text.isEmpty() || text.equals("-")) return null;
        return Position.parse(text);
    }
}
