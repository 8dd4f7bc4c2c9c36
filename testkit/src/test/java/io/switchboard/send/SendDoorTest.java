package io.switchboard.send;

import static io.switchboard.send.Send.get;
import static io.switchboard.send.Send.ok;
import static io.switchboard.send.Send.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.codec.Json;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /send} on a real server: the WebSocket ops for clients whose transport only reads. */
class SendDoorTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();

    @Test
    void aPublishReachesALongPollingSubscriberAndIsAckedWithItsPosition() throws Exception {
        JsonNode first = get(server, "/poll?channel=s-poll");
        String cursor = first.get("cursor").asText();
        String pollSession = first.get("session").asText();
        CompletableFuture<HttpResponse<String>> parked = server.httpClient().sendAsync(HttpRequest.newBuilder(
                server.http("/poll?channel=s-poll&wait=10&since=" + cursor + "&session=" + pollSession)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        double published = Send.published(server);

        JsonNode ack = ok(post(server, "", "{\"op\":\"publish\",\"channel\":\"s-poll\",\"event\":\"say\",\"data\":{\"hi\":2.50},\"id\":3}"));
        assertThat(ack.get("type").asText()).isEqualTo("ack");
        assertThat(ack.get("ref").isIntegralNumber()).as("a number id comes back a number").isTrue();
        assertThat(ack.get("ref").asInt()).isEqualTo(3);
        assertThat(ack.get("epoch").asText()).isEqualTo(cursor.substring(0, cursor.indexOf(':')));
        assertThat(ack.get("offset").asLong()).isEqualTo(1);
        assertThat(ack.get("session").asText()).matches("[A-Za-z0-9_-]{22}");
        assertThat(Send.published(server)).isEqualTo(published + 1);

        HttpResponse<String> answer = parked.get(10, TimeUnit.SECONDS);
        JsonNode poll = ok(answer);
        assertThat(poll.get("messages")).hasSize(1);
        JsonNode item = poll.get("messages").get(0);
        assertThat(item.get("channel").asText()).isEqualTo("s-poll");
        assertThat(item.get("event").asText()).isEqualTo("say");
        assertThat(answer.body()).contains("\"data\":{\"hi\":2.50}");
        assertThat(item.get("offset").asLong()).isEqualTo(1);
        assertThat(poll.get("cursor").asText()).isEqualTo(ack.get("epoch").asText() + ":1");
    }

    @Test
    void aPublishReachesAnSseSubscriberAndAStringIdComesBackAsRef() {
        try (SseRecorder sse = SseRecorder.open(server.http("/sse?channel=s-sse"))) {
            sse.awaitLastEventId(id -> !id.isEmpty()); // the starting cursor: subscribed
            JsonNode ack = ok(post(server, "", "{\"op\":\"publish\",\"channel\":\"s-sse\",\"data\":\"hello\",\"id\":\"p-1\"}"));
            assertThat(ack.get("ref").isTextual()).isTrue();
            assertThat(ack.get("ref").asText()).isEqualTo("p-1");

            SseRecorder.Event event = sse.awaitEvent("message");
            assertThat(event.json().get("data").asText()).isEqualTo("hello");
            assertThat(event.json().get("offset").asLong()).isEqualTo(ack.get("offset").asLong());
            assertThat(event.id()).isEqualTo(ack.get("epoch").asText() + ":" + ack.get("offset").asLong());
        }
    }

    @Test
    void anAnswerWithoutIdHasNoRef() {
        JsonNode pong = ok(post(server, "", "{\"op\":\"ping\"}"));
        assertThat(pong.has("ref")).isFalse();
        assertThat(pong.get("type").asText()).isEqualTo("pong");
    }

    @Test
    void aSessionIsIssuedThenKeptWhileLiveAndReplacedWhenUnknown() {
        String issued = ok(post(server, "", "{\"op\":\"ping\",\"id\":1}")).get("session").asText();
        assertThat(issued).matches("[A-Za-z0-9_-]{22}");
        assertThat(server.server().context().sessions().find(issued)).as("a live session").isNotNull();

        assertThat(ok(post(server, "?session=" + issued, "{\"op\":\"ping\"}")).get("session").asText()).isEqualTo(issued);
        assertThat(ok(post(server, "?session=" + issued + "&t=123", "{\"op\":\"ping\"}")).get("session").asText())
                .isEqualTo(issued);

        String unknown = "AAAAAAAAAAAAAAAAAAAAAA";
        String fresh = ok(post(server, "?session=" + unknown, "{\"op\":\"ping\"}")).get("session").asText();
        assertThat(fresh).isNotEqualTo(unknown).isNotEqualTo(issued).matches("[A-Za-z0-9_-]{22}");
        assertThat(ok(post(server, "?session=", "{\"op\":\"ping\"}")).get("session").asText())
                .as("an empty session= starts a fresh one").isNotIn(issued, fresh);

        // The session a GET door issued is the one /send names too.
        String polled = get(server, "/poll?channel=s-session").get("session").asText();
        assertThat(ok(post(server, "?session=" + polled, "{\"op\":\"ping\"}")).get("session").asText()).isEqualTo(polled);
    }

    @Test
    void historyOpAnswersLikeTheWebSocket() {
        String epoch = null;
        for (int i = 1; i <= 3; i++) {
            epoch = Json.parse(server.publish("s-hist", "{\"n\":" + i + "}").body().getBytes(StandardCharsets.UTF_8))
                    .get("epoch").asText();
        }
        JsonNode newest = ok(post(server, "", "{\"op\":\"history\",\"channel\":\"s-hist\",\"limit\":2,\"id\":5}"));
        assertThat(newest.get("type").asText()).isEqualTo("history");
        assertThat(newest.get("ref").asInt()).isEqualTo(5);
        assertThat(newest.get("channel").asText()).isEqualTo("s-hist");
        assertThat(offsets(newest)).containsExactly(2L, 3L);
        assertThat(newest.get("cursor").asText()).isEqualTo(epoch + ":3");
        assertThat(newest.get("session").asText()).isNotEmpty();

        JsonNode since = ok(post(server, "", "{\"op\":\"history\",\"channel\":\"s-hist\",\"since\":\"" + epoch + ":1\"}"));
        assertThat(offsets(since)).containsExactly(2L, 3L);

        JsonNode gap = ok(post(server, "", "{\"op\":\"history\",\"channel\":\"s-hist\",\"since\":\"otherEpoch:1\"}"));
        assertThat(gap.get("messages").toString())
                .isEqualTo("[{\"type\":\"gap\",\"channel\":\"s-hist\",\"epoch\":\"" + epoch + "\",\"offset\":3}]");
    }

    @Test
    void pingAndAuthAreAnswered() {
        JsonNode pong = ok(post(server, "", "{\"op\":\"ping\",\"id\":7}"));
        assertThat(pong.get("type").asText()).isEqualTo("pong");
        assertThat(pong.get("ref").asInt()).isEqualTo(7);

        String token = TestServer.token("u", List.of(), List.of());
        JsonNode ack = ok(post(server, "", "{\"op\":\"auth\",\"token\":\"" + token + "\",\"id\":6}"));
        assertThat(ack.get("type").asText()).isEqualTo("ack");
        assertThat(ack.get("ref").asInt()).isEqualTo(6);
        assertThat(ack.toString()).doesNotContain(token);
        assertRefused(() -> post(server, "", "{\"op\":\"auth\",\"token\":\"not.a.token\",\"id\":8}"), 401, "bad_token", 8);
    }

    @Test
    void presenceIsRefusedWhereNoMembersAreKeptAndToClientsThatMayNotRead() {
        assertRefused(() -> post(server, "", "{\"op\":\"presence\",\"channel\":\"news\",\"id\":4}"), 400, "bad_channel", 4);
        assertRefused(() -> post(server, "", "{\"op\":\"presence\",\"channel\":\"presence-room\",\"id\":4}"),
                401, "unauthorized", 4);
        String token = TestServer.token("u", List.of("other-*"), List.of());
        HttpResponse<String> query = assertRefused(() -> post(server, "?token=" + token,
                "{\"op\":\"presence\",\"channel\":\"presence-room\"}"), 403, "forbidden", null);
        assertThat(query.body()).doesNotContain(token);
        HttpResponse<String> header = assertRefused(() -> post(server, "", "{\"op\":\"presence\",\"channel\":\"presence-room\"}",
                b -> b.header("Authorization", "Bearer " + token)), 403, "forbidden", null);
        assertThat(header.body()).doesNotContain(token);
    }

    @Test
    void answersCarryCorsHeadersForAnAllowedOrigin() {
        HttpResponse<String> r = post(server, "", "{\"op\":\"ping\"}", b -> b.header("Origin", "http://localhost:5173"));
        ok(r);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:5173");
        assertThat(r.headers().allValues("Vary")).contains("origin");
    }

    /** A refusal after the frame was read: status, code, the frame's ref and the session; counted. */
    static HttpResponse<String> assertRefused(Supplier<HttpResponse<String>> call, int status, String code, Integer ref) {
        double before = server.server().metrics().errorCount("send", status);
        HttpResponse<String> r = call.get();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = Send.json(r);
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("reason").asText()).isNotBlank();
        if (ref == null) assertThat(body.has("ref")).isFalse();
        else assertThat(body.get("ref").asInt()).isEqualTo(ref);
        assertThat(body.get("session").asText()).matches("[A-Za-z0-9_-]{22}");
        assertThat(server.server().metrics().errorCount("send", status)).as("counted").isEqualTo(before + 1);
        return r;
    }

    private static List<Long> offsets(JsonNode history) {
        List<Long> out = new ArrayList<>();
        for (JsonNode m : history.get("messages")) out.add(m.get("offset").asLong());
        return out;
    }
}
