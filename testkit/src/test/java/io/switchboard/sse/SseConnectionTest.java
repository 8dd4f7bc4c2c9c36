package io.switchboard.sse;

import static io.switchboard.sse.InProcess.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What an {@code /sse} stream does to its connection, seen from a raw socket: requests pipelined behind
 * the stream are not served, and a reader that stops reading is cut off instead of growing the server's
 * memory.
 */
class SseConnectionTest {

    @Test
    void doesNotServeRequestsPipelinedBehindTheStream() throws IOException {
        try (TestServer server = TestServer.start(); Socket socket = connect(server)) {
            socket.getOutputStream().write(("GET /sse?channel=news HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder seen = new StringBuilder();
            readUntil(socket.getInputStream(), seen, "id: ");
            publish(server, "news", "{\"n\":1}");
            readUntil(socket.getInputStream(), seen, "event: message");

            String text = seen.toString();
            assertThat(text).startsWith("HTTP/1.1 200 OK");
            assertThat(text.split("HTTP/1\\.1 ", -1)).as("one answer on the connection").hasSize(2);
            // The stream is unharmed, and the server still serves a fresh connection.
            try (SseRecorder other = SseRecorder.open(server.http("/sse?channel=news"))) {
                assertThat(other.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void cutsOffAReaderThatStopsReading() throws IOException {
        try (TestServer server = TestServer.start(); Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /sse?channel=flood HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            readUntil(socket.getInputStream(), new StringBuilder(), "id: ");
            var hub = server.server().hub();
            assertThat(hub.subscribers("flood")).isEqualTo(1);

            // Stop reading; publish until the server gives up on us (4 MiB queued, plus kernel buffers).
            String big = "\"" + "x".repeat(60_000) + "\"";
            for (int i = 0; i < 2_000 && hub.subscribers("flood") > 0; i++) publish(server, "flood", big);
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscribers("flood") == 0);
            assertThat(server.server().metrics().connections("sse").get()).isZero();

            // The connection really is closed: what was in flight drains, then end of stream.
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[64 * 1024];
            while (in.read(buf) >= 0) {
                // discard
            }
            try (SseRecorder other = SseRecorder.open(server.http("/sse?channel=flood"))) {
                other.awaitLastEventId(id -> !id.isEmpty());
                assertThat(hub.subscribers("flood")).isEqualTo(1);
            }
        }
    }

    private static Socket connect(TestServer server) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        socket.setSoTimeout(5000);
        return socket;
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
