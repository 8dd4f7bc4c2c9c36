package io.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.StreamRecorder;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Streams cannot refresh a token the way a WebSocket can: when it expires (plus the allowed skew, here 0)
 * the stream tells the client with a 401 {@code error} item and ends, and the client reconnects with a new
 * token. A stream whose token does not expire goes on.
 */
class TokenExpiryOnStreamsTest {
    private final TestServer server = TestServer.start(c -> c.withTokens(c.tokens().withSkew(Duration.ZERO)));

    @AfterEach
    void stop() {
        server.close();
    }

    private static String expiringIn(Duration d) {
        return Tokens.hs256(TestServer.TOKEN_SECRET, "ann", List.of("private-*"), List.of(), null, Instant.now().plus(d), null);
    }

    @Test
    void an_sse_stream_ends_with_a_401_error_when_its_token_expires() {
        try (SseRecorder sse = SseRecorder.open(server.http("/sse?channel=private-a&token=" + expiringIn(Duration.ofSeconds(2))));
             SseRecorder lasting = SseRecorder.open(server.http("/sse?channel=private-a&token="
                     + TestServer.token("bob", List.of("private-*"), List.of())))) {
            server.publish("private-a", "1");
            sse.awaitEvent("message");

            SseRecorder.Event error = sse.awaitEvent(e -> e.event().equals("sb:error"), Duration.ofSeconds(6));
            assertThat(error.json().get("code").asInt()).isEqualTo(401);
            assertThat(error.json().get("reason").asText()).contains("token expired");
            sse.awaitEnd();

            server.publish("private-a", "2");
            assertThat(lasting.awaitEvents(e -> e.event().equals("message"), 2, Duration.ofSeconds(5))).hasSize(2);
        }
    }

    @Test
    void an_ndjson_stream_ends_with_a_401_error_item_when_its_token_expires() {
        try (StreamRecorder stream = StreamRecorder.ndjson(server.port(),
                "/stream?channel=private-a&token=" + expiringIn(Duration.ofSeconds(2)))) {
            stream.awaitItem("open");
            var error = stream.awaitItems(i -> "error".equals(i.path("type").textValue()), 1, Duration.ofSeconds(6)).get(0);
            assertThat(error.get("code").asInt()).isEqualTo(401);
            stream.awaitEnd();
        }
    }
}
