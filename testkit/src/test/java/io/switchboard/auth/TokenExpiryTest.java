package io.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.Tokens;
import io.switchboard.testkit.WsRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A WebSocket session lives as long as its token (PROTOCOL.md: close {@code 4401}, and the client is told
 * why), unless an {@code auth} frame with a fresh token of the same user refreshes it first; a token of
 * another user changes nothing. The server's clock skew is 0 here, so a session ends at its {@code exp}.
 *
 * <p>Tokens expire about two seconds ahead. No test waits for time itself: a control session holding the
 * same expiring token shows when the first expiry has passed.
 */
class TokenExpiryTest {
    @RegisterExtension
    static final TestServer server = TestServer.start(c -> c.withTokens(c.tokens().withSkew(Duration.ZERO)));

    private static final AtomicInteger ids = new AtomicInteger();
    /** The server's expiry timer runs on the monotonic clock, the test reads the wall clock: they may differ by a hair. */
    private static final Duration TIMER_SLACK = Duration.ofMillis(20);

    @Test
    void aSessionIsClosedWith4401WhenItsTokenExpires() {
        Instant exp = soon();
        double before = server.server().metrics().errorCount("ws", 4401);
        try (WsRecorder ws = session(token("ann", exp))) {
            JsonNode subscribed = subscribe(ws, "private-expiring");
            assertThat(subscribed.path("type").asText()).isEqualTo("subscribed");
            assertThat(ws.isClosed()).as("open while the token is valid").isFalse();

            WsRecorder.Close close = ws.awaitCloseFrame();

            assertThat(close.code()).isEqualTo(4401);
            assertThat(close.reason()).isEqualTo("token expired");
            assertThat(Instant.now()).as("not before the token's exp").isAfterOrEqualTo(exp.minus(TIMER_SLACK));
            assertThat(server.server().metrics().errorCount("ws", 4401)).isEqualTo(before + 1);
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.server().hub().subscribers("private-expiring") == 0);
        }
    }

    @Test
    void anAuthFrameWithAFreshTokenOfTheSameUserKeepsTheSessionPastTheFirstExpiry() {
        Instant exp = soon();
        String expiring = token("ann", exp);
        try (WsRecorder control = session(expiring); WsRecorder refreshed = session(expiring)) {
            subscribe(refreshed, "private-refreshed");
            int id = ids.incrementAndGet();
            String fresh = token("ann", Instant.now().plusSeconds(3600));
            refreshed.send("{\"op\":\"auth\",\"token\":\"" + fresh + "\",\"id\":" + id + "}");
            JsonNode ack = refreshed.awaitRef(id);
            assertThat(ack.path("type").asText()).as("%s", ack).isEqualTo("ack");
            assertThat(ack.toString()).doesNotContain(fresh);

            // The control session holds the same token, unrefreshed: once it is closed, that token has expired.
            assertThat(control.awaitCloseFrame()).isEqualTo(new WsRecorder.Close(4401, "token expired"));

            assertServed(refreshed);
            server.publish("private-refreshed", "{\"after\":\"expiry\"}");
            assertThat(refreshed.awaitType("message").at("/data/after").asText()).isEqualTo("expiry");
            refreshed.assertExhausted();
        }
    }

    @Test
    void anAuthFrameWithAnotherUsersTokenIsRefused403AndChangesNothing() {
        Instant exp = soon();
        try (WsRecorder ws = session(token("ann", exp))) {
            subscribe(ws, "private-ann");
            double forbidden = server.server().metrics().errorCount("ws", 403);
            int id = ids.incrementAndGet();
            String bobs = token("bob", Instant.now().plusSeconds(3600));
            ws.send("{\"op\":\"auth\",\"token\":\"" + bobs + "\",\"id\":" + id + "}");

            JsonNode error = ws.awaitRef(id);
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("code").asInt()).isEqualTo(403);
            assertThat(error.toString()).doesNotContain(bobs);
            assertThat(server.server().metrics().errorCount("ws", 403)).isEqualTo(forbidden + 1);

            // The session stays, still ann's and still subscribed...
            assertServed(ws);
            server.publish("private-ann", "{\"n\":1}");
            assertThat(ws.awaitType("message").at("/data/n").asInt()).isEqualTo(1);

            // ...and bob's later expiry was not taken: it ends when ann's token does.
            WsRecorder.Close close = ws.awaitCloseFrame();
            assertThat(close).isEqualTo(new WsRecorder.Close(4401, "token expired"));
            assertThat(Instant.now()).isAfterOrEqualTo(exp.minus(TIMER_SLACK));
        }
    }

    @Test
    void anAuthFrameWithAnExpiredTokenIsRefused401AndTheSessionStays() {
        try (WsRecorder ws = session(token("ann", Instant.now().plusSeconds(3600)))) {
            int id = ids.incrementAndGet();
            String expired = token("ann", Instant.now().minusSeconds(5));
            ws.send("{\"op\":\"auth\",\"token\":\"" + expired + "\",\"id\":" + id + "}");
            JsonNode error = ws.awaitRef(id);
            assertThat(error.path("code").asInt()).as("%s", error).isEqualTo(401);
            assertThat(error.toString()).doesNotContain(expired);
            assertServed(ws);
            assertThat(subscribe(ws, "private-still").path("type").asText()).isEqualTo("subscribed");
        }
    }

    // ---- steps ----

    /**
     * Two to three seconds ahead, on a whole second: {@code exp} is in seconds, so what the test knows is
     * exactly what the server reads.
     */
    private static Instant soon() {
        return Instant.ofEpochSecond(Instant.now().getEpochSecond() + 3);
    }

    private static String token(String sub, Instant exp) {
        return Tokens.hs256(TestServer.TOKEN_SECRET, sub, List.of("private-*"), List.of(), null, exp, null);
    }

    private static WsRecorder session(String token) {
        WsRecorder ws = WsRecorder.connect(server.ws("/ws?token=" + token));
        assertThat(ws.next().path("type").asText()).isEqualTo("welcome");
        return ws;
    }

    private static JsonNode subscribe(WsRecorder ws, String channel) {
        int id = ids.incrementAndGet();
        ws.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":" + id + "}");
        return ws.awaitRef(id);
    }

    private static void assertServed(WsRecorder ws) {
        int id = ids.incrementAndGet();
        ws.send("{\"op\":\"ping\",\"id\":" + id + "}");
        assertThat(ws.awaitRef(id).path("type").asText()).isEqualTo("pong");
    }
}
