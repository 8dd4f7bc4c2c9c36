package io.switchboard.ws;

import static io.switchboard.ws.WsTests.open;
import static io.switchboard.ws.WsTests.publish;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Subscribing with {@code since}: replay then live, nothing missed or doubled, and explicit gaps. */
class WsReplayTest {
    private static final int MESSAGES = 2000;

    @Test
    void subscribeSinceReplaysWhatCameAfterThenGoesLive() {
        try (TestServer server = TestServer.start(); WsRecorder ws = open(server)) {
            Message first = publish(server, "news", "1");
            publish(server, "news", "2");
            publish(server, "news", "3");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"news\",\"since\":\"" + first.position() + "\",\"id\":1}");
            JsonNode subscribed = ws.next();
            assertThat(subscribed.path("type").asText()).isEqualTo("subscribed");
            assertThat(subscribed.path("ref").asLong()).isEqualTo(1);
            assertThat(subscribed.path("recovered").asBoolean()).isTrue();
            assertThat(subscribed.path("epoch").asText()).isEqualTo(first.epoch());
            assertThat(subscribed.path("offset").asLong()).isEqualTo(first.offset());
            assertThat(ws.next().path("data").asInt()).isEqualTo(2);
            assertThat(ws.next().path("data").asInt()).isEqualTo(3);
            publish(server, "news", "4");
            JsonNode live = ws.next();
            assertThat(live.path("data").asInt()).isEqualTo(4);
            assertThat(live.path("offset").asLong()).isEqualTo(first.offset() + 3);
            ws.assertExhausted();
        }
    }

    @Test
    void anUnknownEpochIsAGapThenLive() {
        try (TestServer server = TestServer.start(); WsRecorder ws = open(server)) {
            Message latest = publish(server, "news", "1");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"news\",\"since\":\"oldEpoch:7\",\"id\":2}");
            JsonNode subscribed = ws.next();
            assertThat(subscribed.path("type").asText()).isEqualTo("subscribed");
            assertThat(subscribed.path("recovered").asBoolean(true)).isFalse();
            assertThat(subscribed.path("epoch").asText()).isEqualTo(latest.epoch());
            assertThat(subscribed.path("offset").asLong()).isEqualTo(latest.offset());
            JsonNode gap = ws.next();
            assertThat(gap.path("type").asText()).isEqualTo("gap");
            assertThat(gap.path("channel").asText()).isEqualTo("news");
            assertThat(gap.path("epoch").asText()).isEqualTo(latest.epoch());
            assertThat(gap.path("offset").asLong()).isEqualTo(latest.offset());
            publish(server, "news", "2");
            assertThat(ws.next().path("offset").asLong()).isEqualTo(latest.offset() + 1);
            ws.assertExhausted();
        }
    }

    @Test
    void aPositionOlderThanTheHistoryIsAGap() {
        try (TestServer server = TestServer.start(c -> c.withHistory(new HistoryPolicy(2, Duration.ofMinutes(1))));
             WsRecorder ws = open(server)) {
            Message first = publish(server, "news", "1");
            publish(server, "news", "2");
            publish(server, "news", "3");
            Message latest = publish(server, "news", "4");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"news\",\"since\":\"" + first.position() + "\"}");
            assertThat(ws.next().path("recovered").asBoolean(true)).isFalse();
            JsonNode gap = ws.next();
            assertThat(gap.path("type").asText()).isEqualTo("gap");
            assertThat(gap.path("offset").asLong()).isEqualTo(latest.offset());
        }
    }

    /**
     * A publisher session publishes 2,000 messages, one ack at a time, while subscribers join mid-stream
     * with positions a little behind (replay, then the live messages buffered while replaying, then live)
     * or from now. Each sees every offset after its start exactly once, in order, through the last.
     */
    @Test
    void subscribersJoiningMidStreamMissNothingAndGetNothingTwice() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withHistory(new HistoryPolicy(5000, Duration.ofMinutes(10))));
             WsRecorder publisher = open(server)) {
            int joiners = 9;
            List<WsRecorder> subscribers = new ArrayList<>();
            for (int i = 0; i < joiners; i++) subscribers.add(open(server));
            BlockingQueue<Position> checkpoints = new LinkedBlockingQueue<>();

            CompletableFuture<Position> published = CompletableFuture.supplyAsync(() -> {
                Position last = null;
                for (int i = 1; i <= MESSAGES; i++) {
                    publisher.send("{\"op\":\"publish\",\"channel\":\"race\",\"data\":" + i + ",\"id\":" + i + "}");
                    JsonNode ack = publisher.awaitRef(i);
                    last = new Position(ack.path("epoch").asText(), ack.path("offset").asLong());
                    if (i % 200 == 0 && checkpoints.size() < joiners) checkpoints.add(last);
                }
                return last;
            });

            long[] starts = new long[joiners];
            for (int j = 0; j < joiners; j++) {
                Position at = checkpoints.poll(30, TimeUnit.SECONDS);
                assertThat(at).as("checkpoint %d", j).isNotNull();
                WsRecorder ws = subscribers.get(j);
                if (j % 3 == 2) {
                    ws.send("{\"op\":\"subscribe\",\"channel\":\"race\",\"id\":0}"); // from now
                    starts[j] = -1;
                } else {
                    long behind = j % 3 == 0 ? 0 : 50; // at the head, or a replay of 50 plus the buffer
                    starts[j] = at.offset() - behind;
                    ws.send("{\"op\":\"subscribe\",\"channel\":\"race\",\"since\":\"" + at.epoch() + ":" + starts[j]
                            + "\",\"id\":0}");
                }
            }
            Position last = published.get(60, TimeUnit.SECONDS);
            assertThat(last.offset()).isEqualTo(MESSAGES);

            int midStream = 0;
            for (int j = 0; j < joiners; j++) {
                WsRecorder ws = subscribers.get(j);
                JsonNode subscribed = ws.awaitType("subscribed");
                assertThat(subscribed.path("epoch").asText()).isEqualTo(last.epoch());
                long start = subscribed.path("offset").asLong();
                if (starts[j] >= 0) {
                    assertThat(subscribed.path("recovered").asBoolean()).as("joiner %d", j).isTrue();
                    assertThat(start).isEqualTo(starts[j]);
                }
                if (start < MESSAGES) midStream++;
                List<JsonNode> items = start == MESSAGES ? List.of()
                        : ws.collectUntil(i -> i.path("offset").asLong() == MESSAGES);
                long expected = start + 1;
                for (JsonNode item : items) {
                    assertThat(item.path("type").asText()).as("joiner %d item %s", j, item).isEqualTo("message");
                    assertThat(item.path("offset").asLong()).as("joiner %d", j).isEqualTo(expected);
                    assertThat(item.path("data").asLong()).isEqualTo(expected);
                    expected++;
                }
                assertThat(expected - 1).isEqualTo(MESSAGES);
                ws.assertExhausted();
            }
            assertThat(midStream).as("joiners that started before the last message").isGreaterThanOrEqualTo(joiners - 1);
            for (WsRecorder ws : subscribers) ws.close();
        }
    }
}
