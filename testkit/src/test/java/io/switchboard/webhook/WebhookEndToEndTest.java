package io.switchboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.webhook.WebhookConfig;
import io.switchboard.testkit.PollClient;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.Tokens;
import io.switchboard.testkit.WebhookReceiver;
import io.switchboard.testkit.WsRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end: a real server drives real sessions, and a real HTTP receiver gets the events —
 * signed, with the fields PROTOCOL.md names, in the order they happened.
 */
class WebhookEndToEndTest {
    private static final String SECRET = "webhook-secret-for-the-end-to-end-test";
    private static final String ROOM = "presence-room";

    private final WebhookReceiver receiver = WebhookReceiver.start();
    private TestServer server;

    @BeforeEach
    void checkReceiver() {
        assertThat(receiver.posts()).isEmpty();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        receiver.close();
    }

    private void start(Duration grace, Duration idle) {
        WebhookConfig hooks = WebhookConfig.NONE.withUrls(List.of(receiver.url())).withSecret(SECRET)
                .withBatchDelay(Duration.ofMillis(50)).withIncludeClientPublishes(true);
        server = TestServer.start(c -> c.withWebhooks(hooks)
                .withHub(c.hub().withPresenceGrace(grace))
                .withSessions(c.sessions().withIdleTimeout(idle)));
    }

    @Test
    void aWebSocketSessionsLifeArrivesSignedWithItsFieldsAndInOrder() {
        // With no grace a member leaves as its subscription ends, so the whole order is fixed.
        start(Duration.ZERO, Duration.ofSeconds(60));
        String token = Tokens.hs256(TestServer.TOKEN_SECRET, "ann", List.of("presence-*"), List.of(),
                "{\"name\":\"Ann\"}", Instant.now().plusSeconds(3600), null);
        String session;
        JsonNode ack;
        try (WsRecorder ws = WsRecorder.connect(server.ws("/ws?token=" + token))) {
            session = ws.awaitType("welcome").get("session").asText();
            ws.send("{\"op\":\"subscribe\",\"channel\":\"" + ROOM + "\",\"id\":1}");
            assertThat(ws.awaitRef(1).path("type").asText()).isEqualTo("subscribed");
            server.publish(ROOM, "{\"by\":\"the backend\"}"); // a backend's publish is no client publish: no event
            ws.awaitItem(i -> "message".equals(i.path("type").asText()));
            ws.send("{\"op\":\"publish\",\"channel\":\"" + ROOM + "\",\"event\":\"say\",\"data\":{\"text\":\"hi\"},\"id\":2}");
            ack = ws.awaitRef(2);
            assertThat(ack.path("type").asText()).isEqualTo("ack");
            ws.send("{\"op\":\"unsubscribe\",\"channel\":\"" + ROOM + "\",\"id\":3}");
            assertThat(ws.awaitRef(3).path("type").asText()).isEqualTo("unsubscribed");
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> receiver.names().contains("session_disconnected"));

        assertThat(receiver.names()).containsExactly("session_connected", "channel_occupied", "member_added",
                "client_publish", "member_removed", "channel_vacated", "session_disconnected");
        List<JsonNode> e = receiver.events();
        assertThat(fields(e.get(0))).isEqualTo("user=ann session=" + session);
        assertThat(fields(e.get(1))).isEqualTo("channel=" + ROOM);
        assertThat(fields(e.get(2))).isEqualTo("channel=" + ROOM + " user=ann info={\"name\":\"Ann\"}");
        assertThat(fields(e.get(3))).startsWith("channel=" + ROOM + " user=ann item=");
        JsonNode item = e.get(3).get("item");
        assertThat(item.path("type").asText()).isEqualTo("message");
        assertThat(item.path("event").asText()).isEqualTo("say");
        assertThat(item.path("data").toString()).isEqualTo("{\"text\":\"hi\"}");
        assertThat(item.path("from").asText()).isEqualTo("ann");
        assertThat(item.path("offset").asLong()).isEqualTo(ack.path("offset").asLong());
        assertThat(fields(e.get(4))).isEqualTo("channel=" + ROOM + " user=ann info={\"name\":\"Ann\"}");
        assertThat(fields(e.get(5))).isEqualTo("channel=" + ROOM);
        assertThat(fields(e.get(6))).isEqualTo("user=ann session=" + session);
        long previous = 0;
        for (JsonNode event : e) {
            assertThat(event.path("time_ms").asLong()).isGreaterThanOrEqualTo(previous);
            previous = event.path("time_ms").asLong();
        }
        assertSigned(receiver.posts());
    }

    @Test
    void aMemberIsRemovedOnlyAfterTheGraceAndNotAtAllWhenItComesBackWithinIt() {
        Duration grace = Duration.ofMillis(700);
        start(grace, Duration.ofSeconds(60));
        String token = TestServer.token("bob", List.of("presence-*"), List.of());
        WsRecorder first = member(token);
        first.close(); // a page reload: back at once, within the grace
        WsRecorder second = member(token);
        await().atMost(10, TimeUnit.SECONDS).until(() -> count("session_disconnected") == 1);
        await().during(grace.multipliedBy(3).dividedBy(2)).atMost(grace.multipliedBy(4))
                .until(() -> count("member_removed") == 0);
        assertThat(count("member_added")).isEqualTo(1);

        long closed = System.nanoTime(); // now for good: bob is removed once the grace is over
        second.close();
        await().atMost(10, TimeUnit.SECONDS).until(() -> count("member_removed") == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - closed)).isGreaterThanOrEqualTo(grace);
        JsonNode removed = receiver.events().stream().filter(x -> is(x, "member_removed")).findFirst().orElseThrow();
        assertThat(fields(removed)).isEqualTo("channel=" + ROOM + " user=bob");
        assertThat(count("member_added")).isEqualTo(1);
        assertThat(count("session_connected")).isEqualTo(2);
        assertThat(count("session_disconnected")).isEqualTo(2);
        assertSigned(receiver.posts());
    }

    @Test
    void aLongPollSessionIsReportedFromItsFirstPollToItsExpiry() {
        start(Duration.ZERO, Duration.ofMillis(500));
        try (PollClient pat = PollClient.poll(server, ROOM).token(TestServer.token("pat", List.of("presence-*"), List.of()))) {
            assertThat(pat.poll(0).status()).isEqualTo(200);
            String session = pat.session();
            await().atMost(10, TimeUnit.SECONDS).until(() -> receiver.names().contains("session_disconnected"));
            assertThat(receiver.names()).containsExactly("session_connected", "channel_occupied", "member_added",
                    "member_removed", "channel_vacated", "session_disconnected");
            List<JsonNode> e = receiver.events();
            assertThat(fields(e.get(0))).isEqualTo("user=pat session=" + session);
            assertThat(fields(e.get(2))).isEqualTo("channel=" + ROOM + " user=pat");
            assertThat(fields(e.get(5))).isEqualTo("user=pat session=" + session);
        }
        assertSigned(receiver.posts());
    }

    // ---- helpers ----

    private WsRecorder member(String token) {
        WsRecorder ws = WsRecorder.connect(server.ws("/ws?token=" + token));
        ws.send("{\"op\":\"subscribe\",\"channel\":\"" + ROOM + "\",\"id\":1}");
        assertThat(ws.awaitRef(1).path("type").asText()).isEqualTo("subscribed");
        return ws;
    }

    private long count(String name) {
        return receiver.names().stream().filter(name::equals).count();
    }

    private static boolean is(JsonNode event, String name) {
        return name.equals(event.path("name").asText());
    }

    /** An event's fields other than name and time, as {@code key=value} in the body's order. */
    private static String fields(JsonNode event) {
        StringBuilder out = new StringBuilder();
        event.fields().forEachRemaining(f -> {
            if (f.getKey().equals("name") || f.getKey().equals("time_ms")) return;
            if (out.length() > 0) out.append(' ');
            out.append(f.getKey()).append('=').append(f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString());
        });
        return out.toString();
    }

    /** Every POST is JSON, signed with the secret over its exact bytes, and has its own delivery id. */
    private static void assertSigned(List<WebhookReceiver.Post> posts) {
        assertThat(posts).isNotEmpty();
        Set<String> ids = new HashSet<>();
        for (WebhookReceiver.Post p : posts) {
            assertThat(WebhookReceiver.verifies(p, SECRET)).as("signature of %s", new String(p.body())).isTrue();
            assertThat(WebhookReceiver.verifies(p, SECRET + "x")).isFalse();
            assertThat(p.contentType()).startsWith("application/json");
            assertThat(p.deliveryId()).isNotBlank();
            assertThat(ids.add(p.deliveryId())).as("delivery id %s is new", p.deliveryId()).isTrue();
            assertThat(p.json().get("time_ms").asLong()).isPositive();
        }
    }
}
