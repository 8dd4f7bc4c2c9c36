package io.switchboard.ws;

import static io.switchboard.ws.WsTests.assertServed;
import static io.switchboard.ws.WsTests.open;
import static io.switchboard.ws.WsTests.publish;
import static io.switchboard.ws.WsTests.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.server.metrics.Metrics;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The close codes of PROTOCOL.md, the heartbeat and graceful stop, each against a real server. */
class WsCloseTest {
    private static final int MAX_FRAME = 16 * 1024;

    @Test
    void aBinaryFrameCloses4400() {
        try (TestServer server = TestServer.start(); WsRecorder bad = open(server); WsRecorder good = open(server)) {
            subscribe(bad, "c");
            bad.sendBinary(new byte[] {1, 2, 3});
            WsRecorder.Close close = bad.awaitCloseFrame();
            assertThat(close.code()).isEqualTo(4400);
            assertThat(close.reason()).contains("binary");
            assertThat(server.server().metrics().errorCount("ws", 4400)).isEqualTo(1);
            await().until(() -> server.server().hub().subscribers("c") == 0);
            assertServed(good);
        }
    }

    @Test
    void aMalformedFrameCloses4400() throws Exception {
        try (TestServer server = TestServer.start(); WsRecorder good = open(server)) {
            try (RawWs raw = RawWs.connect(server.port())) {
                raw.upgrade();
                raw.sendFrame(0x80 | 0x40 | 0x1, "{}".getBytes(StandardCharsets.UTF_8), true); // RSV1 without an extension
                assertThat(raw.awaitCloseCode()).isEqualTo(4400);
            }
            try (RawWs raw = RawWs.connect(server.port())) {
                raw.upgrade();
                raw.sendFrame(0x81, "{\"op\":\"ping\"}".getBytes(StandardCharsets.UTF_8), false); // clients must mask
                assertThat(raw.awaitCloseCode()).isEqualTo(4400);
            }
            assertServed(good);
        }
    }

    @Test
    void aFrameOverTheLimitCloses4413() {
        try (TestServer server = TestServer.start(c -> c.withMaxBodyBytes(MAX_FRAME));
             WsRecorder bad = open(server); WsRecorder good = open(server)) {
            String big = "{\"op\":\"publish\",\"channel\":\"c\",\"data\":\"" + "x".repeat(MAX_FRAME) + "\"}";
            bad.send(big);
            WsRecorder.Close close = bad.awaitCloseFrame();
            assertThat(close.code()).isEqualTo(4413);
            assertThat(close.reason()).contains(Integer.toString(MAX_FRAME));
            assertThat(server.server().metrics().errorCount("ws", 4413)).isEqualTo(1);
            assertServed(good);
        }
    }

    @Test
    void aFragmentedMessageOverTheLimitCloses4413() {
        try (TestServer server = TestServer.start(c -> c.withMaxBodyBytes(MAX_FRAME));
             WsRecorder bad = open(server); WsRecorder good = open(server)) {
            String part = "x".repeat(MAX_FRAME / 2 + 10);
            bad.sendFragments("{\"op\":\"publish\",\"channel\":\"c\",\"data\":\"", part, part + "\"}");
            assertThat(bad.awaitClose()).isEqualTo(4413);
            assertServed(good);
        }
    }

    @Test
    void aFragmentedMessageUnderTheLimitIsOneFrame() {
        try (TestServer server = TestServer.start(c -> c.withMaxBodyBytes(MAX_FRAME)); WsRecorder ws = open(server)) {
            ws.sendFragments("{\"op\":\"pi", "ng\",\"id\":", "42}");
            assertThat(ws.awaitRef(42).path("type").asText()).isEqualTo("pong");
        }
    }

    @Test
    void idleSessionsGetPingsAndStayOpenWhileTheClientAnswers() {
        try (TestServer server = TestServer.start(c -> c.withHeartbeat(Duration.ofMillis(200)));
             WsRecorder ws = WsRecorder.connect(server.ws("/ws"))) {
            assertThat(ws.next().path("heartbeat").asDouble()).isEqualTo(0.2);
            // Five heartbeats of silence on our side: more than the two that would time the session out,
            // yet the JDK client's automatic pongs keep it alive.
            for (int i = 0; i < 5; i++) assertThat(ws.next().path("type").asText()).isEqualTo("ping");
            assertThat(ws.pings()).isGreaterThanOrEqualTo(4);
            assertServed(ws);
            assertThat(server.server().metrics().errorCount("ws", 4408)).isZero();
        }
    }

    @Test
    void aSilentClientIsClosed4408() {
        try (TestServer server = TestServer.start(c -> c.withHeartbeat(Duration.ofMillis(200)));
             WsRecorder silent = open(server); WsRecorder good = open(server)) {
            subscribe(silent, "c");
            silent.pause(); // reads nothing, so answers no ping
            Metrics metrics = server.server().metrics();
            await().atMost(Duration.ofSeconds(5)).until(() -> metrics.errorCount("ws", 4408) == 1);
            await().until(() -> server.server().hub().subscribers("c") == 0);
            silent.resume();
            JsonNode ping = silent.awaitType("ping"); // it was pinged before it was given up
            assertThat(ping).isNotNull();
            WsRecorder.Close close = silent.awaitCloseFrame();
            assertThat(close.code()).isEqualTo(4408);
            assertServed(good);
        }
    }

    @Test
    void stoppingTheServerCloses4503() {
        TestServer server = TestServer.start(c -> c.withShutdownGrace(Duration.ofSeconds(5)));
        WsRecorder a = open(server);
        WsRecorder b = open(server);
        subscribe(a, "c");
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
        WsRecorder.Close ca = a.awaitCloseFrame();
        assertThat(ca.code()).isEqualTo(4503);
        assertThat(ca.reason()).isEqualTo("server going away");
        assertThat(b.awaitClose()).isEqualTo(4503);
        // Both clients answered the close, so the stop does not wait out its grace.
        stopping.orTimeout(4, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    @Test
    void aClientThatStopsReadingIsClosed4409() {
        try (TestServer server = TestServer.start(c -> c.withHistory(new HistoryPolicy(10, Duration.ofMinutes(1))));
             WsRecorder slow = open(server); WsRecorder good = open(server)) {
            subscribe(slow, "flood");
            slow.pause();
            String data = "\"" + "x".repeat(60 * 1024) + "\"";
            Metrics metrics = server.server().metrics();
            // Far more than the socket buffers plus the 4 MiB bound; stop as soon as the bound is hit.
            for (int i = 0; i < 2000 && metrics.errorCount("ws", 4409) == 0; i++) publish(server, "flood", data);
            await().until(() -> metrics.errorCount("ws", 4409) == 1);
            assertThat(server.server().hub().subscribers("flood")).isZero();
            slow.resume();
            assertThat(slow.awaitClose()).isEqualTo(4409);
            assertServed(good);
        }
    }

    @Test
    void aClientCloseIsAnsweredWithItsCode() {
        try (TestServer server = TestServer.start(); WsRecorder ws = open(server)) {
            subscribe(ws, "c");
            ws.webSocket().sendClose(4000, "done").join();
            assertThat(ws.awaitClose()).isEqualTo(4000);
            await().until(() -> server.server().hub().subscribers("c") == 0
                    && server.server().metrics().connections("ws").get() == 0);
            assertThat(server.server().metrics().errorCount("ws", 4000)).isZero();
        }
    }
}
