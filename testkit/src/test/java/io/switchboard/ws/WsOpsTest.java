package io.switchboard.ws;

import static io.switchboard.ws.WsTests.assertServed;
import static io.switchboard.ws.WsTests.open;
import static io.switchboard.ws.WsTests.publish;
import static io.switchboard.ws.WsTests.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.hub.HubConfig;
import io.switchboard.core.message.Message;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every op of PROTOCOL.md "WebSocket frames" and its answer, over a real connection. */
class WsOpsTest {
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(c -> c.withHub(c.hub().withMaxDataBytes(1024)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void welcomeComesFirstWithSessionAndHeartbeat() {
        try (WsRecorder a = WsRecorder.connect(server.ws("/ws")); WsRecorder b = WsRecorder.connect(server.ws("/ws"))) {
            JsonNode wa = a.next();
            JsonNode wb = b.next();
            assertThat(wa.path("type").asText()).isEqualTo("welcome");
            assertThat(wa.path("heartbeat").asLong()).isEqualTo(25);
            assertThat(wa.path("session").asText()).isNotEmpty().isNotEqualTo(wb.path("session").asText());
            a.assertExhausted();
        }
    }

    @Test
    void subHeartbeatIsSentInFractionalSeconds() {
        try (TestServer fast = TestServer.start(c -> c.withHeartbeat(Duration.ofMillis(1500)));
             WsRecorder ws = WsRecorder.connect(fast.ws("/ws"))) {
            JsonNode welcome = ws.next();
            assertThat(welcome.path("heartbeat").isNumber()).isTrue();
            assertThat(welcome.path("heartbeat").asDouble()).isEqualTo(1.5);
        }
    }

    @Test
    void pingAnswersPongWithNumberAndStringRefs() {
        try (WsRecorder ws = open(server)) {
            ws.send("{\"op\":\"ping\",\"id\":7}");
            JsonNode pong = ws.next();
            assertThat(pong.path("type").asText()).isEqualTo("pong");
            assertThat(pong.path("ref").isIntegralNumber()).isTrue();
            assertThat(pong.path("ref").asLong()).isEqualTo(7);

            ws.send("{\"op\":\"ping\",\"id\":\"abc\"}");
            pong = ws.next();
            assertThat(pong.path("ref").isTextual()).isTrue();
            assertThat(pong.path("ref").asText()).isEqualTo("abc");

            ws.send("{\"op\":\"ping\"}");
            pong = ws.next();
            assertThat(pong.path("type").asText()).isEqualTo("pong");
            assertThat(pong.has("ref")).isFalse();
            ws.assertExhausted();
        }
    }

    @Test
    void subscribeThenLiveMessagesThenUnsubscribe() {
        try (WsRecorder ws = open(server)) {
            Message before = publish(server, "news", "{\"n\":0}");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"news\",\"id\":1}");
            JsonNode subscribed = ws.next();
            assertThat(subscribed.path("type").asText()).isEqualTo("subscribed");
            assertThat(subscribed.path("ref").asLong()).isEqualTo(1);
            assertThat(subscribed.path("channel").asText()).isEqualTo("news");
            assertThat(subscribed.path("epoch").asText()).isEqualTo(before.epoch());
            assertThat(subscribed.path("offset").asLong()).isEqualTo(before.offset());
            assertThat(subscribed.has("recovered")).isFalse();

            publish(server, "news", "{\"n\":1}");
            JsonNode message = ws.next();
            assertThat(message.path("type").asText()).isEqualTo("message");
            assertThat(message.path("channel").asText()).isEqualTo("news");
            assertThat(message.path("event").asText()).isEqualTo("message");
            assertThat(message.path("data").path("n").asInt()).isEqualTo(1);
            assertThat(message.path("offset").asLong()).isEqualTo(before.offset() + 1);
            assertThat(message.path("ts").asLong()).isPositive();

            ws.send("{\"op\":\"unsubscribe\",\"channel\":\"news\",\"id\":2}");
            JsonNode unsubscribed = ws.next();
            assertThat(unsubscribed.path("type").asText()).isEqualTo("unsubscribed");
            assertThat(unsubscribed.path("ref").asLong()).isEqualTo(2);
            assertThat(unsubscribed.path("channel").asText()).isEqualTo("news");
            await().until(() -> server.server().hub().subscribers("news") == 0);

            publish(server, "news", "{\"n\":2}");
            assertServed(ws); // the pong comes, the message does not
            ws.assertExhausted();
        }
    }

    @Test
    void publishFromOneSessionReachesAnother() {
        try (WsRecorder publisher = open(server); WsRecorder subscriber = open(server)) {
            subscribe(subscriber, "chat");
            publisher.send("{\"op\":\"publish\",\"channel\":\"chat\",\"event\":\"say\",\"data\":{\"text\":\"hi\"},\"id\":3}");
            JsonNode ack = publisher.next();
            assertThat(ack.path("type").asText()).isEqualTo("ack");
            assertThat(ack.path("ref").asLong()).isEqualTo(3);
            assertThat(ack.path("offset").asLong()).isEqualTo(1);
            assertThat(ack.path("epoch").asText()).isNotEmpty();

            JsonNode message = subscriber.awaitType("message");
            assertThat(message.path("event").asText()).isEqualTo("say");
            assertThat(message.path("data").path("text").asText()).isEqualTo("hi");
            assertThat(message.path("epoch").asText()).isEqualTo(ack.path("epoch").asText());
            assertThat(message.path("offset").asLong()).isEqualTo(1);
            assertThat(message.has("from")).isFalse();
            publisher.assertExhausted(); // the publisher was not subscribed
        }
    }

    @Test
    void publishTakesAnyJsonDataAndKeepsItExact() {
        try (WsRecorder ws = open(server)) {
            subscribe(ws, "any");
            ws.send("{\"op\":\"publish\",\"channel\":\"any\",\"data\":null,\"id\":1}");
            assertThat(ws.awaitRef(1).path("type").asText()).isEqualTo("ack");
            assertThat(ws.awaitType("message").path("data").isNull()).isTrue();

            ws.send("{\"op\":\"publish\",\"channel\":\"any\",\"data\":[1, \"two\", 3.50, 12345678901234567890123],\"id\":2}");
            assertThat(ws.awaitRef(2).path("type").asText()).isEqualTo("ack");
            ws.awaitType("message");
            ws.send("{\"op\":\"history\",\"channel\":\"any\",\"limit\":1,\"id\":3}");
            JsonNode history = ws.awaitRef(3);
            // Decimals keep their digits and big integers survive: the data is what the client sent, compacted.
            assertThat(history.path("messages").get(0).path("data").toString())
                    .isEqualTo("[1,\"two\",3.50,12345678901234567890123]");
        }
    }

    @Test
    void publishOverTheDataLimitIsRefusedAndTheSessionStaysOpen() {
        try (WsRecorder ws = open(server)) {
            double before = server.server().metrics().errorCount("ws", 413);
            String big = "\"" + "x".repeat(2000) + "\"";
            ws.send("{\"op\":\"publish\",\"channel\":\"big\",\"data\":" + big + ",\"id\":9}");
            JsonNode error = ws.next();
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("code").asInt()).isEqualTo(413);
            assertThat(error.path("ref").asLong()).isEqualTo(9);
            assertThat(error.path("reason").asText()).contains("1024");
            assertThat(server.server().metrics().errorCount("ws", 413)).isEqualTo(before + 1);
            assertServed(ws);
        }
    }

    @Test
    void historyReturnsMessagesAndCursor() {
        try (WsRecorder ws = open(server)) {
            Message first = publish(server, "log", "1");
            publish(server, "log", "2");
            Message third = publish(server, "log", "3");

            ws.send("{\"op\":\"history\",\"channel\":\"log\",\"id\":5}");
            JsonNode all = ws.next();
            assertThat(all.path("type").asText()).isEqualTo("history");
            assertThat(all.path("ref").asLong()).isEqualTo(5);
            assertThat(all.path("channel").asText()).isEqualTo("log");
            assertThat(all.path("messages")).hasSize(3);
            assertThat(all.path("messages").get(0).path("type").asText()).isEqualTo("message");
            assertThat(all.path("messages").get(0).path("data").asInt()).isEqualTo(1);
            assertThat(all.path("cursor").asText()).isEqualTo(third.position().toString());

            ws.send("{\"op\":\"history\",\"channel\":\"log\",\"since\":\"" + first.position() + "\",\"limit\":1,\"id\":6}");
            JsonNode page = ws.next();
            assertThat(page.path("messages")).hasSize(1);
            assertThat(page.path("messages").get(0).path("data").asInt()).isEqualTo(2);
            assertThat(page.path("cursor").asText()).isEqualTo(first.epoch() + ":2");

            ws.send("{\"op\":\"history\",\"channel\":\"log\",\"since\":\"" + third.position() + "\",\"id\":7}");
            JsonNode none = ws.next();
            assertThat(none.path("messages")).isEmpty();
            assertThat(none.path("cursor").asText()).isEqualTo(third.position().toString());
        }
    }

    @Test
    void historyFromAnUnknownEpochIsOneGapItem() {
        try (WsRecorder ws = open(server)) {
            Message latest = publish(server, "log", "1");
            ws.send("{\"op\":\"history\",\"channel\":\"log\",\"since\":\"gone:5\",\"id\":1}");
            JsonNode h = ws.next();
            assertThat(h.path("messages")).hasSize(1);
            JsonNode gap = h.path("messages").get(0);
            assertThat(gap.path("type").asText()).isEqualTo("gap");
            assertThat(gap.path("channel").asText()).isEqualTo("log");
            assertThat(gap.path("epoch").asText()).isEqualTo(latest.epoch());
            assertThat(gap.path("offset").asLong()).isEqualTo(latest.offset());
            assertThat(h.path("cursor").asText()).isEqualTo(latest.position().toString());
        }
    }

    @Test
    void authWithAValidTokenUnlocksWhatItAllowsAndABadOneChangesNothing() {
        try (WsRecorder ws = open(server)) {
            ws.send("{\"op\":\"subscribe\",\"channel\":\"private-a\",\"id\":1}");
            assertThat(ws.next().path("code").asInt()).isEqualTo(401);

            ws.send("{\"op\":\"auth\",\"token\":\"some.bad.token\",\"id\":2}");
            JsonNode bad = ws.next();
            assertThat(bad.path("code").asInt()).isEqualTo(401);
            assertThat(bad.path("ref").asLong()).isEqualTo(2);
            assertThat(bad.toString()).doesNotContain("some.bad.token");

            String token = TestServer.token("ann", List.of("private-*"), List.of());
            ws.send("{\"op\":\"auth\",\"token\":\"" + token + "\",\"id\":3}");
            JsonNode ack = ws.next();
            assertThat(ack.path("type").asText()).isEqualTo("ack");
            assertThat(ack.path("ref").asLong()).isEqualTo(3);
            assertThat(ack.toString()).doesNotContain(token);

            ws.send("{\"op\":\"subscribe\",\"channel\":\"private-a\",\"id\":4}");
            assertThat(ws.next().path("type").asText()).isEqualTo("subscribed");

            // A session never changes user.
            ws.send("{\"op\":\"auth\",\"token\":\"" + TestServer.token("bob", List.of("*"), List.of()) + "\",\"id\":5}");
            assertThat(ws.next().path("code").asInt()).isEqualTo(403);
        }
    }

    @Test
    void restrictedChannelsAreRefusedForEveryOp() {
        try (WsRecorder ws = open(server)) {
            ws.send("{\"op\":\"publish\",\"channel\":\"private-x\",\"data\":1,\"id\":1}");
            assertThat(ws.next().path("code").asInt()).isEqualTo(401);
            ws.send("{\"op\":\"history\",\"channel\":\"presence-x\",\"id\":2}");
            assertThat(ws.next().path("code").asInt()).isEqualTo(401);
            ws.send("{\"op\":\"subscribe\",\"channel\":\"presence-x\",\"id\":3}");
            assertThat(ws.next().path("code").asInt()).isEqualTo(401);
            assertThat(server.server().hub().subscribers("presence-x")).isZero();
        }
        try (WsRecorder ws = WsRecorder.connect(server.ws("/ws?token=" + TestServer.token("u", List.of(), List.of())))) {
            assertThat(ws.next().path("type").asText()).isEqualTo("welcome");
            ws.send("{\"op\":\"publish\",\"channel\":\"private-x\",\"data\":1,\"id\":1}");
            assertThat(ws.next().path("code").asInt()).isEqualTo(403);
            // Public channels stay open to a session with a token.
            subscribe(ws, "public");
        }
    }

    @Test
    void presenceIsOnlyForPresenceChannelsAndNeedsAToken() {
        try (WsRecorder ws = open(server)) {
            ws.send("{\"op\":\"presence\",\"channel\":\"news\",\"id\":4}");
            JsonNode wrong = ws.next();
            assertThat(wrong.path("code").asInt()).isEqualTo(400);
            assertThat(wrong.path("ref").asLong()).isEqualTo(4);
            assertThat(wrong.path("reason").asText()).contains("presence is not kept");

            ws.send("{\"op\":\"presence\",\"channel\":\"presence-room\",\"id\":5}");
            JsonNode refused = ws.next();
            assertThat(refused.path("code").asInt()).isEqualTo(401);
            assertThat(refused.path("ref").asLong()).isEqualTo(5);
        }
    }

    @Test
    void subscribingTwiceAndUnsubscribingUnknownChannelsAreRefused() {
        try (WsRecorder ws = open(server)) {
            subscribe(ws, "twice");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"twice\",\"id\":1}");
            JsonNode again = ws.next();
            assertThat(again.path("code").asInt()).isEqualTo(400);
            assertThat(again.path("reason").asText()).contains("already subscribed");

            ws.send("{\"op\":\"unsubscribe\",\"channel\":\"never\",\"id\":2}");
            JsonNode never = ws.next();
            assertThat(never.path("code").asInt()).isEqualTo(400);
            assertThat(never.path("reason").asText()).contains("not subscribed");

            // The first subscription is untouched: one subscriber, still delivered to.
            assertThat(server.server().hub().subscribers("twice")).isEqualTo(1);
            publish(server, "twice", "1");
            assertThat(ws.awaitType("message").path("channel").asText()).isEqualTo("twice");
        }
    }

    @Test
    void subscriptionsPerSessionAreBounded() {
        try (TestServer small = TestServer.start(c -> c.withHub(c.hub().withMaxSubscriptions(2)));
             WsRecorder ws = open(small)) {
            subscribe(ws, "a");
            subscribe(ws, "b");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"c\",\"id\":3}");
            JsonNode tooMany = ws.next();
            assertThat(tooMany.path("code").asInt()).isEqualTo(400);
            assertThat(tooMany.path("reason").asText()).contains("at most 2");
            // Unsubscribing frees a slot.
            ws.send("{\"op\":\"unsubscribe\",\"channel\":\"a\"}");
            ws.awaitType("unsubscribed");
            subscribe(ws, "c");
        }
    }

    @Test
    void unsubscribeRightAfterSubscribeLeavesNoSubscription() {
        try (WsRecorder ws = open(server)) {
            for (int i = 0; i < 20; i++) {
                ws.send("{\"op\":\"subscribe\",\"channel\":\"flip\",\"id\":" + (2 * i) + "}");
                ws.send("{\"op\":\"unsubscribe\",\"channel\":\"flip\",\"id\":" + (2 * i + 1) + "}");
                assertThat(ws.awaitRef(2 * i + 1).path("type").asText()).isEqualTo("unsubscribed");
            }
            await().until(() -> server.server().hub().subscribers("flip") == 0);
            publish(server, "flip", "1");
            ws.send("{\"op\":\"ping\",\"id\":\"end\"}");
            assertThat(ws.collectUntil(i -> "end".equals(i.path("ref").asText())))
                    .noneMatch(i -> "message".equals(i.path("type").asText()));
        }
    }

    @Test
    void closingTheSessionLetsGoOfEveryChannel() {
        WsRecorder ws = open(server);
        subscribe(ws, "one");
        subscribe(ws, "two");
        assertThat(server.server().metrics().connections("ws").get()).isEqualTo(1);
        assertThat(server.server().hub().subscribers("one")).isEqualTo(1);
        ws.close();
        await().until(() -> server.server().hub().subscribers("one") == 0
                && server.server().hub().subscribers("two") == 0
                && server.server().metrics().connections("ws").get() == 0);

        WsRecorder aborted = open(server);
        subscribe(aborted, "three");
        aborted.abort();
        await().until(() -> server.server().hub().subscribers("three") == 0
                && server.server().metrics().connections("ws").get() == 0);
    }
}
