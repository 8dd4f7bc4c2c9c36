package io.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sleep and network loss, in Chromium: the page is taken offline (Playwright's offline mode) while
 * messages are published; when it is back the app has every message once, in order — with the default
 * transport order and with each transport forced.
 */
class ClientOfflineTest {
    private static final int COUNT = 8;

    @RegisterExtension
    static final TestServer server = TestServer.start();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"default", "websocket", "sse", "stream", "longpoll", "jsonp", "iframe", "poll"})
    void messagesPublishedWhileOfflineAllArriveOnceInOrderWhenBackOnline(String transport) throws Exception {
        String channel = "offline-" + transport;
        try (BrowserScripts.Run page = BrowserScripts.run("client-offline.mjs", server.http("").toString(), transport,
                channel, String.valueOf(COUNT))) {
            String connected = page.awaitLine(l -> l.startsWith("CONNECTED "), 60);
            assertThat(connected).isEqualTo("CONNECTED " + (transport.equals("default") ? "websocket" : transport));
            // Connected is not yet subscribed: a message published before the subscription is in place is,
            // rightly, not this client's (it subscribed from now). Wait until the server holds it.
            await().atMost(Duration.ofSeconds(30)).until(() -> server.server().hub().subscribers(channel) >= 1);
            server.publish(channel, "{\"n\":1}");
            server.publish(channel, "{\"n\":2}");

            JsonNode offline = ClientTransportsTest.json(page.awaitLine(l -> l.startsWith("OFFLINE "), 30));
            assertThat(offline.path("onLine").asBoolean()).isFalse();
            for (int i = 3; i <= COUNT; i++) server.publish(channel, "{\"n\":" + i + "}");

            JsonNode result = ClientTransportsTest.json(page.awaitLine(l -> l.startsWith("RESULT "), 60));
            List<Long> offsets = new ArrayList<>();
            result.path("got").forEach(m -> offsets.add(m.path("offset").asLong()));
            assertThat(offsets).as("every message once, in order").containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
            result.path("got").forEach(m -> assertThat(m.path("data").path("n").asLong()).isEqualTo(m.path("offset").asLong()));
            List<String> states = new ArrayList<>();
            result.path("states").forEach(s -> states.add(s.asText()));
            String name = connected.substring("CONNECTED ".length());
            assertThat(states).containsSubsequence("connected:" + name, "reconnecting", "connected:" + name);
            assertThat(result.path("transport").asText()).isEqualTo(name);
        }
    }
}
