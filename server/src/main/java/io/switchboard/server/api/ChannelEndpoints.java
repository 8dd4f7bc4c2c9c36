package io.switchboard.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.channel.ChannelName;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.message.Position;
import io.switchboard.core.presence.Member;
import io.switchboard.server.codec.HistoryBody;
import io.switchboard.server.codec.Items;
import io.switchboard.server.codec.Json;
import io.switchboard.server.http.JsonAnswer;
import io.switchboard.server.http.QueryParams;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/channels}, {@code GET /api/channels/C} and {@code GET /api/channels/C/history}: what a
 * backend may ask about channels. Subscriber counts are this node's.
 */
final class ChannelEndpoints {
    private final Hub hub;

    ChannelEndpoints(Hub hub) {
        this.hub = hub;
    }

    /** {@code {"channels":[{"channel":…,"subscribers":n},…]}}: channels with a subscriber, by name. */
    void list(JsonAnswer answer, QueryParams query) {
        String prefix = query.one("prefix");
        ObjectNode out = Json.object();
        ArrayNode channels = out.putArray("channels");
        for (Map.Entry<String, Integer> e : hub.channels(prefix == null || prefix.isEmpty() ? null : prefix).entrySet()) {
            channels.addObject().put("channel", e.getKey()).put("subscribers", e.getValue());
        }
        answer.ok(Json.bytes(out));
    }

    /** {@code {"channel","subscribers","members","epoch","offset"}}: subscribers on this node, members everywhere. */
    void info(JsonAnswer answer, String channel) {
        ChannelName.check(channel);
        CompletableFuture<Position> latest = hub.position(channel).toCompletableFuture();
        CompletableFuture<List<Member>> members = hub.members(channel).toCompletableFuture();
        answer.when(latest.thenCombine(members, (p, m) -> {
            ObjectNode out = Json.object();
            out.put("channel", channel);
            out.put("subscribers", hub.subscribers(channel));
            out.put("members", m.size());
            out.put("epoch", p.epoch());
            out.put("offset", p.offset());
            return out;
        }), out -> answer.ok(Json.bytes(out)));
    }

    /** {@code {"channel":…,"members":[{"user":…,"info":…},…]}}. */
    void presence(JsonAnswer answer, String channel) {
        ChannelName.check(channel);
        answer.when(hub.members(channel), members -> {
            ObjectNode out = Json.object();
            out.put("channel", channel);
            answer.ok(Json.bytes(Items.members(out, members)));
        });
    }

    /**
     * {@code {"messages":[…],"cursor":"E:O"}} like {@code /history}: without {@code since} the newest
     * {@code limit} messages, with it the ones after it; a position that cannot be served gives one
     * {@code gap} item and the latest position as cursor.
     */
    void history(JsonAnswer answer, String channel, QueryParams query) {
        ChannelName.check(channel);
        Position since = query.position("since");
        Integer limit = query.intParam("limit", 1, hub.config().maxHistoryLimit());
        answer.when(hub.history(channel, since, limit), h -> answer.ok(HistoryBody.write(answer.ctx().alloc(), channel, h)));
    }
}
