package io.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.auth.Namespace;
import io.switchboard.server.codec.Json;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who may publish from a client (PROTOCOL.md "Tokens and permissions"), over the {@code publish} op of
 * {@code /ws} and {@code POST /send}: where no namespace opens client publishing, only a token whose
 * {@code publish} patterns match (anonymous: 401, other patterns: 403), and the message then carries the
 * publisher's {@code sub} as {@code from}; where a namespace opens it, anyone who may read the channel.
 *
 * <p>Each refused publish is checked to have published nothing: the subscriber's first message is the
 * allowed one, at offset 1.
 */
class ClientPublishTest {
    /** No namespace: client publishing only by token. */
    @RegisterExtension
    static final TestServer closed = TestServer.start(c -> c.withHub(c.hub().withNamespaces(List.of())));

    /** {@code open-*} open to every client; {@code private-open-*} open to those who may read it. */
    @RegisterExtension
    static final TestServer open = TestServer.start(c -> c.withHub(c.hub().withNamespaces(
            List.of(Namespace.clientPublish("open-*"), Namespace.clientPublish("private-open-*")))));

    private static final AtomicInteger ids = new AtomicInteger();

    @Test
    void overWebSocketOnlyATokenWithAMatchingPublishPatternMayPublish() {
        try (WsRecorder subscriber = subscribe(closed, "chat-ws", null);
             WsRecorder anonymous = session(closed, null);
             WsRecorder reader = session(closed, TestServer.token("bob", List.of("private-*"), List.of("news-*")));
             WsRecorder writer = session(closed, TestServer.token("ann", List.of(), List.of("chat-*")))) {
            double unauthorized = closed.server().metrics().errorCount("ws", 401);
            double forbidden = closed.server().metrics().errorCount("ws", 403);

            JsonNode refused = publish(anonymous, "chat-ws", "{\"n\":1}");
            assertThat(refused.path("type").asText()).isEqualTo("error");
            assertThat(refused.path("code").asInt()).as("%s", refused).isEqualTo(401);

            refused = publish(reader, "chat-ws", "{\"n\":2}");
            assertThat(refused.path("type").asText()).isEqualTo("error");
            assertThat(refused.path("code").asInt()).as("%s", refused).isEqualTo(403);

            JsonNode ack = publish(writer, "chat-ws", "{\"n\":3}");
            assertThat(ack.path("type").asText()).as("%s", ack).isEqualTo("ack");
            assertThat(ack.path("offset").asLong()).as("the refused publishes published nothing").isEqualTo(1);

            JsonNode message = subscriber.awaitType("message");
            assertThat(message.at("/data/n").asInt()).isEqualTo(3);
            assertThat(message.path("from").asText()).isEqualTo("ann");
            assertThat(message.path("epoch").asText()).isEqualTo(ack.path("epoch").asText());
            assertThat(closed.server().metrics().errorCount("ws", 401)).isEqualTo(unauthorized + 1);
            assertThat(closed.server().metrics().errorCount("ws", 403)).isEqualTo(forbidden + 1);

            // Refused publishes are error frames: every session stays.
            for (WsRecorder ws : List.of(anonymous, reader, writer)) assertServed(ws);
        }
    }

    @Test
    void overSendOnlyATokenWithAMatchingPublishPatternMayPublish() {
        try (WsRecorder subscriber = subscribe(closed, "chat-send", null)) {
            double unauthorized = closed.server().metrics().errorCount("send", 401);
            double forbidden = closed.server().metrics().errorCount("send", 403);

            HttpResponse<String> r = send(closed, "chat-send", "{\"n\":1}", null, false);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            assertThat(json(r).path("error").asText()).isEqualTo("unauthorized");

            String reader = TestServer.token("bob", List.of("private-*"), List.of("news-*"));
            r = send(closed, "chat-send", "{\"n\":2}", reader, true);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(json(r).path("error").asText()).isEqualTo("forbidden");
            assertThat(r.body()).doesNotContain(reader);

            r = send(closed, "chat-send", "{\"n\":3}", TestServer.token("ann", List.of(), List.of("chat-*")), false);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode ack = json(r);
            assertThat(ack.path("type").asText()).isEqualTo("ack");
            assertThat(ack.path("offset").asLong()).as("the refused publishes published nothing").isEqualTo(1);

            JsonNode message = subscriber.awaitType("message");
            assertThat(message.at("/data/n").asInt()).isEqualTo(3);
            assertThat(message.path("from").asText()).isEqualTo("ann");
            assertThat(closed.server().metrics().errorCount("send", 401)).isEqualTo(unauthorized + 1);
            assertThat(closed.server().metrics().errorCount("send", 403)).isEqualTo(forbidden + 1);

            // The same token by Authorization header publishes too.
            r = send(closed, "chat-send", "{\"n\":4}", TestServer.token("ann", List.of(), List.of("chat-*")), true);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(subscriber.awaitType("message").path("from").asText()).isEqualTo("ann");
        }
    }

    @Test
    void aClientPublishNamespaceOpensPublishingToAnyoneWhoMayReadTheChannel() {
        String privateReader = TestServer.token("cat", List.of("private-open-*"), List.of());
        try (WsRecorder publicSub = subscribe(open, "open-1", null);
             WsRecorder privateSub = subscribe(open, "private-open-1", privateReader);
             WsRecorder anonymous = session(open, null);
             WsRecorder other = session(open, TestServer.token("dan", List.of("private-other-*"), List.of()));
             WsRecorder cat = session(open, privateReader)) {
            JsonNode ack = publish(anonymous, "open-1", "{\"n\":1}");
            assertThat(ack.path("type").asText()).as("%s", ack).isEqualTo("ack");
            JsonNode message = publicSub.awaitType("message");
            assertThat(message.at("/data/n").asInt()).isEqualTo(1);
            assertThat(message.has("from")).as("an anonymous publisher has no identity to show").isFalse();

            // Outside the namespace, anonymous clients still may not publish.
            assertThat(publish(anonymous, "chat-1", "{\"n\":2}").path("code").asInt()).isEqualTo(401);

            // A restricted channel in the namespace: only for those who may read it.
            assertThat(publish(anonymous, "private-open-1", "{\"n\":3}").path("code").asInt()).isEqualTo(401);
            assertThat(publish(other, "private-open-1", "{\"n\":4}").path("code").asInt()).isEqualTo(403);
            ack = publish(cat, "private-open-1", "{\"n\":5}");
            assertThat(ack.path("type").asText()).as("%s", ack).isEqualTo("ack");
            assertThat(ack.path("offset").asLong()).as("the refused publishes published nothing").isEqualTo(1);
            message = privateSub.awaitType("message");
            assertThat(message.at("/data/n").asInt()).isEqualTo(5);
            assertThat(message.path("from").asText()).isEqualTo("cat");

            // /send follows the same rules.
            HttpResponse<String> r = send(open, "open-1", "{\"n\":6}", null, false);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(publicSub.awaitType("message").at("/data/n").asInt()).isEqualTo(6);
            r = send(open, "private-open-1", "{\"n\":7}", null, false);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            r = send(open, "private-open-1", "{\"n\":8}", privateReader, true);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(privateSub.awaitType("message").at("/data/n").asInt()).isEqualTo(8);

            for (WsRecorder ws : List.of(anonymous, other, cat)) assertServed(ws);
        }
    }

    // ---- steps ----

    /** A WebSocket session, with {@code token} on the upgrade URL (null for none), past its welcome. */
    private static WsRecorder session(TestServer server, String token) {
        WsRecorder ws = WsRecorder.connect(server.ws(token == null ? "/ws" : "/ws?token=" + token));
        assertThat(ws.next().path("type").asText()).isEqualTo("welcome");
        return ws;
    }

    private static WsRecorder subscribe(TestServer server, String channel, String token) {
        WsRecorder ws = session(server, token);
        int id = ids.incrementAndGet();
        ws.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":" + id + "}");
        assertThat(ws.awaitRef(id).path("type").asText()).isEqualTo("subscribed");
        return ws;
    }

    /** Sends a publish op and returns its answer (an ack or an error frame). */
    private static JsonNode publish(WsRecorder ws, String channel, String dataJson) {
        int id = ids.incrementAndGet();
        ws.send("{\"op\":\"publish\",\"channel\":\"" + channel + "\",\"data\":" + dataJson + ",\"id\":" + id + "}");
        return ws.awaitRef(id);
    }

    /** {@code POST /send} with a publish op; the token (null for none) by header or by {@code ?token=}. */
    private static HttpResponse<String> send(TestServer server, String channel, String dataJson, String token, boolean header) {
        String query = token != null && !header ? "?token=" + token : "";
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http("/send" + query))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"op\":\"publish\",\"channel\":\"" + channel + "\",\"data\":" + dataJson + "}"));
        if (token != null && header) b.header("Authorization", "Bearer " + token);
        return server.send(b.build());
    }

    private static JsonNode json(HttpResponse<String> r) {
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private static void assertServed(WsRecorder ws) {
        int id = ids.incrementAndGet();
        ws.send("{\"op\":\"ping\",\"id\":" + id + "}");
        assertThat(ws.awaitRef(id).path("type").asText()).isEqualTo("pong");
    }
}
