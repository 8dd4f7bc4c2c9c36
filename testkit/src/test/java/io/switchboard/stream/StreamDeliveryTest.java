package io.switchboard.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.message.Message;
import io.switchboard.testkit.StreamRecorder;
import io.switchboard.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What {@code /stream} and {@code /iframe} put on the wire: headers, the open item, items, heartbeats. */
class StreamDeliveryTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Door.class)
    void sendsHeadersAndTheOpenItemAtOnceThenEachPublishedItem(Door door) {
        try (TestServer server = TestServer.start();
             StreamRecorder r = door.open(server, "channel=news&channel=sport&t=12345",
                     Map.of("Origin", "http://localhost:5173"))) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.chunked()).isTrue();
            assertThat(r.header("Content-Type")).isEqualTo(door == Door.STREAM
                    ? "application/x-ndjson; charset=utf-8" : "text/html; charset=utf-8");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            assertThat(r.header("X-Accel-Buffering")).isEqualTo("no");
            assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:5173");

            // Nothing is published yet: the open item arrives on its own, first, with the starting cursor.
            JsonNode open = r.awaitItem("open");
            assertThat(r.items()).containsExactly(open);
            assertThat(open.get("session").asText()).matches("[A-Za-z0-9_-]{22}");
            assertThat(open.get("cursor").asText()).matches("[A-Za-z0-9_-]+:0,[A-Za-z0-9_-]+:0");
            assertThat(open.size()).isEqualTo(3);
            assertThat(server.server().context().sessions().find(open.get("session").asText())).isNotNull();

            Message m = Door.publish(server, "sport", "{\"score\":[1,2]}");
            JsonNode item = r.awaitItem("message");
            assertThat(item.get("channel").asText()).isEqualTo("sport");
            assertThat(item.get("event").asText()).isEqualTo("message");
            assertThat(item.get("data").toString()).isEqualTo("{\"score\":[1,2]}");
            assertThat(item.get("epoch").asText()).isEqualTo(m.position().epoch());
            assertThat(item.get("offset").asLong()).isEqualTo(m.position().offset());
            assertThat(r.problems()).isEmpty();
            assertThat(r.ended()).isFalse();
            assertThat(server.server().metrics().connections(door.name).get()).isEqualTo(1);
        }
    }

    @Test
    void streamWritesOneCompactItemPerLine() {
        try (TestServer server = TestServer.start(); StreamRecorder r = Door.STREAM.open(server, "channel=news")) {
            JsonNode open = r.awaitItem("open");
            Message m = Door.publish(server, "news", "{\n  \"a\": 1\n}");
            r.awaitItem("message");
            String expectedOpen = "{\"type\":\"open\",\"session\":\"" + open.get("session").asText()
                    + "\",\"cursor\":\"" + open.get("cursor").asText() + "\"}\n";
            String expectedMessage = new String(m.encoded(io.switchboard.core.message.ItemJson.FORMAT),
                    StandardCharsets.UTF_8).replace('\n', ' ') + "\n";
            assertThat(r.body()).isEqualTo(expectedOpen + expectedMessage);
            assertThat(r.chunks()).containsExactly(expectedOpen, expectedMessage);
        }
    }

    @Test
    void iframeStartsWithAPaddedDocumentAndWrapsEachItemInAScriptCallingTheCallback() {
        try (TestServer server = TestServer.start();
             StreamRecorder r = Door.IFRAME.open(server, "channel=news")) {
            r.awaitItem("open");
            String first = r.chunks().get(0);
            assertThat(first.getBytes(StandardCharsets.UTF_8).length).isGreaterThanOrEqualTo(1024);
            assertThat(first).startsWith("<!DOCTYPE html>").contains("<body>")
                    .endsWith("<script>parent.sb_1({\"type\":\"open\",\"session\":\"" + r.session()
                            + "\",\"cursor\":\"" + r.items().get(0).get("cursor").asText() + "\"});</script>");

            Door.publish(server, "news", "{\"html\":\"</script><script>alert(1)</script><!-- & \u2028\"}");
            JsonNode item = r.awaitItem("message");
            assertThat(item.get("data").get("html").asText()).isEqualTo("</script><script>alert(1)</script><!-- & \u2028");
            String last = r.chunks().get(r.chunks().size() - 1);
            assertThat(last).startsWith("<script>parent.sb_1({\"type\":\"message\"").endsWith(");</script>")
                    .contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028")
                    .doesNotContain("<!--");
            // Only the server's own scripts end a script element: the data could not close one.
            assertThat(r.body().split("</script>", -1)).hasSize(3);
            assertThat(r.problems()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Door.class)
    void sendsAHeartbeatAfterSilence(Door door) {
        try (TestServer server = TestServer.start(c -> c.withHeartbeat(Duration.ofMillis(200)));
             StreamRecorder r = door.open(server, "channel=quiet")) {
            r.awaitItem("open");
            r.awaitHeartbeats(2);
            String heartbeat = door == Door.STREAM ? "\n" : "<script>parent.sb_1({\"type\":\"ping\"});</script>";
            List<String> chunks = r.chunks();
            assertThat(chunks.get(chunks.size() - 1)).isEqualTo(heartbeat);
            assertThat(r.items()).extracting(i -> i.get("type").asText()).containsExactly("open");
            // Still a live stream after the heartbeats.
            Door.publish(server, "quiet", "{\"after\":\"silence\"}");
            assertThat(r.awaitItem("message").get("data").get("after").asText()).isEqualTo("silence");
            assertThat(r.ended()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Door.class)
    void oneStreamSeesEveryMessageOfEveryChannelInOrder(Door door) {
        try (TestServer server = TestServer.start();
             StreamRecorder r = door.open(server, "channel=a&channel=b")) {
            r.awaitItem("open");
            for (int n = 0; n < 50; n++) Door.publish(server, n % 2 == 0 ? "a" : "b", "{\"n\":" + n + "}");
            List<JsonNode> got = r.awaitItems(i -> i.get("type").asText().equals("message"), 50, StreamRecorder.TIMEOUT);
            assertThat(got).extracting(i -> i.get("data").get("n").asInt())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).boxed().toList());
            assertThat(r.cursor(List.of("a", "b"))).matches("[A-Za-z0-9_-]+:25,[A-Za-z0-9_-]+:25");
        }
    }
}
