package io.switchboard.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.codec.Json;
import io.switchboard.testkit.PollClient;
import io.switchboard.testkit.RedisProcess;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.StreamRecorder;
import io.switchboard.testkit.WsRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three nodes, each its own process ({@code switchboard serve --broker redis://…}), on one redis-server:
 * subscribers on every door of nodes B and C receive, in order and once, 1,000 messages published on node A
 * through its server API.
 */
class ThreeNodesTest {
    private static final String CHANNEL = "everyone";
    private static final int MESSAGES = 1_000;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static RedisProcess redis;
    private static List<NodeProcess> nodes;

    @BeforeAll
    static void startCluster() {
        redis = RedisProcess.start();
        nodes = NodeProcess.start(redis.uri(), 3);
    }

    @AfterAll
    static void stopCluster() {
        if (nodes != null) nodes.forEach(NodeProcess::close);
        redis.close();
    }

    @Test
    void a_thousand_messages_published_on_A_reach_every_door_on_B_and_C_in_order_and_once() {
        NodeProcess a = nodes.get(0);
        List<Door> doors = new ArrayList<>();
        try {
            for (NodeProcess n : nodes.subList(1, 3)) doors.addAll(Door.everyDoor(n, CHANNEL));
            for (NodeProcess n : nodes.subList(1, 3)) {
                Awaitility.await().atMost(DEADLINE).until(() -> subscribers(n) == 6);
            }

            for (int i = 0; i < MESSAGES; i++) {
                assertThat(a.publish(CHANNEL, "{\"n\":" + i + "}").statusCode()).isEqualTo(200);
            }

            Map<String, List<JsonNode>> got = new LinkedHashMap<>();
            for (Door d : doors) got.put(d.name(), d.awaitMessages(MESSAGES, DEADLINE));
            List<Integer> expected = IntStream.range(0, MESSAGES).boxed().toList();
            for (Map.Entry<String, List<JsonNode>> e : got.entrySet()) {
                assertThat(e.getValue()).as(e.getKey() + ": all, in order, once")
                        .extracting(m -> m.at("/data/n").asInt()).containsExactlyElementsOf(expected);
                assertThat(e.getValue()).as(e.getKey() + ": offsets").extracting(m -> m.get("offset").asLong())
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, MESSAGES).asLongStream().boxed().toList());
            }
        } finally {
            doors.forEach(Door::close);
        }
    }

    private static int subscribers(NodeProcess n) {
        return Json.parse(n.apiGet("/api/channels/" + CHANNEL).body().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .path("subscribers").asInt();
    }
}
