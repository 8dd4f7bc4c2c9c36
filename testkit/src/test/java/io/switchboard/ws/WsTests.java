package io.switchboard.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Publication;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.nio.charset.StandardCharsets;

/** Small steps the WebSocket tests share. */
final class WsTests {
    private WsTests() {}

    /** Connects to {@code /ws} and takes the welcome. */
    static WsRecorder open(TestServer server) {
        WsRecorder ws = WsRecorder.connect(server.ws("/ws"));
        JsonNode welcome = ws.next();
        if (!"welcome".equals(welcome.path("type").asText())) throw new AssertionError("first frame: " + welcome);
        return ws;
    }

    /** Subscribes from now and returns the {@code subscribed} answer. */
    static JsonNode subscribe(WsRecorder ws, String channel) {
        ws.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}");
        return ws.awaitItem(i -> "subscribed".equals(i.path("type").asText()) && channel.equals(i.path("channel").asText()));
    }

    /** Publishes in-process through the Hub (the server API is another door). */
    static Message publish(TestServer server, String channel, String dataJson) {
        return server.server().hub()
                .publish(new Publication(channel, "message", dataJson.getBytes(StandardCharsets.UTF_8), null))
                .toCompletableFuture().join();
    }

    /** Fails unless {@code ws} still answers a ping op. */
    static void assertServed(WsRecorder ws) {
        ws.send("{\"op\":\"ping\",\"id\":\"still-there\"}");
        JsonNode pong = ws.awaitItem(i -> "still-there".equals(i.path("ref").asText()));
        if (!"pong".equals(pong.path("type").asText())) throw new AssertionError("expected a pong: " + pong);
    }
}
