package io.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The client falls back by itself, in Chromium: with the WebSocket door disabled on the server it lands
 * on SSE without the app doing anything; with SSE disabled too, on streaming; and so on down the default
 * order to plain polling — each time subscribing, publishing and receiving. The page uses the classic
 * script build ({@code /switchboard.global.js}).
 */
class ClientFallbackTest {
    /** The default transport order and the door each one needs (longpoll: waiting on /poll). */
    private static final List<String> TRANSPORTS = List.of("websocket", "sse", "stream", "longpoll", "jsonp", "iframe", "poll");
    private static final List<String> DOORS = List.of("ws", "sse", "stream", "longpoll", "jsonp", "iframe", "poll");

    @Test
    void withEachDoorDisabledInTurnTheClientLandsOnTheNextTransport() throws Exception {
        List<TestServer> servers = new ArrayList<>();
        try {
            List<String> urls = new ArrayList<>();
            for (int k = 0; k < TRANSPORTS.size(); k++) {
                Set<String> disabled = new HashSet<>(DOORS.subList(0, k));
                servers.add(TestServer.start(c -> c.withDisabledDoors(disabled)));
                urls.add(servers.get(k).http("").toString());
            }
            try (BrowserScripts.Run page = BrowserScripts.run("client-fallback.mjs", urls.toArray(String[]::new))) {
                for (int k = 0; k < TRANSPORTS.size(); k++) {
                    String line = page.awaitLine(l -> l.startsWith("LANDED "), 90);
                    assertThat(line).startsWith("LANDED " + k + " ");
                    JsonNode result = ClientTransportsTest.json(line.substring(("LANDED " + k).length()));
                    String expected = TRANSPORTS.get(k);
                    assertThat(result.path("transport").asText()).as("with %s disabled", DOORS.subList(0, k)).isEqualTo(expected);
                    assertThat(result.path("states").toString()).isEqualTo("[\"connecting\",\"connected:" + expected + "\"]");
                    JsonNode got = result.path("got").get(0);
                    assertThat(got.path("event").asText()).isEqualTo("hello");
                    assertThat(got.path("data").path("from").asText()).isEqualTo("page");
                    assertThat(got.path("offset").asLong()).isEqualTo(1);
                    assertThat(result.path("errors")).isEmpty();
                    if (k > 0) {
                        String label = DOORS.get(k - 1).equals("longpoll") ? "poll" : DOORS.get(k - 1); // /poll's metrics
                        assertThat(servers.get(k).server().metrics().errorCount(label, 404))
                                .as("the client did try the disabled %s door", DOORS.get(k - 1)).isPositive();
                    }
                }
            }
        } finally {
            servers.forEach(TestServer::close);
        }
    }
}
