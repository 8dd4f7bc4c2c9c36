package io.switchboard.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.hub.Hub;
import io.switchboard.testkit.StreamRecorder;
import io.switchboard.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The life of a Comet stream's connection and session: a client that leaves mid-stream leaves nothing
 * behind, a graceful stop ends the stream with a 503 error item, a session left by a capped stream
 * expires, requests pipelined behind a stream are not served, and a reader that stops reading is cut off.
 */
class StreamConnectionTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Door.class)
    void aClientThatLeavesMidStreamLeavesNothingBehind(Door door) {
        try (TestServer server = TestServer.start()) {
            var context = server.server().context();
            Hub hub = server.server().hub();
            try (StreamRecorder r = door.open(server, "channel=news&channel=sport")) {
                r.awaitItem("open");
                Door.publish(server, "news", "{\"n\":1}");
                r.awaitItem("message");
                assertThat(context.sessions().size()).isEqualTo(1);
                assertThat(hub.subscribers("news")).isEqualTo(1);
                assertThat(hub.subscribers("sport")).isEqualTo(1);
                assertThat(server.server().metrics().connections(door.name).get()).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> context.sessions().size() == 0
                    && hub.subscribers("news") == 0 && hub.subscribers("sport") == 0);
            assertThat(server.server().metrics().connections(door.name).get()).isZero();
            // Publishing to the channels the client left reaches nobody and breaks nothing.
            Door.publish(server, "news", "{\"n\":2}");
            try (StreamRecorder again = door.open(server, "channel=news")) {
                again.awaitItem("open");
                assertThat(hub.subscribers("news")).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Door.class)
    void aClientThatLeavesAfterResumingOnAnotherConnectionLeavesNothingBehind(Door door) {
        try (TestServer server = TestServer.start(c -> c.withSessions(c.sessions().withStreamBytes(1)))) {
            var context = server.server().context();
            String session;
            String cursor;
            try (StreamRecorder first = door.open(server, "channel=news")) {
                session = first.session();
                Door.publish(server, "news", "{\"n\":1}");
                first.awaitEnd(); // a one-byte cap: the answer ends after its first item
                assertThat(first.lastChunk()).isTrue();
                cursor = first.cursor(List.of("news"));
            }
            // Detached, not ended: the session waits for the client to come back.
            assertThat(context.sessions().find(session)).isNotNull();
            // Many connections, so some land on another loop than the session's.
            for (int n = 2; n < 6; n++) {
                Door.publish(server, "news", "{\"n\":" + n + "}");
                try (StreamRecorder next = door.open(server, "channel=news&session=" + session + "&since=" + cursor)) {
                    assertThat(next.awaitItem("message").get("data").get("n").asInt()).isEqualTo(n);
                    next.awaitEnd();
                    assertThat(next.lastChunk()).isTrue();
                    cursor = next.cursor(List.of("news"));
                }
                assertThat(context.sessions().find(session)).isNotNull();
            }
            StreamRecorder last = door.open(server, "channel=news&session=" + session + "&since=" + cursor);
            last.awaitItem("open");
            last.close(); // gone before its item: the session ends with the connection
            await().atMost(Duration.ofSeconds(5)).until(() -> context.sessions().size() == 0
                    && server.server().hub().subscribers("news") == 0);
            assertThat(server.server().metrics().connections(door.name).get()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Door.class)
    void aSessionWhoseStreamEndedAtTheCapExpiresWhenTheClientNeverComesBack(Door door) {
        try (TestServer server = TestServer.start(c -> c.withSessions(
                c.sessions().withStreamBytes(1).withIdleTimeout(Duration.ofMillis(300))))) {
            try (StreamRecorder r = door.open(server, "channel=news")) {
                r.awaitItem("open");
                Door.publish(server, "news", "{\"n\":1}");
                r.awaitEnd();
                assertThat(r.lastChunk()).isTrue();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.server().context().sessions().size() == 0
                    && server.server().hub().subscribers("news") == 0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Door.class)
    void aGracefulStopEndsTheStreamWithA503ErrorItem(Door door) {
        TestServer server = TestServer.start(c -> c.withShutdownGrace(Duration.ofSeconds(10)));
        try (StreamRecorder r = door.open(server, "channel=news")) {
            r.awaitItem("open");
            long started = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            JsonNode error = r.awaitItem("error");
            assertThat(error.get("code").asInt()).isEqualTo(503);
            assertThat(error.get("reason").asText()).isNotBlank();
            r.awaitEnd();
            assertThat(r.lastChunk()).as("the body ends properly").isTrue();
            assertThat(r.items()).extracting(i -> i.get("type").asText()).containsExactly("open", "error");
            closing.join();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the stream did not hold up the stop")
                    .isLessThan(Duration.ofSeconds(5));
        } finally {
            server.close();
        }
    }

    @Test
    void doesNotServeRequestsPipelinedBehindTheStream() throws IOException {
        try (TestServer server = TestServer.start(); Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /stream?channel=news HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder seen = new StringBuilder();
            readUntil(socket.getInputStream(), seen, "\"type\":\"open\"");
            Door.publish(server, "news", "{\"n\":1}");
            readUntil(socket.getInputStream(), seen, "\"type\":\"message\"");

            String text = seen.toString();
            assertThat(text).startsWith("HTTP/1.1 200 OK");
            assertThat(text.split("HTTP/1\\.1 ", -1)).as("one answer on the connection").hasSize(2);
            try (StreamRecorder other = Door.STREAM.open(server, "channel=news")) {
                assertThat(other.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void cutsOffAReaderThatStopsReadingBeforeTheCap() throws IOException {
        // A cap above the outbound bound (outbound-bytes, 1 MiB), so that the bound is what stops the stream.
        try (TestServer server = TestServer.start(c -> c.withSessions(c.sessions().withStreamBytes(64 << 20)));
             Socket socket = openUnread(server, "flood")) {
            Hub hub = server.server().hub();
            assertThat(hub.subscribers("flood")).isEqualTo(1);

            // Stop reading; publish until the server gives up on us (1 MiB queued, plus kernel buffers).
            String big = "\"" + "x".repeat(60_000) + "\"";
            for (int i = 0; i < 2_000 && hub.subscribers("flood") > 0; i++) Door.publish(server, "flood", big);
            // Cut off, the client is gone: its session ends with the connection.
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscribers("flood") == 0
                    && server.server().context().sessions().size() == 0);
            assertThat(server.server().metrics().connections("stream").get()).isZero();
            assertClosed(socket);
            try (StreamRecorder other = Door.STREAM.open(server, "channel=flood")) {
                other.awaitItem("open");
                assertThat(hub.subscribers("flood")).isEqualTo(1);
            }
        }
    }

    @Test
    void closesAnAnswerEndedAtTheCapThatTheReaderDoesNotTake() throws IOException {
        // A cap of 512 KiB ends the answer before the outbound bound (1 MiB) is reached (the cut-off rule);
        // what is left stays queued for a reader that does not read, until a heartbeat later the
        // connection is closed anyway.
        Duration heartbeat = Duration.ofMillis(1500);
        try (TestServer server = TestServer.start(c -> c.withHeartbeat(heartbeat)
                .withSessions(c.sessions().withStreamBytes(512 << 10)));
             Socket socket = openUnread(server, "flood")) {
            String big = "\"" + "x".repeat(60_000) + "\"";
            for (int i = 0; i < 100; i++) Door.publish(server, "flood", big);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.server().metrics().connections("stream").get() == 0);
            // Not reading: the server closes the connection all the same.
            await().atMost(Duration.ofSeconds(10)).until(() -> server.server().context().connections().size() == 0);
            assertClosed(socket);
            assertThat(server.server().context().sessions().size()).as("detached, waiting for the client").isEqualTo(1);
        }
    }

    /** A socket with a small receive buffer that has read {@code /stream}'s head and open item, and no more. */
    private static Socket openUnread(TestServer server, String channel) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET /stream?channel=" + channel + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        readUntil(socket.getInputStream(), new StringBuilder(), "\"type\":\"open\"");
        return socket;
    }

    /** The connection really is closed: what was in flight drains, then end of stream. */
    private static void assertClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[64 * 1024];
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    /** Reads into {@code seen} until it contains {@code marker} (after what it held before). */
    private static void readUntil(InputStream in, StringBuilder seen, String marker) throws IOException {
        int from = seen.length();
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        while (seen.indexOf(marker, from) < 0) {
            int b = in.read();
            if (b < 0) throw new AssertionError("connection ended before '" + marker + "'; got: " + seen);
            chunk.write(b);
            seen.setLength(from);
            seen.append(chunk.toString(StandardCharsets.UTF_8));
        }
    }
}
