package io.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.auth.Door.Carrier;
import io.switchboard.auth.Door.Told;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.Tokens;
import io.switchboard.testkit.WsRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tokens on every door (issue #6): each kind of bad token, by {@code ?token=} and by
 * {@code Authorization: Bearer}, is refused with its code — status + JSON on the HTTP doors, the
 * upgrade accepted and closed {@code 4401} on {@code /ws} — counted, never echoed, and harmless to the
 * sessions already there. Then a {@code private-*} channel on each door: refused without a token (401),
 * refused with one that does not allow it (403), and served, live messages included, with one that does.
 *
 * <p>Refusals are counted per door with the status the client got; on {@code /ws} that is the close code
 * ({@code 4401}) or the error frame's code, as for every other WebSocket refusal.
 */
class TokenDoorsTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();

    /** Sessions that were there before every refusal and must keep being served through all of them. */
    private static WsRecorder bystanderWs;
    private static SseRecorder bystanderSse;
    private static int lobbyMessages;

    /** A token that proves nothing, and the code it is refused with. */
    enum BadToken {
        NOT_THREE_PARTS("bad_token", () -> Jwts.b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "."
                + Jwts.b64("{\"sub\":\"mallory\",\"channels\":[\"*\"]}")),
        BAD_BASE64("bad_token", () -> {
            String[] parts = valid().split("\\.");
            return parts[0] + "." + parts[1].substring(0, 8) + "*+/=" + parts[1].substring(8) + "." + parts[2];
        }),
        WRONG_SIGNATURE("bad_token", () -> Tokens.hs256("another-secret-that-is-also-32-bytes-long!", "mallory",
                List.of("*"), List.of("*"), null, Instant.now().plusSeconds(3600), null)),
        WRONG_ALGORITHM("bad_token", () -> Jwts.hmac(TestServer.TOKEN_SECRET, "HS384",
                Jwts.claims("mallory", List.of("*"), List.of(), Instant.now().plusSeconds(3600)))),
        ALG_NONE("bad_token", () -> Jwts.unsigned(Jwts.claims("mallory", List.of("*"), List.of("*"),
                Instant.now().plusSeconds(3600)))),
        EXPIRED("token_expired", () -> Tokens.hs256(TestServer.TOKEN_SECRET, "mallory", List.of("*"), List.of(),
                null, Instant.now().minusSeconds(60), null)),
        NOT_YET_VALID("token_not_yet_valid", () -> Tokens.hs256(TestServer.TOKEN_SECRET, "mallory", List.of("*"),
                List.of(), null, Instant.now().plusSeconds(3600), Instant.now().plusSeconds(60)));

        final String code;
        private final Supplier<String> mint;

        BadToken(String code, Supplier<String> mint) {
            this.code = code;
            this.mint = mint;
        }

        String mint() {
            return mint.get();
        }

        private static String valid() {
            return TestServer.token("mallory", List.of("*"), List.of());
        }
    }

    @BeforeAll
    static void bystanders() {
        bystanderWs = WsRecorder.connect(server.ws("/ws"));
        bystanderWs.next();
        bystanderWs.send("{\"op\":\"subscribe\",\"channel\":\"lobby\",\"id\":1}");
        assertThat(bystanderWs.awaitRef(1).path("type").asText()).isEqualTo("subscribed");
        bystanderSse = SseRecorder.open(server.http("/sse?channel=lobby"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.server().hub().subscribers("lobby") == 2);
    }

    @AfterAll
    static void closeBystanders() {
        bystanderWs.close();
        bystanderSse.close();
    }

    static Stream<Arguments> badTokens() {
        List<Arguments> rows = new ArrayList<>();
        for (Door door : Door.values()) {
            for (Carrier carrier : Carrier.values()) {
                for (BadToken bad : BadToken.values()) rows.add(Arguments.of(door, carrier, bad));
            }
        }
        return rows.stream();
    }

    static Stream<Arguments> doorsAndCarriers() {
        List<Arguments> rows = new ArrayList<>();
        for (Door door : Door.values()) {
            for (Carrier carrier : Carrier.values()) rows.add(Arguments.of(door, carrier));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} by {1}: {2}")
    @MethodSource("badTokens")
    void aBadTokenIsRefusedWithItsCodeCountedNeverEchoedAndHarmsNoOne(Door door, Carrier carrier, BadToken bad) {
        String token = bad.mint();
        int status = door == Door.WS ? 4401 : 401;
        double before = refusals(door, status);

        Told told = door.refuseToken(server, "lobby", carrier, token);

        assertThat(told.status()).as("status, told %s", told.text()).isEqualTo(status);
        if (door != Door.WS) assertThat(told.error()).isEqualTo(bad.code);
        assertThat(told.text()).as("the client is told why").isNotBlank();
        assertNoTokenIn(told.text(), token);
        awaitCounted(door, status, before + 1);
        assertOthersStillServed();
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("doorsAndCarriers")
    void aPrivateChannelNeedsATokenWhoseChannelsMatch(Door door, Carrier carrier) {
        String channel = "private-x-" + door.metric() + "-" + carrier.name().toLowerCase();

        double unauthorized = refusals(door, 401);
        Told none = door.refuseChannel(server, channel, carrier, null);
        assertThat(none.status()).as("without a token, told %s", none.text()).isEqualTo(401);
        if (door != Door.WS) assertThat(none.error()).isEqualTo("unauthorized");
        awaitCounted(door, 401, unauthorized + 1);

        double forbidden = refusals(door, 403);
        String other = TestServer.token("ann", List.of("private-y-*", "public-*"), List.of("*"));
        Told wrong = door.refuseChannel(server, channel, carrier, other);
        assertThat(wrong.status()).as("with a token for other channels, told %s", wrong.text()).isEqualTo(403);
        if (door != Door.WS) assertThat(wrong.error()).isEqualTo("forbidden");
        assertNoTokenIn(wrong.text(), other);
        awaitCounted(door, 403, forbidden + 1);

        String allowed = TestServer.token("ann", List.of("private-*"), List.of());
        JsonNode message = door.receive(server, channel, carrier, allowed);
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("channel").asText()).isEqualTo(channel);
        assertThat(message.at("/data/door").asText()).isEqualTo(door.metric());
        assertThat(message.has("from")).as("published over the API: no client identity").isFalse();
    }

    // ---- checks ----

    private static double refusals(Door door, int status) {
        return server.server().metrics().errorCount(door.metric(), status);
    }

    private static void awaitCounted(Door door, int status, double expected) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> refusals(door, status) >= expected);
        assertThat(refusals(door, status)).as("refusals counted for %s %d", door, status).isEqualTo(expected);
    }

    /** Neither the token nor any sizeable part of it (its signature, say) comes back to the client. */
    private static void assertNoTokenIn(String text, String token) {
        assertThat(text).doesNotContain(token);
        for (String part : token.split("\\.")) {
            if (part.length() >= 8) assertThat(text).doesNotContain(part);
        }
    }

    /** The sessions that were there before keep getting their channel's messages. */
    private static void assertOthersStillServed() {
        int n = ++lobbyMessages;
        server.publish("lobby", "{\"n\":" + n + "}");
        JsonNode ws = bystanderWs.awaitType("message");
        assertThat(ws.at("/data/n").asInt()).isEqualTo(n);
        SseRecorder.Event sse = bystanderSse.awaitEvent(e -> e.event().equals("message") && e.json().at("/data/n").asInt() == n);
        assertThat(sse.json().path("channel").asText()).isEqualTo("lobby");
    }
}
