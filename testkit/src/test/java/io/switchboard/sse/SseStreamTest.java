package io.switchboard.sse;

import static io.switchboard.sse.InProcess.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.testkit.SseRecorder.Event;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The {@code /sse} door end to end: headers, framing, cursors, heartbeats, stop and disconnect. */
class SseStreamTest {

    @Test
    void answersAtOnceWithStreamingHeadersAndCorsForAnAllowedOrigin() {
        try (TestServer server = TestServer.start();
             SseRecorder sse = SseRecorder.open(server.http("/sse?channel=news&t=1764000000&token=" + TestServer.token("u", java.util.List.of(), java.util.List.of()) + "&x=y"),
                     b -> b.header("Origin", "http://localhost:3000"))) {
            // A token (for a public channel), the t= cache buster and unknown parameters are ignored.
            // open() returned before anything was published: the headers were flushed at once.
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
            assertThat(sse.header("Cache-Control")).isEqualTo("no-store");
            assertThat(sse.header("X-Accel-Buffering")).isEqualTo("no");
            assertThat(sse.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(sse.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
            assertThat(sse.header("Vary")).containsIgnoringCase("origin");
        }
    }

    @Test
    void givesNoCorsHeadersToAnOriginThatIsNotAllowed() {
        try (TestServer server = TestServer.start();
             SseRecorder sse = SseRecorder.open(server.http("/sse?channel=news"),
                     b -> b.header("Origin", "https://evil.example"))) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.header("Access-Control-Allow-Origin")).isNull();
        }
    }

    @Test
    void opensWithRetryAndAnIdOnlyBlockCarryingTheStartingCursor() {
        try (TestServer server = TestServer.start(c -> c.withSseRetry(Duration.ofMillis(1500)))) {
            publish(server, "news", "{\"n\":1}");
            Message second = publish(server, "news", "{\"n\":2}");
            try (SseRecorder sse = SseRecorder.open(server.http("/sse?channel=news"))) {
                assertThat(sse.awaitLastEventId(id -> !id.isEmpty())).isEqualTo(second.position().toString());
                assertThat(sse.retry()).isEqualTo(1500L);
                assertThat(sse.events()).as("the id block dispatches no event").isEmpty();
            }
        }
    }

    @Test
    void sendsTheMessageEventNameAndTheItemAsData() {
        try (TestServer server = TestServer.start();
             SseRecorder sse = SseRecorder.open(server.http("/sse?channel=news"))) {
            sse.awaitLastEventId(id -> !id.isEmpty());
            Message m = publish(server, "news", "update", "{\"title\":\"hi\",\"n\":[1,2]}");
            Message plain = publish(server, "news", "{\"n\":3}");

            Event e = sse.awaitEvent("update");
            assertThat(e.id()).isEqualTo(m.position().toString());
            JsonNode item = e.json();
            assertThat(item.get("type").asText()).isEqualTo("message");
            assertThat(item.get("channel").asText()).isEqualTo("news");
            assertThat(item.get("event").asText()).isEqualTo("update");
            assertThat(item.get("data").toString()).isEqualTo("{\"title\":\"hi\",\"n\":[1,2]}");
            assertThat(item.get("epoch").asText()).isEqualTo(m.epoch());
            assertThat(item.get("offset").asLong()).isEqualTo(m.offset());
            assertThat(item.get("ts").asLong()).isEqualTo(m.timestamp());

            Event second = sse.awaitEvent("message");
            assertThat(second.id()).isEqualTo(plain.position().toString());
            assertThat(second.json().get("data").get("n").asInt()).isEqualTo(3);
        }
    }

    @Test
    void keepsDataWithLineBreaksWholeAcrossDataLines() {
        try (TestServer server = TestServer.start();
             SseRecorder sse = SseRecorder.open(server.http("/sse?channel=news"))) {
            sse.awaitLastEventId(id -> !id.isEmpty());
            publish(server, "news", "{\n  \"a\": 1,\r\n  \"b\": \"x\"\r}");
            JsonNode data = sse.awaitEvent("message").json().get("data");
            assertThat(data.get("a").asInt()).isEqualTo(1);
            assertThat(data.get("b").asText()).isEqualTo("x");
        }
    }

    @Test
    void carriesSeveralChannelsInOneStreamWithTheCursorTrackingEach() {
        try (TestServer server = TestServer.start()) {
            Position a0 = InProcess.position(server, "room-a");
            Position b0 = InProcess.position(server, "room-b");
            try (SseRecorder sse = SseRecorder.open(server.http("/sse?channel=room-a&channel=room-b"))) {
                assertThat(sse.awaitLastEventId(id -> !id.isEmpty())).isEqualTo(a0 + "," + b0);
                Message a1 = publish(server, "room-a", "{\"n\":1}");
                Message b1 = publish(server, "room-b", "{\"n\":2}");
                Message a2 = publish(server, "room-a", "{\"n\":3}");

                var events = sse.awaitEvents(e -> true, 3, SseRecorder.TIMEOUT);
                assertThat(events).extracting(Event::id).containsExactly(
                        a1.position() + "," + b0,
                        a1.position() + "," + b1.position(),
                        a2.position() + "," + b1.position());
                assertThat(events).extracting(e -> e.json().get("channel").asText())
                        .containsExactly("room-a", "room-b", "room-a");
            }
        }
    }

    @Test
    void updatesTheRightSlotOfALongCursor() {
        try (TestServer server = TestServer.start()) {
            List<String> channels = IntStream.range(0, 12).mapToObj(i -> "ch-" + i).toList();
            String query = channels.stream().map(c -> "channel=" + c).collect(Collectors.joining("&"));
            try (SseRecorder sse = SseRecorder.open(server.http("/sse?" + query))) {
                String[] start = sse.awaitLastEventId(id -> !id.isEmpty()).split(",");
                assertThat(start).hasSize(12);
                Message m = publish(server, "ch-10", "{\"n\":1}");
                String[] slots = sse.awaitEvent("message").id().split(",");
                for (int i = 0; i < 12; i++) {
                    assertThat(slots[i]).isEqualTo(i == 10 ? m.position().toString() : start[i]);
                }
            }
        }
    }

    @Test
    void answersAnUnknownEpochWithAGapAndGoesOnFromTheLatest() {
        try (TestServer server = TestServer.start()) {
            Message before = publish(server, "news", "{\"n\":1}");
            try (SseRecorder sse = SseRecorder.open(server.http("/sse?channel=news&since=NoSuchEpoch:7"))) {
                Event gap = sse.awaitEvent("sb:gap");
                JsonNode item = gap.json();
                assertThat(item.get("type").asText()).isEqualTo("gap");
                assertThat(item.get("channel").asText()).isEqualTo("news");
                assertThat(item.get("epoch").asText()).isEqualTo(before.epoch());
                assertThat(item.get("offset").asLong()).isEqualTo(before.offset());
                assertThat(gap.id()).isEqualTo(before.position().toString());

                Message after = publish(server, "news", "{\"n\":2}");
                assertThat(sse.awaitEvent("message").id()).isEqualTo(after.position().toString());
                assertThat(sse.events()).extracting(Event::event).containsExactly("sb:gap", "message");
            }
        }
    }

    @Test
    void sendsPingCommentsWhenTheStreamIsSilent() {
        try (TestServer server = TestServer.start(c -> c.withHeartbeat(Duration.ofMillis(200)));
             SseRecorder sse = SseRecorder.open(server.http("/sse?channel=news"))) {
            sse.awaitComment("ping");
            await().atMost(Duration.ofSeconds(5)).until(() -> sse.comments().size() >= 2);
            assertThat(sse.comments()).containsOnly("ping");
            assertThat(sse.events()).isEmpty();
        }
    }

    @Test
    void endsWithA503ErrorEventWhenTheServerStops() {
        TestServer server = TestServer.start();
        try (SseRecorder sse = SseRecorder.open(server.http("/sse?channel=news"))) {
            sse.awaitLastEventId(id -> !id.isEmpty());
            server.close();
            Event error = sse.awaitEvent("sb:error");
            assertThat(error.json().toString())
                    .isEqualTo("{\"type\":\"error\",\"code\":503,\"reason\":\"server going away\"}");
            sse.awaitEnd();
        } finally {
            server.close();
        }
    }

    @Test
    void unsubscribesEveryChannelWhenTheClientGoes() {
        try (TestServer server = TestServer.start()) {
            var hub = server.server().hub();
            var open = server.server().metrics().connections("sse");
            SseRecorder sse = SseRecorder.open(server.http("/sse?channel=news&channel=sport"));
            sse.awaitLastEventId(id -> !id.isEmpty());
            assertThat(hub.subscribers("news")).isEqualTo(1);
            assertThat(hub.subscribers("sport")).isEqualTo(1);
            assertThat(open.get()).isEqualTo(1);

            sse.close();
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    hub.subscribers("news") == 0 && hub.subscribers("sport") == 0 && open.get() == 0);
            assertThat(hub.channels(null)).isEmpty();
        }
    }
}
