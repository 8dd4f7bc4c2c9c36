package io.switchboard.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.presence.Member;
import io.switchboard.core.time.Clock;
import io.switchboard.server.codec.Json;
import io.switchboard.server.http.JsonAnswer;
import io.switchboard.server.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/stats}: the numbers {@code /metrics} exposes, as one JSON object for the admin page,
 * plus this node's channels and the member counts of its presence channels:
 * {@code {"time","connections":{door:n},"published","delivered","channels","subscribers",
 * "presence":[{"channel","members"}],"errors":[{"door","code","count"}]}}. Counters are totals since start;
 * the page turns them into rates.
 */
final class StatsEndpoint {
    /** Presence channels listed at most, largest first; the rest are only counted in {@code channels}. */
    static final int MAX_PRESENCE = 50;

    private final Hub hub;
    private final Metrics metrics;
    private final Clock clock;

    StatsEndpoint(Hub hub, Metrics metrics, Clock clock) {
        this.hub = hub;
        this.metrics = metrics;
        this.clock = clock;
    }

    void stats(JsonAnswer answer) {
        ObjectNode out = Json.object();
        out.put("time", clock.millis());
        MeterRegistry registry = metrics.registry();
        ObjectNode connections = out.putObject("connections");
        for (Gauge g : registry.find("switchboard.connections").gauges()) {
            connections.put(g.getId().getTag("door"), (long) g.value());
        }
        out.put("published", (long) count(registry, "switchboard.messages.published"));
        out.put("delivered", (long) count(registry, "switchboard.messages.delivered"));
        Map<String, Integer> channels = hub.channels(null);
        out.put("channels", channels.size());
        out.put("subscribers", channels.values().stream().mapToInt(Integer::intValue).sum());
        ArrayNode errors = out.putArray("errors");
        for (Counter c : registry.find("switchboard.errors").counters()) {
            errors.addObject().put("door", c.getId().getTag("door"))
                    .put("code", Integer.parseInt(c.getId().getTag("code"))).put("count", (long) c.count());
        }
        List<String> presence = channels.keySet().stream().filter(c -> c.startsWith("presence-"))
                .sorted((a, b) -> Integer.compare(channels.get(b), channels.get(a))).limit(MAX_PRESENCE).toList();
        List<CompletableFuture<List<Member>>> members = new ArrayList<>();
        for (String c : presence) members.add(hub.members(c).toCompletableFuture());
        answer.when(CompletableFuture.allOf(members.toArray(CompletableFuture[]::new)), done -> {
            ArrayNode list = out.putArray("presence");
            for (int i = 0; i < presence.size(); i++) {
                list.addObject().put("channel", presence.get(i)).put("members", members.get(i).join().size());
            }
            answer.ok(Json.bytes(out));
        });
    }

    private static double count(MeterRegistry registry, String name) {
        Counter c = registry.find(name).counter();
        return c == null ? 0 : c.count();
    }
}
