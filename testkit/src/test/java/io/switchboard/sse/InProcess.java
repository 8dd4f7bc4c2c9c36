package io.switchboard.sse;

import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.message.Publication;
import io.switchboard.testkit.TestServer;
import java.nio.charset.StandardCharsets;

/**
 * Publishes the way a Java program embedding the server does, straight into the Hub, so the SSE tests
 * exercise the SSE door alone and not the server API as well.
 */
final class InProcess {
    private InProcess() {}

    static Message publish(TestServer server, String channel, String event, String dataJson) {
        return server.server().hub()
                .publish(new Publication(channel, event, dataJson.getBytes(StandardCharsets.UTF_8), null))
                .toCompletableFuture().join();
    }

    static Message publish(TestServer server, String channel, String dataJson) {
        return publish(server, channel, "message", dataJson);
    }

    static Position position(TestServer server, String channel) {
        return server.server().hub().position(channel).toCompletableFuture().join();
    }
}
