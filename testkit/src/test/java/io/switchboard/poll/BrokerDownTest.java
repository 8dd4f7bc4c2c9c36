package io.switchboard.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.codec.Json;
import io.switchboard.testkit.DeferredBroker;
import io.switchboard.testkit.PollClient;
import io.switchboard.testkit.StreamRecorder;
import io.switchboard.testkit.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the broker cannot serve a subscribe, the session doors answer {@code 503} with a reason, count it,
 * keep no session behind, and serve the channels that still work.
 */
class BrokerDownTest {
    private final DeferredBroker broker = new DeferredBroker();
    private final TestServer server = TestServer.start(c -> c, broker);

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_poll_that_cannot_subscribe_is_a_503_and_leaves_no_session() {
        broker.down(channel -> channel.equals("down"));

        PollClient.Answer a = PollClient.poll(server, "down").since("abc:1").poll(0);

        assertThat(a.status()).isEqualTo(503);
        assertThat(Json.parse(a.body().getBytes()).get("error").textValue()).isEqualTo("unavailable");
        assertThat(server.server().metrics().errorCount("poll", 503)).isEqualTo(1);
        assertThat(server.server().context().sessions().size()).isZero();
        assertThat(server.server().hub().subscribers("down")).isZero();
        assertThat(PollClient.poll(server, "up").since("abc:1").poll(0).status()).isEqualTo(200);
    }

    @Test
    void a_stream_that_cannot_subscribe_is_a_503_status_not_a_broken_stream() {
        broker.down(channel -> channel.equals("down"));

        try (StreamRecorder stream = StreamRecorder.ndjson(server.port(), "/stream?channel=down&since=abc:1")) {
            assertThat(stream.status()).isEqualTo(503);
            assertThat(server.server().metrics().errorCount("stream", 503)).isEqualTo(1);
        }
        assertThat(server.server().context().sessions().size()).isZero();
    }
}
