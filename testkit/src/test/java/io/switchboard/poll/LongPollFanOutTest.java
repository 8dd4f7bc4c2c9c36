package io.switchboard.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.message.ItemJson;
import io.switchboard.testkit.RawHttp;
import io.switchboard.testkit.TestServer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md rule 6: 5,000 long-polls parked on one channel are all completed by one publish, with the
 * message encoded once for all of them.
 */
class LongPollFanOutTest {
    private static final int POLLERS = 5_000;

    @Test
    void one_publish_releases_five_thousand_parked_polls_with_one_encoding() throws Exception {
        // A short idle timeout so that the answered sessions (which live on, waiting for the next poll) go too.
        try (TestServer server = TestServer.start(c -> c.withSessions(c.sessions().withIdleTimeout(Duration.ofSeconds(2))))) {
            List<Socket> sockets = new ArrayList<>(POLLERS);
            try {
                byte[] request = "GET /poll?channel=fan&wait=60 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < POLLERS; i++) {
                    Socket s = new Socket("127.0.0.1", server.port());
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(request);
                    sockets.add(s);
                }
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .until(() -> server.server().metrics().connections("longpoll").get() == POLLERS);
                long encodedBefore = ItemJson.FORMAT.encodings();

                server.publish("fan", "{\"to\":\"everyone\"}");

                Set<String> bodies = new HashSet<>();
                Set<String> sessions = new HashSet<>();
                for (Socket s : sockets) {
                    RawHttp.Answer answer = RawHttp.read(s.getInputStream());
                    assertThat(answer.status()).isEqualTo(200);
                    String body = answer.body();
                    int at = body.indexOf(",\"session\":\"");
                    bodies.add(body.substring(0, at));
                    sessions.add(body.substring(at));
                }
                assertThat(bodies).as("every poller got the same message and cursor").hasSize(1);
                assertThat(bodies.iterator().next()).contains("\"data\":{\"to\":\"everyone\"}");
                assertThat(sessions).as("each poller is its own session").hasSize(POLLERS);
                assertThat(ItemJson.FORMAT.encodings() - encodedBefore).as("encoded once for all").isEqualTo(1);
                assertThat(server.server().metrics().connections("longpoll").get()).isZero();
            } finally {
                for (Socket s : sockets) s.close();
            }
            Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> server.server().context().sessions().size() == 0);
            assertThat(server.server().hub().subscribers("fan")).isZero();
        }
    }
}
