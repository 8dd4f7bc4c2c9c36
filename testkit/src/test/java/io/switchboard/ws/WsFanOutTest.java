package io.switchboard.ws;

import static io.switchboard.ws.WsTests.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.EventLoop;
import io.switchboard.core.message.ItemJson;
import io.switchboard.core.message.Publication;
import io.switchboard.server.codec.NativeFormats;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The key test: one publish to a channel with 2,000 WebSocket subscribers spread over the event
 * loops is serialized once per wire format and reaches all 2,000.
 */
class WsFanOutTest {
    private static final int SUBSCRIBERS = 2000;

    @Test
    void onePublishToTwoThousandSubscribersIsEncodedOnceAndReachesAll() throws Exception {
        ExecutorService callbacks = Executors.newFixedThreadPool(4);
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) clients.add(HttpClient.newBuilder().executor(callbacks).build());
        List<WsRecorder> subscribers = new ArrayList<>(SUBSCRIBERS);
        try (TestServer server = TestServer.start()) {
            List<CompletableFuture<WsRecorder>> opening = new ArrayList<>(SUBSCRIBERS);
            for (int i = 0; i < SUBSCRIBERS; i++) {
                opening.add(WsRecorder.connectAsync(clients.get(i % clients.size()), server.ws("/ws"), null)
                        .thenCompose(ws -> ws.webSocket()
                                .sendText("{\"op\":\"subscribe\",\"channel\":\"fan\",\"id\":1}", true)
                                .thenApply(sent -> ws)));
            }
            CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            for (CompletableFuture<WsRecorder> f : opening) subscribers.add(f.join());
            for (WsRecorder ws : subscribers) {
                assertThat(ws.next().path("type").asText()).isEqualTo("welcome");
                assertThat(ws.next().path("type").asText()).isEqualTo("subscribed");
            }
            assertThat(server.server().hub().subscribers("fan")).isEqualTo(SUBSCRIBERS);

            Map<EventLoop, Integer> perLoop = server.server().context().connections().perLoop();
            assertThat(perLoop.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(SUBSCRIBERS);
            assertThat(perLoop).as("connections per event loop").hasSizeGreaterThan(1);
            assertThat(perLoop.size()).isEqualTo(server.server().context().loops().size());

            try (WsRecorder publisher = open(server)) {
                long framesBefore = NativeFormats.WS_FRAME.encodings();
                long itemsBefore = ItemJson.FORMAT.encodings();
                publisher.send("{\"op\":\"publish\",\"channel\":\"fan\",\"event\":\"wave\",\"data\":{\"hello\":\"all\"},\"id\":1}");
                JsonNode ack = publisher.awaitRef(1);
                assertThat(ack.path("type").asText()).isEqualTo("ack");

                for (WsRecorder ws : subscribers) {
                    JsonNode message = ws.next();
                    assertThat(message.path("type").asText()).isEqualTo("message");
                    assertThat(message.path("event").asText()).isEqualTo("wave");
                    assertThat(message.path("data").path("hello").asText()).isEqualTo("all");
                    assertThat(message.path("offset").asLong()).isEqualTo(ack.path("offset").asLong());
                }
                assertThat(NativeFormats.WS_FRAME.encodings() - framesBefore).isEqualTo(1);
                assertThat(ItemJson.FORMAT.encodings() - itemsBefore).isEqualTo(1);
            }
        } finally {
            for (WsRecorder ws : subscribers) ws.abort();
            callbacks.shutdownNow();
        }
    }

    /**
     * Messages that wait for busy event loops go out as runs (one shared buffer of all their frames per
     * subscriber): every subscriber still gets every message once, whole and in order, and each is counted.
     */
    @Test
    void aBurstWaitingForBusyLoopsReachesEverySubscriberWholeOnceAndInOrder() throws Exception {
        int subscribers = 40;
        int burst = 25;
        List<WsRecorder> all = new ArrayList<>();
        try (TestServer server = TestServer.start()) {
            for (int i = 0; i < subscribers; i++) {
                WsRecorder ws = open(server);
                ws.send("{\"op\":\"subscribe\",\"channel\":\"burst\",\"id\":1}");
                ws.awaitRef(1);
                all.add(ws);
            }
            double deliveredBefore = server.server().metrics().registry().get("switchboard.messages.delivered").counter().count();
            Set<EventLoop> loops = server.server().context().connections().perLoop().keySet();
            CountDownLatch release = new CountDownLatch(1);
            for (EventLoop loop : loops) loop.execute(() -> awaitQuietly(release));
            for (int i = 1; i <= burst; i++) {
                server.server().hub().publish(new Publication("burst", "message",
                        ("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i * 7) + "\"}").getBytes(StandardCharsets.UTF_8), null))
                        .toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            release.countDown();

            for (WsRecorder ws : all) {
                for (int i = 1; i <= burst; i++) {
                    JsonNode m = ws.next();
                    assertThat(m.path("type").asText()).isEqualTo("message");
                    assertThat(m.path("offset").asLong()).isEqualTo(i);
                    assertThat(m.path("data").path("n").asInt()).isEqualTo(i);
                    assertThat(m.path("data").path("pad").asText()).hasSize(i * 7);
                }
            }
            await().untilAsserted(() -> assertThat(server.server().metrics().registry().get("switchboard.messages.delivered")
                    .counter().count() - deliveredBefore).isEqualTo(subscribers * burst));
        } finally {
            for (WsRecorder ws : all) ws.abort();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
