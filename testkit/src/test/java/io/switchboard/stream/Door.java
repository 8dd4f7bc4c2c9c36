package io.switchboard.stream;

import io.switchboard.core.message.Message;
import io.switchboard.core.message.Publication;
import io.switchboard.testkit.StreamRecorder;
import io.switchboard.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The two Comet streaming doors, so each test runs against both with one body. */
enum Door {
    STREAM("stream", null),
    IFRAME("iframe", "parent.sb_1");

    final String name;
    /** The iframe's callback (a dotted one, as pages use); null for {@code /stream}. */
    final String callback;

    Door(String name, String callback) {
        this.name = name;
        this.callback = callback;
    }

    /** {@code /stream?QUERY} or {@code /iframe?QUERY&callback=F}. */
    String path(String query) {
        return "/" + name + "?" + query + (callback == null ? "" : "&callback=" + callback);
    }

    StreamRecorder open(TestServer server, String query) {
        return open(server, query, Map.of());
    }

    StreamRecorder open(TestServer server, String query, Map<String, String> headers) {
        return StreamRecorder.open(server.port(), path(query), headers, callback);
    }

    @Override
    public String toString() {
        return "/" + name;
    }

    // ---- publishing the way an embedding Java program does, so these tests exercise the doors alone ----

    static Message publish(TestServer server, String channel, String dataJson) {
        return server.server().hub()
                .publish(new Publication(channel, "message", dataJson.getBytes(StandardCharsets.UTF_8), null))
                .toCompletableFuture().join();
    }

    /** Publishes {@code {"n":from}} … {@code {"n":from+count-1}} to {@code channel}, in order. */
    static List<Message> publishMany(TestServer server, String channel, int from, int count) {
        List<Message> sent = new ArrayList<>();
        for (int n = from; n < from + count; n++) sent.add(publish(server, channel, "{\"n\":" + n + "}"));
        return sent;
    }
}
