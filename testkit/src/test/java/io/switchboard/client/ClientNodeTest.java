package io.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client in Node against the real server: the default order skips what Node lacks (no DOM for JSONP
 * and the iframe; the WebSocket global only from Node 22) and every fetch-based transport subscribes,
 * publishes ({@code POST /send}) and receives.
 */
class ClientNodeTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();

    @Test
    void nodeClientsSubscribePublishAndReceiveOverEveryFetchTransport() throws Exception {
        try (BrowserScripts.Run node = BrowserScripts.run("client-node.mjs", server.http("").toString())) {
            JsonNode ready = ClientTransportsTest.json(node.awaitLine(l -> l.startsWith("READY "), 60));
            assertThat(ready.path("node-default").asText()).isIn("websocket", "sse"); // websocket on Node 22+
            for (String t : List.of("sse", "stream", "longpoll", "poll")) {
                assertThat(ready.path("node-" + t).asText()).isEqualTo(t);
            }
            for (String t : List.of("default", "sse", "stream", "longpoll", "poll")) {
                server.publish("node-" + t, "{\"from\":\"server\"}");
            }
            JsonNode result = ClientTransportsTest.json(node.awaitLine(l -> l.startsWith("RESULT "), 60));
            for (String t : List.of("default", "sse", "stream", "longpoll", "poll")) {
                List<Long> offsets = new ArrayList<>();
                List<String> events = new ArrayList<>();
                result.path(t).forEach(m -> {
                    offsets.add(m.path("offset").asLong());
                    events.add(m.path("event").asText());
                });
                assertThat(offsets).as(t).containsExactly(1L, 2L);
                assertThat(events).as(t).containsExactlyInAnyOrder("from-node", "message");
            }
        }
    }
}
