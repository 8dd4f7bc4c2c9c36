package io.switchboard.presence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.codec.Json;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.Tokens;
import io.switchboard.testkit.WsRecorder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small steps the presence tests share: tokens of members, WebSocket members, and what the API lists. */
final class Presence {
    static final String ROOM = "presence-room";

    private Presence() {}

    /** A token of {@code user} that may read every presence channel. */
    static String token(String user) {
        return TestServer.token(user, List.of("presence-*"), List.of());
    }

    /** The same with an {@code info} claim. */
    static String token(String user, String infoJson) {
        return Tokens.hs256(TestServer.TOKEN_SECRET, user, List.of("presence-*"), List.of(), infoJson,
                Instant.now().plusSeconds(3600), null);
    }

    /** A WebSocket session with {@code token} (null: none), its welcome taken. */
    static WsRecorder ws(TestServer server, String token) {
        WsRecorder ws = WsRecorder.connect(server.ws(token == null ? "/ws" : "/ws?token=" + token));
        JsonNode welcome = ws.next();
        assertThat(welcome.path("type").asText()).as("first frame").isEqualTo("welcome");
        return ws;
    }

    /**
     * A WebSocket session of {@code token} subscribed to {@link #ROOM}. Once the {@code subscribed} answer is
     * read the user is a member: the Hub adds it in the task that writes the answer.
     */
    static WsRecorder member(TestServer server, String token) {
        WsRecorder ws = ws(server, token);
        JsonNode answer = subscribe(ws, ROOM);
        assertThat(answer.path("type").asText()).as("answer %s", answer).isEqualTo("subscribed");
        return ws;
    }

    /** Subscribes and returns the answer: {@code subscribed}, or the {@code error} refusing it. */
    static JsonNode subscribe(WsRecorder ws, String channel) {
        ws.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}");
        return ws.awaitItem(i -> "subscribed".equals(i.path("type").asText()) && channel.equals(i.path("channel").asText())
                || "error".equals(i.path("type").asText()));
    }

    /** The users {@code GET /api/channels/C/presence} lists, in its order. */
    static List<String> members(TestServer server, String channel) {
        JsonNode body = api(server.apiGet("/api/channels/" + channel + "/presence"));
        assertThat(body.path("channel").asText()).isEqualTo(channel);
        return users(body.get("members"));
    }

    /** The {@code user} of each member of a {@code members} array. */
    static List<String> users(JsonNode members) {
        List<String> out = new ArrayList<>();
        members.forEach(m -> out.add(m.get("user").asText()));
        return out;
    }

    /** A 200 JSON answer's body. */
    static JsonNode api(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(200);
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    /** True for a {@code join}/{@code leave} item ({@code type}) of {@code user} in {@link #ROOM}. */
    static boolean is(JsonNode item, String type, String user) {
        return type.equals(item.path("type").asText()) && ROOM.equals(item.path("channel").asText())
                && user.equals(item.path("user").asText());
    }

    /** The join and leave items among {@code items}, as {@code "join bob"}, {@code "leave ann"}, … */
    static List<String> changes(List<JsonNode> items) {
        List<String> out = new ArrayList<>();
        for (JsonNode i : items) {
            String type = i.path("type").asText();
            if (type.equals("join") || type.equals("leave")) out.add(type + " " + i.path("user").asText());
        }
        return out;
    }

    /** True for the message item carrying {@code {"mark":n}}: what tests publish to bound what came before. */
    static boolean isMark(JsonNode item, int n) {
        return "message".equals(item.path("type").asText()) && item.path("data").path("mark").asInt(-1) == n;
    }

    static void mark(TestServer server, int n) {
        server.publish(ROOM, "{\"mark\":" + n + "}");
    }
}
