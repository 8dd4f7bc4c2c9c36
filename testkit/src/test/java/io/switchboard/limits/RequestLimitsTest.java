package io.switchboard.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.testkit.RawHttp;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Limits on what one connection sends: messages a second (WebSocket {@code 4429}, HTTP {@code 429}), the
 * request line and header sizes ({@code 414}, {@code 431}), the time a request may take to arrive
 * ({@code 408}) and the idle timeout.
 */
class RequestLimitsTest {

    @Test
    void a_websocket_sending_faster_than_its_rate_is_closed_4429_and_others_keep_being_served() {
        try (TestServer server = ConnectionLimitsTest.start(l -> l.withMessagesPerSecond(5, 5));
             WsRecorder flood = WsRecorder.connect(server.ws("/ws"));
             WsRecorder calm = WsRecorder.connect(server.ws("/ws"))) {
            calm.awaitType("welcome");
            calm.send("{\"op\":\"subscribe\",\"channel\":\"news\",\"id\":1}").awaitType("subscribed");
            flood.awaitType("welcome");
            for (int i = 0; i < 20 && !flood.isClosed(); i++) flood.send("{\"op\":\"ping\",\"id\":" + i + "}");

            WsRecorder.Close close = flood.awaitCloseFrame();
            assertThat(close.code()).isEqualTo(4429);
            assertThat(close.reason()).contains("5 frames a second");
            assertThat(server.server().metrics().errorCount("ws", 4429)).isEqualTo(1);

            server.publish("news", "{\"n\":1}");
            assertThat(calm.awaitType("message").get("data").get("n").asInt()).isEqualTo(1);
        }
    }

    @Test
    void http_requests_past_the_rate_of_one_connection_get_429_but_the_server_api_does_not() throws Exception {
        try (TestServer server = ConnectionLimitsTest.start(l -> l.withMessagesPerSecond(2, 3));
             Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            int limited = 0;
            for (int i = 0; i < 6; i++) {
                RawHttp.Answer a = send(s, "GET /history?channel=news HTTP/1.1\r\nHost: x\r\n\r\n");
                if (a.status() == 429) {
                    limited++;
                    assertThat(a.body()).contains("\"error\":\"rate_limited\"");
                    assertThat(a.headers()).containsEntry("retry-after", "1");
                }
            }
            assertThat(limited).as("6 requests at once against a burst of 3").isBetween(2, 3);
            assertThat(server.server().metrics().errorCount("history", 429)).isEqualTo(limited);

            for (int i = 0; i < 10; i++) {
                RawHttp.Answer a = send(s, "GET /api/channels HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                        + server.apiKey() + "\r\n\r\n");
                assertThat(a.status()).as("the server API is not rate limited").isEqualTo(200);
            }
        }
    }

    @Test
    void a_request_line_past_the_limit_is_414_and_headers_past_theirs_are_431() throws Exception {
        try (TestServer server = ConnectionLimitsTest.start(l -> l.withMaxUrlBytes(1024).withMaxHeaderBytes(2048))) {
            RawHttp.Answer longUrl = RawHttp.exchange(server.port(),
                    "GET /history?channel=" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n", null);
            assertThat(longUrl.status()).isEqualTo(414);
            assertThat(longUrl.body()).contains("\"error\":\"uri_too_long\"");

            RawHttp.Answer bigHeaders = RawHttp.exchange(server.port(),
                    "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Junk: " + "b".repeat(3000) + "\r\n\r\n", null);
            assertThat(bigHeaders.status()).isEqualTo(431);
            assertThat(bigHeaders.body()).contains("\"error\":\"headers_too_large\"");

            assertThat(server.server().metrics().errorCount("http", 414)).isEqualTo(1);
            assertThat(server.server().metrics().errorCount("http", 431)).isEqualTo(1);
            assertThat(RawHttp.exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", null).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void a_trickled_request_is_answered_408_after_the_request_timeout_while_others_are_served() throws Exception {
        try (TestServer server = ConnectionLimitsTest.start(l -> l.withRequestTimeout(Duration.ofMillis(1500)));
             Socket slow = new Socket("127.0.0.1", server.port())) {
            slow.setSoTimeout(10_000);
            var out = slow.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            // One header byte every 200 ms: each read keeps the connection active, none completes the request.
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 50; i++) {
                        out.write('X');
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection: what we wait for
                }
            });
            trickle.start();
            assertThat(RawHttp.exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", null).status())
                    .as("a well-behaved client meanwhile").isEqualTo(200);

            RawHttp.Answer answer = RawHttp.read(slow.getInputStream());
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.body()).contains("\"error\":\"request_timeout\"");
            assertThat(tookMillis).as("the timeout plus at most one sweep").isBetween(1400L, 4000L);
            assertThat(slow.getInputStream().read()).as("then the connection closes").isEqualTo(-1);
            trickle.interrupt();
            trickle.join();
            assertThat(server.server().metrics().errorCount("http", 408)).isEqualTo(1);
        }
    }

    @Test
    void a_silent_keep_alive_connection_is_closed_after_the_idle_timeout_but_a_stream_with_heartbeats_is_not()
            throws Exception {
        try (TestServer server = TestServer.start(c -> c.withHeartbeat(Duration.ofMillis(500))
                .withLimits(c.limits().withIdleTimeout(Duration.ofSeconds(2))));
             Socket idle = new Socket("127.0.0.1", server.port());
             Socket sse = new Socket("127.0.0.1", server.port())) {
            idle.setSoTimeout(10_000);
            sse.setSoTimeout(10_000);
            assertThat(ConnectionLimitsTest.answer(idle).status()).isEqualTo(200);
            sse.getOutputStream().write("GET /sse?channel=news HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream sseIn = sse.getInputStream();
            assertThat(sseIn.read()).isNotNegative();

            long start = System.nanoTime();
            assertThat(idle.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1000L, 5000L);
            assertThat(server.server().metrics().registry().get("switchboard.connections.idle.closed").counter().count())
                    .isGreaterThanOrEqualTo(1);

            server.publish("news", "{\"n\":42}");
            String seen = readUntil(sseIn, "\"n\":42");
            assertThat(seen).as("the stream outlived the idle timeout").contains("\"n\":42");
        }
    }

    @Test
    void a_long_poll_asking_to_wait_longer_than_the_idle_timeout_is_answered_before_it() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withHeartbeat(Duration.ofMillis(500))
                .withLimits(c.limits().withIdleTimeout(Duration.ofSeconds(3))))) {
            long start = System.nanoTime();
            RawHttp.Answer a = RawHttp.exchange(server.port(), "GET /poll?channel=news&wait=30 HTTP/1.1\r\nHost: x\r\n\r\n", null);
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).contains("\"messages\":[]");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1500L, 3000L);
        }
    }

    private static RawHttp.Answer send(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return RawHttp.read(s.getInputStream());
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().contains(marker)) {
            int b = in.read();
            if (b < 0) break;
            sb.append((char) b);
        }
        return sb.toString();
    }
}
