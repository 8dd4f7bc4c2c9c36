package io.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.DeferredBroker;
import io.switchboard.testkit.RawHttp;
import io.switchboard.testkit.TestServer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 answers leave in request order, even when the first answer comes later than the second
 * request could be served: requests sent together, in one write, behind a poll or a request that waits on
 * the broker.
 */
class PipeliningTest {
    @Test
    void a_request_sent_in_the_same_write_as_an_immediate_poll_is_answered_after_it() throws Exception {
        try (TestServer server = TestServer.start()) {
            String[] answers = exchange(server, "GET /poll?channel=news HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 2);

            assertThat(answers[0]).contains("\"messages\":[]");
            assertThat(answers[1]).contains("\"status\":\"ok\"");
        }
    }

    @Test
    void a_request_behind_one_that_waits_on_the_broker_is_answered_after_it() throws Exception {
        DeferredBroker broker = new DeferredBroker();
        try (TestServer server = TestServer.start(c -> c, broker)) {
            server.publish("news", "{\"n\":1}");
            broker.hold();
            Thread releaser = new Thread(() -> {
                org.awaitility.Awaitility.await().until(() -> broker.calls.get() >= 2);
                broker.release();
            });
            releaser.start();

            String[] answers = exchange(server, "GET /history?channel=news HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 2);

            assertThat(answers[0]).contains("\"n\":1");
            assertThat(answers[1]).contains("\"status\":\"ok\"");
            releaser.join();
        }
    }

    /** Writes {@code requests} in one write and reads {@code n} answers with Content-Length bodies. */
    private static String[] exchange(TestServer server, String requests, int n) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String[] out = new String[n];
            for (int i = 0; i < n; i++) out[i] = RawHttp.read(in).body();
            return out;
        }
    }
}
