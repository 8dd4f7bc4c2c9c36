package io.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A page served from another port — another server's {@code /healthz}, so another origin — loads the
 * client from the Switchboard server as an ES module and subscribes there: with the default order
 * (WebSocket) and with each transport a cross-origin page can use. Origins {@code http://127.0.0.1:*}
 * are allowed by default. The forever iframe cannot work across origins and says so. A page of an
 * origin the server does not allow gets neither the WebSocket nor CORS answers: the client ends up on
 * JSONP, which needs neither.
 */
class ClientCrossOriginTest {

    @Test
    void aPageOfAnotherOriginSubscribesPublishesAndReadsHistory() throws Exception {
        try (TestServer server = TestServer.start(); TestServer other = TestServer.start();
             BrowserScripts.Run page = BrowserScripts.run("client-cross-origin.mjs", other.http("").toString(),
                     server.http("").toString())) {
            JsonNode result = ClientTransportsTest.json(page.awaitLine(l -> l.startsWith("RESULT "), 120));
            for (String transport : List.of("default", "websocket", "sse", "stream", "longpoll", "jsonp", "poll")) {
                JsonNode r = result.path(transport);
                assertThat(r.path("origin").asText()).as(transport).isEqualTo("http://127.0.0.1:" + other.port());
                assertThat(r.path("transport").asText()).as(transport)
                        .isEqualTo(transport.equals("default") ? "websocket" : transport);
                assertThat(r.path("errors")).as(transport).isEmpty();
                assertThat(r.path("got").get(0).path("data").path("transport").asText()).isEqualTo("cross-" + transport);
                assertThat(r.path("ack").path("offset").asLong()).as(transport).isEqualTo(1);
                assertThat(r.path("history").asInt()).as(transport).isEqualTo(1);
            }
            assertThat(result.path("iframe").path("code").asText()).isEqualTo("no_transport");
            assertThat(result.path("iframe").path("state").asText()).isEqualTo("disconnected");
        }
    }

    @Test
    void aPageOfAnOriginTheServerDoesNotAllowFallsBackToJsonp() throws Exception {
        // 127.0.0.2 is loopback too, but not among the origins allowed by default (localhost, 127.0.0.1).
        try (TestServer server = TestServer.start(); TestServer other = TestServer.start(c -> c.withHost("127.0.0.2"));
             BrowserScripts.Run page = BrowserScripts.run("client-no-cors.mjs", other.http("").toString(),
                     server.http("").toString(), "no-cors")) {
            JsonNode connected = ClientTransportsTest.json(page.awaitLine(l -> l.startsWith("CONNECTED "), 90));
            assertThat(connected.path("transport").asText()).isEqualTo("jsonp");
            assertThat(server.server().metrics().errorCount("ws", 403)).as("the WebSocket was refused first").isPositive();
            server.publish("no-cors", "{\"n\":1}");
            JsonNode result = ClientTransportsTest.json(page.awaitLine(l -> l.startsWith("RESULT "), 30));
            assertThat(result.path("got").get(0).path("data").path("n").asInt()).isEqualTo(1);
            assertThat(result.path("publish").asText()).as("POST /send refuses a foreign origin").isEqualTo("network");
        }
    }
}
