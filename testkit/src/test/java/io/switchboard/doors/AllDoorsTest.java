package io.switchboard.doors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.PollClient;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.StreamRecorder;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The mission in one test: subscribers on all seven doors of one channel — WebSocket, SSE, polling,
 * long-polling, HTTP streaming, forever iframe, JSONP — each get all 100 messages published to it, in
 * order, exactly once.
 */
class AllDoorsTest {
    private static final String CHANNEL = "everyone";
    private static final int MESSAGES = 100;
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void one_hundred_messages_reach_every_door_in_order_and_once() {
        try (TestServer server = TestServer.start();
             WsRecorder ws = WsRecorder.connect(server.ws("/ws"));
             SseRecorder sse = SseRecorder.open(server.http("/sse?channel=" + CHANNEL));
             StreamRecorder stream = StreamRecorder.ndjson(server.port(), "/stream?channel=" + CHANNEL);
             StreamRecorder iframe = StreamRecorder.iframe(server.port(), "/iframe?channel=" + CHANNEL + "&callback=sb.on", "sb.on");
             PollClient poll = PollClient.poll(server, CHANNEL);
             PollClient longPoll = PollClient.poll(server, CHANNEL);
             PollClient jsonp = PollClient.jsonp(server, "sb.got", CHANNEL)) {
            ws.send("{\"op\":\"subscribe\",\"channel\":\"" + CHANNEL + "\"}").awaitType("subscribed");
            stream.awaitItem("open");
            iframe.awaitItem("open");
            poll.poll(0);     // each starts its session "from now" and keeps the cursor it is given
            longPoll.poll(0);
            jsonp.poll(0);
            longPoll.start(25);
            jsonp.start(25);
            Awaitility.await().atMost(DEADLINE).until(() -> server.server().hub().subscribers(CHANNEL) == 7);

            for (int i = 0; i < MESSAGES; i++) server.publish(CHANNEL, "{\"n\":" + i + "}");

            Map<String, List<JsonNode>> got = new LinkedHashMap<>();
            got.put("ws", collectWs(ws));
            got.put("sse", collectSse(sse));
            got.put("stream", stream.awaitItems(AllDoorsTest::isMessage, MESSAGES, DEADLINE));
            got.put("iframe", iframe.awaitItems(AllDoorsTest::isMessage, MESSAGES, DEADLINE));
            got.put("long-poll", longPoll.awaitMessages(MESSAGES, DEADLINE));
            got.put("jsonp", jsonp.awaitMessages(MESSAGES, DEADLINE));
            got.put("poll", pollUntil(poll));

            List<Integer> expected = IntStream.range(0, MESSAGES).boxed().toList();
            for (Map.Entry<String, List<JsonNode>> e : got.entrySet()) {
                List<JsonNode> messages = e.getValue().stream().filter(AllDoorsTest::isMessage).toList();
                assertThat(messages).as(e.getKey() + ": channel").allMatch(m -> m.get("channel").textValue().equals(CHANNEL));
                assertThat(messages).as(e.getKey() + ": all, in order, once")
                        .extracting(m -> m.at("/data/n").asInt()).containsExactlyElementsOf(expected);
                assertThat(messages).as(e.getKey() + ": offsets").extracting(m -> m.get("offset").asLong())
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, MESSAGES).asLongStream().boxed().toList());
            }
        }
    }

    private static boolean isMessage(JsonNode item) {
        return "message".equals(item.path("type").textValue());
    }

    private static List<JsonNode> collectWs(WsRecorder ws) {
        List<JsonNode> out = new ArrayList<>();
        while (out.size() < MESSAGES) out.add(ws.awaitType("message"));
        return out;
    }

    private static List<JsonNode> collectSse(SseRecorder sse) {
        List<JsonNode> out = new ArrayList<>();
        for (SseRecorder.Event e : sse.awaitEvents(ev -> ev.event().equals("message"), MESSAGES, DEADLINE)) out.add(e.json());
        return out;
    }

    /** Plain polling: ask again at once until everything is in (each answer carries what is waiting). */
    private static List<JsonNode> pollUntil(PollClient poll) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (poll.messages().size() < MESSAGES && System.nanoTime() < deadline) poll.poll(0);
        return poll.messages();
    }
}
