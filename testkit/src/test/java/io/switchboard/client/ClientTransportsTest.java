package io.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.message.Publication;
import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every transport of the JavaScript client, forced one at a time, in headless Chromium against the real
 * server: it subscribes, receives what the server API publishes, publishes itself (over the WebSocket,
 * or {@code POST /send}) and, after the server drops every connection while more is published, resumes:
 * the page gets messages 1 to 7 once each, in order. A channel the server refuses ends only its own
 * subscription, with the server's status; a presence request is refused (no tokens yet) and says so.
 */
class ClientTransportsTest {
    /**
     * Transports that must notice the drop. Chromium itself retries a parked long-poll or JSONP request on
     * a fresh connection when its reused one closes before any answer, and a poll sits between requests,
     * so for those the drop may pass unseen; either way nothing may be lost or doubled. The iframe's page
     * only stalls (no load event after a cut chunked answer): its heartbeat watchdog must notice.
     */
    private static final Set<String> RECONNECTS = Set.of("websocket", "sse", "stream", "iframe");

    /** A short heartbeat, so the client's idle watchdog (idleTimeout below) can notice a silent drop quickly. */
    @RegisterExtension
    static final TestServer server = TestServer.start(c -> c.withHeartbeat(Duration.ofSeconds(1)));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "sse", "stream", "longpoll", "jsonp", "iframe", "poll"})
    void subscribeReceivePublishAndResumeAfterTheServerDropsTheConnection(String transport) throws Exception {
        String channel = "room-" + transport;
        try (BrowserScripts.Run page = BrowserScripts.run("client-transport.mjs",
                server.http("").toString(), transport, channel, "{\"idleTimeout\":3500}")) {
            page.awaitLine("CONNECTED " + transport, 60);
            // Connected is not yet subscribed: wait until the server holds the subscription (see ClientOfflineTest).
            await().atMost(Duration.ofSeconds(30)).until(() -> server.server().hub().subscribers(channel) >= 1);
            for (int i = 1; i <= 3; i++) server.publish(channel, "{\"n\":" + i + "}");

            JsonNode ack = json(page.awaitLine(l -> l.startsWith("PUBLISHED "), 30));
            assertThat(ack.path("offset").asLong()).isEqualTo(4);
            assertThat(ack.path("epoch").asText()).isNotEmpty();

            int dropped = server.server().context().connections().dropAll();
            assertThat(dropped).isPositive();
            for (int i = 5; i <= 7; i++) {
                // In-process: the test's own HTTP connections were just dropped too.
                server.server().hub().publish(new Publication(channel, "message",
                        ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), null)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            }

            JsonNode result = json(page.awaitLine(l -> l.startsWith("RESULT "), 60));
            List<Long> offsets = new ArrayList<>();
            result.path("got").forEach(m -> offsets.add(m.path("offset").asLong()));
            assertThat(offsets).as("every message once, in order").containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
            for (JsonNode m : result.path("got")) {
                assertThat(m.path("data").path("n").asLong()).isEqualTo(m.path("offset").asLong());
                assertThat(m.path("event").asText()).isEqualTo(m.path("offset").asLong() == 4 ? "from-page" : "message");
            }
            assertThat(result.path("transport").asText()).isEqualTo(transport);
            assertThat(result.path("errors").toString()).as("only the refused channel, with the server's status")
                    .isEqualTo("[\"refused private-" + channel + " 401 unauthorized\"]");
            assertThat(result.path("presence").asText()).as("presence is refused until tokens land").isEqualTo("401 unauthorized");
            List<String> states = new ArrayList<>();
            result.path("states").forEach(s -> states.add(s.asText()));
            assertThat(states).startsWith("connecting", "connected:" + transport);
            if (RECONNECTS.contains(transport)) {
                assertThat(states).as("the drop was noticed and survived")
                        .containsSubsequence("connected:" + transport, "reconnecting", "connected:" + transport);
            }
            assertThat(states.get(states.size() - 1)).isEqualTo("connected:" + transport);
        }
    }

    static JsonNode json(String line) throws Exception {
        return new ObjectMapper().readTree(line.substring(line.indexOf(' ') + 1));
    }
}
