package io.switchboard.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.message.Message;
import io.switchboard.testkit.StreamRecorder;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Resuming a Comet stream: from a cursor on a fresh connection, and with {@code session=ID} after the
 * server ended the answer at its byte cap. Nothing missed, nothing doubled.
 */
class StreamResumeTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Door.class)
    void resumesFromACursorWithNoLossAndNoDuplicate(Door door) {
        try (TestServer server = TestServer.start()) {
            String cursor;
            try (StreamRecorder first = door.open(server, "channel=news")) {
                first.awaitItem("open");
                Door.publishMany(server, "news", 1, 3);
                first.awaitItems(i -> i.get("type").asText().equals("message"), 3, StreamRecorder.TIMEOUT);
                cursor = first.cursor(List.of("news"));
            }
            List<Message> missed = Door.publishMany(server, "news", 4, 4);

            try (StreamRecorder again = door.open(server, "channel=news&since=" + cursor)) {
                JsonNode open = again.awaitItem("open");
                assertThat(open.get("cursor").asText()).isEqualTo(cursor);
                Message live = Door.publish(server, "news", "{\"n\":8}");
                List<JsonNode> got = again.awaitItems(i -> i.get("type").asText().equals("message"), 5,
                        StreamRecorder.TIMEOUT);
                assertThat(got).extracting(i -> i.get("data").get("n").asInt()).containsExactly(4, 5, 6, 7, 8);
                assertThat(got.get(0).get("offset").asLong()).isEqualTo(missed.get(0).position().offset());
                assertThat(again.cursor(List.of("news"))).isEqualTo(live.position().toString());
                assertThat(again.items()).hasSize(6); // open + 5, no duplicate
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Door.class)
    void aStreamEndedAtTheByteCapResumesWithItsSessionAndGetsEveryMessageOnce(Door door) {
        int total = 120;
        try (TestServer server = TestServer.start(c -> c.withSessions(c.sessions().withStreamBytes(2000)))) {
            List<String> channels = List.of("news", "sport");
            String session = null;
            String cursor = "";
            List<Integer> received = new ArrayList<>();
            Set<String> positions = new HashSet<>();
            // Published while the client streams and reconnects (from its first open item on, since the first
            // answer starts from now): some arrive live, some queue in the session between answers.
            Runnable publishAll = () -> {
                for (int n = 0; n < total; n++) {
                    Door.publish(server, channels.get(n % 2), "{\"n\":" + n + ",\"pad\":\"" + "x".repeat(60) + "\"}");
                }
            };
            CompletableFuture<Void> publisher = null;
            int answers = 0;
            while (received.size() < total) {
                assertThat(answers).as("answers needed").isLessThan(total);
                String query = "channel=news&channel=sport&since=" + cursor + (session == null ? "" : "&session=" + session);
                try (StreamRecorder r = door.open(server, query)) {
                    answers++;
                    JsonNode open = r.awaitItem("open");
                    if (session == null) session = open.get("session").asText();
                    assertThat(open.get("session").asText()).as("the same session every time").isEqualTo(session);
                    if (answers > 1) assertThat(open.get("cursor").asText()).isEqualTo(cursor);
                    if (publisher == null) publisher = CompletableFuture.runAsync(publishAll);
                    int before = received.size();
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).alias("answer " + answers + " after " + before + ": " + r.body())
                            .until(() -> r.ended() || before + countMessages(r) >= total);
                    if (r.ended()) {
                        assertThat(r.lastChunk()).as("the server ends the body properly").isTrue();
                        assertThat(r.body().length()).isGreaterThanOrEqualTo(2000).isLessThan(2000 + 400);
                    } // else: the last answer, below the cap, still open
                    assertThat(r.problems()).isEmpty();
                    for (JsonNode item : r.items()) {
                        if (!isMessage(item)) continue;
                        received.add(item.get("data").get("n").asInt());
                        positions.add(item.get("channel").asText() + "@" + item.get("offset").asLong());
                    }
                    cursor = r.cursor(channels);
                }
                // Detached, not ended, between answers (the last one is closed by the client: that ends it).
                if (received.size() < total) {
                    assertThat(server.server().context().sessions().find(session)).isNotNull();
                }
            }
            publisher.join();
            assertThat(answers).as("the cap ended several answers").isGreaterThanOrEqualTo(5);
            assertThat(received).containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
            assertThat(positions).hasSize(total);
        }
    }

    private static boolean isMessage(JsonNode item) {
        return item.get("type").asText().equals("message");
    }

    private static int countMessages(StreamRecorder r) {
        return (int) r.items().stream().filter(StreamResumeTest::isMessage).count();
    }
}
