package io.switchboard.presence;

import static io.switchboard.presence.Presence.ROOM;
import static io.switchboard.presence.Presence.api;
import static io.switchboard.presence.Presence.changes;
import static io.switchboard.presence.Presence.is;
import static io.switchboard.presence.Presence.isMark;
import static io.switchboard.presence.Presence.mark;
import static io.switchboard.presence.Presence.member;
import static io.switchboard.presence.Presence.members;
import static io.switchboard.presence.Presence.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.codec.Json;
import io.switchboard.server.ServerConfig;
import io.switchboard.testkit.PollClient;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.StreamRecorder;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Presence end to end (issue #6): members are users, not connections; {@code join} when a user's first
 * session arrives and {@code leave} when its last one has been gone for the grace, on every door; HTTP-door
 * sessions are members while they poll; the member list over the WebSocket, {@code /send} and the server API.
 *
 * <p>"Exactly one" is checked up to a marker message published after the change: presence changes and
 * messages reach each delivery loop in the order they happen, so whatever the change caused has arrived by
 * the time the marker does.
 */
class PresenceTest {
    private static final Duration GRACE = Duration.ofMillis(300);

    private TestServer server;

    private TestServer start(UnaryOperator<ServerConfig> tweak) {
        return start(GRACE, tweak);
    }

    private TestServer start(Duration grace, UnaryOperator<ServerConfig> tweak) {
        server = TestServer.start(c -> tweak.apply(c.withHub(c.hub().withPresenceGrace(grace))));
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void threeSessionsOfOneUserAreOneMemberThatLeavesOnlyAfterItsLastSessionAndTheGrace() {
        start(c -> c);
        String ann = token("ann");
        WsRecorder a1 = member(server, ann);
        WsRecorder a2 = member(server, ann);
        SseRecorder a3 = sse(ann);
        try (WsRecorder bob = member(server, token("bob"))) {
            assertThat(members(server, ROOM)).containsExactly("ann", "bob");
            JsonNode info = api(server.apiGet("/api/channels/" + ROOM));
            assertThat(info.get("subscribers").asInt()).isEqualTo(4);
            assertThat(info.get("members").asInt()).isEqualTo(2);

            // The first session of ann saw her join; her next sessions joined a member already there.
            mark(server, 1);
            assertThat(changes(a1.collectUntil(i -> isMark(i, 1)))).containsExactly("join ann", "join bob");
            assertThat(changes(a2.collectUntil(i -> isMark(i, 1)))).containsExactly("join bob");
            assertThat(changes(sseItems(a3, 1))).containsExactly("join bob");
            assertThat(changes(bob.collectUntil(i -> isMark(i, 1)))).containsExactly("join bob");

            // Two of three sessions gone: ann is still there, well past the grace.
            a1.close();
            a2.close();
            await().until(() -> server.server().hub().subscribers(ROOM) == 2);
            await().during(GRACE.multipliedBy(2)).atMost(GRACE.multipliedBy(5))
                    .until(() -> members(server, ROOM).equals(List.of("ann", "bob")));

            // The last one: ann leaves, once, and not before the grace is over.
            long closed = System.nanoTime();
            a3.close();
            JsonNode leave = bob.awaitItem(i -> is(i, "leave", "ann"));
            assertThat(Duration.ofNanos(System.nanoTime() - closed)).isGreaterThanOrEqualTo(GRACE);
            assertThat(leave.has("info")).isFalse(); // her token had none
            assertThat(members(server, ROOM)).containsExactly("bob");
            mark(server, 2);
            assertThat(changes(bob.collectUntil(i -> isMark(i, 2)))).isEmpty();
            assertThat(api(server.apiGet("/api/channels/" + ROOM)).get("members").asInt()).isEqualTo(1);
        } finally {
            a1.close();
            a2.close();
            a3.close();
        }
        await().until(() -> members(server, ROOM).isEmpty());
    }

    @Test
    void everySubscriberOnEveryDoorGetsOneJoinThenOneLeave() {
        start(c -> c);
        String ann = token("ann");
        try (WsRecorder a1 = member(server, ann);
             WsRecorder a2 = member(server, ann);
             SseRecorder a3 = sse(ann);
             PollClient pat = PollClient.poll(server, ROOM).token(token("pat")).start(5);
             StreamRecorder sam = StreamRecorder.ndjson(server.port(), "/stream?channel=" + ROOM + "&token=" + token("sam"))) {
            assertThat(sam.status()).isEqualTo(200);
            await().until(() -> members(server, ROOM).equals(List.of("ann", "pat", "sam")));
            mark(server, 1);
            a1.collectUntil(i -> isMark(i, 1));
            a2.collectUntil(i -> isMark(i, 1));

            WsRecorder bob = member(server, token("bob"));
            a1.awaitItem(i -> is(i, "join", "bob"));
            mark(server, 2);
            assertThat(changes(a1.collectUntil(i -> isMark(i, 2)))).isEmpty(); // the join was taken above
            assertThat(changes(a2.collectUntil(i -> isMark(i, 2)))).containsExactly("join bob");
            assertThat(changes(between(sseItems(a3, 2), 1, 2))).containsExactly("join bob");
            assertThat(changes(between(pollItems(pat, 2), 1, 2))).containsExactly("join bob");
            assertThat(changes(between(streamItems(sam, 2), 1, 2))).containsExactly("join bob");
            assertThat(changes(bob.collectUntil(i -> isMark(i, 2)))).containsExactly("join bob");

            long closed = System.nanoTime();
            bob.close();
            a1.awaitItem(i -> is(i, "leave", "bob"));
            assertThat(Duration.ofNanos(System.nanoTime() - closed)).isGreaterThanOrEqualTo(GRACE);
            mark(server, 3);
            assertThat(changes(a1.collectUntil(i -> isMark(i, 3)))).isEmpty();
            assertThat(changes(a2.collectUntil(i -> isMark(i, 3)))).containsExactly("leave bob");
            assertThat(changes(between(sseItems(a3, 3), 2, 3))).containsExactly("leave bob");
            assertThat(changes(between(pollItems(pat, 3), 2, 3))).containsExactly("leave bob");
            assertThat(changes(between(streamItems(sam, 3), 2, 3))).containsExactly("leave bob");
            assertThat(members(server, ROOM)).containsExactly("ann", "pat", "sam");

            // The items are the same JSON on every door.
            String leave = "{\"type\":\"leave\",\"channel\":\"presence-room\",\"user\":\"bob\"}";
            for (List<JsonNode> items : List.of(sseItems(a3, 3), pollItems(pat, 3), streamItems(sam, 3))) {
                assertThat(items).filteredOn(i -> is(i, "leave", "bob")).singleElement()
                        .satisfies(i -> assertThat(i.toString()).isEqualTo(leave));
            }
        }
    }

    @Test
    void aUserBackWithinTheGraceNeitherLeavesNorJoinsAgain() {
        Duration grace = Duration.ofSeconds(1); // ample for a reconnect on a busy machine
        start(grace, c -> c);
        try (WsRecorder obs = member(server, token("obs"))) {
            WsRecorder bob = member(server, token("bob"));
            obs.awaitItem(i -> is(i, "join", "bob"));
            bob.close(); // a page reload: the same user is back at once
            bob = member(server, token("bob"));
            await().during(grace.multipliedBy(3).dividedBy(2)).atMost(grace.multipliedBy(4))
                    .until(() -> members(server, ROOM).equals(List.of("bob", "obs")));
            mark(server, 1);
            assertThat(changes(obs.collectUntil(i -> isMark(i, 1)))).isEmpty();

            bob.close(); // now for good
            assertThat(changes(obs.collectUntil(i -> is(i, "leave", "bob")))).containsExactly("leave bob");
            mark(server, 2);
            assertThat(changes(obs.collectUntil(i -> isMark(i, 2)))).isEmpty();
            assertThat(members(server, ROOM)).containsExactly("obs");
        }
    }

    @Test
    void aLongPollerIsAMemberWhileItKeepsPollingAndLeavesWhenItsSessionExpires() {
        Duration idle = Duration.ofMillis(800);
        start(c -> c.withSessions(c.sessions().withIdleTimeout(idle)));
        try (WsRecorder obs = member(server, token("obs"));
             PollClient pat = PollClient.poll(server, ROOM).token(token("pat"))) {
            assertThat(pat.poll(0).status()).isEqualTo(200);
            assertThat(members(server, ROOM)).containsExactly("obs", "pat");
            obs.awaitItem(i -> is(i, "join", "pat"));
            // Three long-polls of a second each: well past the idle timeout, and pat stays.
            for (int i = 0; i < 3; i++) {
                PollClient.Answer a = pat.poll(1);
                assertThat(a.status()).isEqualTo(200);
                assertThat(members(server, ROOM)).containsExactly("obs", "pat");
            }
            String session = pat.session();
            long lastPoll = System.nanoTime(); // before the last poll is taken: the idle time starts after it
            assertThat(pat.poll(0).status()).isEqualTo(200);
            assertThat(pat.session()).isEqualTo(session); // one session all along

            JsonNode leave = obs.awaitItem(i -> is(i, "leave", "pat"));
            assertThat(Duration.ofNanos(System.nanoTime() - lastPoll)).isGreaterThanOrEqualTo(idle.plus(GRACE));
            assertThat(leave.path("user").asText()).isEqualTo("pat");
            assertThat(members(server, ROOM)).containsExactly("obs");
            mark(server, 1);
            assertThat(changes(obs.collectUntil(i -> isMark(i, 1)))).isEmpty();
        }
    }

    @Test
    void theMemberListWithInfoIsTheSameOverTheWebSocketSendAndTheServerApi() {
        start(c -> c);
        String bobToken = token("bob", "{\"name\":\"Bob\",\"tags\":[1,2]}");
        try (WsRecorder ann = member(server, token("ann", "{\"name\":\"Ann\",\"color\":\"red\"}"));
             PollClient bob = PollClient.poll(server, ROOM).token(bobToken);
             SseRecorder carl = sse(token("carl"))) {
            assertThat(bob.poll(0).status()).isEqualTo(200);
            String expected = "[{\"user\":\"ann\",\"info\":{\"name\":\"Ann\",\"color\":\"red\"}},"
                    + "{\"user\":\"bob\",\"info\":{\"name\":\"Bob\",\"tags\":[1,2]}},{\"user\":\"carl\"}]";

            ann.send("{\"op\":\"presence\",\"channel\":\"" + ROOM + "\",\"id\":4}");
            JsonNode ws = ann.awaitRef(4);
            assertThat(ws.path("type").asText()).isEqualTo("presence");
            assertThat(ws.path("channel").asText()).isEqualTo(ROOM);
            assertThat(ws.get("members").toString()).isEqualTo(expected);

            JsonNode viaApi = api(server.apiGet("/api/channels/" + ROOM + "/presence"));
            assertThat(viaApi.get("members").toString()).isEqualTo(expected);

            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.http("/send?session=" + bob.session()))
                    .header("Authorization", "Bearer " + bobToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"op\":\"presence\",\"channel\":\"" + ROOM + "\",\"id\":\"p\"}"))
                    .build());
            JsonNode viaSend = api(r);
            assertThat(viaSend.path("type").asText()).isEqualTo("presence");
            assertThat(viaSend.path("ref").asText()).isEqualTo("p");
            assertThat(viaSend.path("session").asText()).isEqualTo(bob.session());
            assertThat(viaSend.get("members").toString()).isEqualTo(expected);

            JsonNode info = api(server.apiGet("/api/channels/" + ROOM));
            assertThat(info.get("members").asInt()).isEqualTo(3);
            assertThat(info.get("subscribers").asInt()).isEqualTo(3);

            // A channel that keeps members but has none lists nobody.
            assertThat(members(server, "presence-empty")).isEmpty();
            assertThat(api(server.apiGet("/api/channels/presence-empty")).get("members").asInt()).isZero();
        }
    }

    @Test
    void anonymousAndChannelLessTokensAreRefusedAndNeverMembers() {
        start(c -> c);
        String noChannels = TestServer.token("eve", List.of(), List.of());
        String noSub = TestServer.token(null, List.of("presence-*"), List.of());
        double wsRefusals = server.server().metrics().errorCount("ws", 401) + server.server().metrics().errorCount("ws", 403);
        try (WsRecorder anon = Presence.ws(server, null)) {
            assertRefused(anon, 401);
        }
        try (WsRecorder eve = Presence.ws(server, noChannels); WsRecorder nobody = Presence.ws(server, noSub)) {
            assertRefused(eve, 403);
            assertRefused(nobody, 403);
        }
        assertThat(server.server().metrics().errorCount("ws", 401) + server.server().metrics().errorCount("ws", 403))
                .isEqualTo(wsRefusals + 6);

        for (String door : List.of("/sse", "/poll", "/stream")) {
            assertThat(get(door + "?channel=" + ROOM).statusCode()).as(door).isEqualTo(401);
            assertThat(get(door + "?channel=" + ROOM + "&token=" + noChannels).statusCode()).as(door).isEqualTo(403);
            assertThat(get(door + "?channel=" + ROOM + "&token=" + noSub).statusCode()).as(door).isEqualTo(403);
        }
        assertThat(server.server().metrics().errorCount("sse", 403)).isEqualTo(2);
        assertThat(server.server().context().sessions().size()).isZero(); // refused before any session was made
        assertThat(sendPresence(null).statusCode()).isEqualTo(401);
        assertThat(sendPresence(noChannels).statusCode()).isEqualTo(403);
        assertThat(sendPresence(noSub).statusCode()).isEqualTo(403);

        assertThat(members(server, ROOM)).isEmpty();
        assertThat(server.server().hub().subscribers(ROOM)).isZero();

        // The refusals harmed nobody: a member with a proper token is served.
        try (WsRecorder ann = member(server, token("ann"))) {
            assertThat(ann.awaitItem(i -> is(i, "join", "ann"))).isNotNull();
            assertThat(members(server, ROOM)).containsExactly("ann");
        }
    }

    @Test
    void disconnectingAUserEndsEachOfItsSessionsAndItsMembership() throws Exception {
        start(c -> c);
        String ann = token("ann");
        try (WsRecorder bob = member(server, token("bob"));
             WsRecorder annWs = member(server, ann);
             SseRecorder annSse = sse(ann);
             PollClient annPoll = PollClient.poll(server, ROOM).token(ann)) {
            assertThat(annPoll.poll(0).status()).isEqualTo(200);
            var parked = java.util.concurrent.CompletableFuture.supplyAsync(() -> annPoll.poll(30));
            await().until(() -> server.server().metrics().connections("longpoll").get() == 1);
            bob.awaitItem(i -> is(i, "join", "ann"));
            assertThat(members(server, ROOM)).containsExactly("ann", "bob");

            JsonNode answer = api(server.api("/api/disconnect", "{\"user\":\"ann\"}"));
            assertThat(answer.toString()).isEqualTo("{\"user\":\"ann\",\"sessions\":3}");

            assertThat(annWs.awaitCloseFrame().code()).isEqualTo(4410);
            SseRecorder.Event error = annSse.awaitEvent("sb:error");
            assertThat(error.json().path("code").asInt()).isEqualTo(410);
            annSse.awaitEnd();
            PollClient.Answer refused = parked.get(10, TimeUnit.SECONDS);
            assertThat(refused.status()).isEqualTo(410);
            assertThat(Json.parse(refused.body().getBytes(StandardCharsets.UTF_8)).path("error").asText())
                    .isEqualTo("disconnected");

            bob.awaitItem(i -> is(i, "leave", "ann"));
            assertThat(members(server, ROOM)).containsExactly("bob");
            assertThat(server.server().hub().subscribers(ROOM)).isEqualTo(1);

            // Nothing of ann is left to end; bob was not touched.
            assertThat(api(server.api("/api/disconnect", "{\"user\":\"ann\"}")).path("sessions").asInt()).isZero();
            bob.send("{\"op\":\"ping\",\"id\":9}");
            assertThat(bob.awaitRef(9).path("type").asText()).isEqualTo("pong");
            bob.assertExhausted();
        }
    }

    @Test
    void disconnectReachesAPollSessionThatASendStarted() throws Exception {
        start(c -> c);
        String ann = token("ann");
        // A page that first sends, then long-polls on the session the send answer named.
        HttpResponse<String> sent = server.send(HttpRequest.newBuilder(server.http("/send?token=" + ann))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"op\":\"ping\"}")).build());
        String session = api(sent).path("session").asText();
        PollClient.Answer first = PollClient.poll(server, ROOM).token(ann).poll(0);
        assertThat(first.status()).isEqualTo(200);
        HttpRequest poll = HttpRequest.newBuilder(server.http("/poll?channel=" + ROOM + "&session=" + session
                + "&wait=30&token=" + ann)).GET().build();
        var parked = server.httpClient().sendAsync(poll, HttpResponse.BodyHandlers.ofString());
        await().until(() -> server.server().metrics().connections("longpoll").get() == 1);
        assertThat(members(server, ROOM)).containsExactly("ann");

        JsonNode answer = api(server.api("/api/disconnect", "{\"user\":\"ann\"}"));
        assertThat(answer.path("sessions").asInt()).isEqualTo(2); // the first poll's session, and the send's
        assertThat(parked.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(410);
        await().until(() -> members(server, ROOM).isEmpty());
    }

    // ---- helpers ----

    private SseRecorder sse(String token) {
        SseRecorder sse = SseRecorder.open(server.http("/sse?channel=" + ROOM + "&token=" + token));
        assertThat(sse.status()).isEqualTo(200);
        sse.awaitLastEventId(id -> !id.isEmpty()); // subscribed, so a member
        return sse;
    }

    /** Every item of an SSE stream up to marker {@code n}; join and leave come as {@code sb:join}/{@code sb:leave}. */
    private static List<JsonNode> sseItems(SseRecorder sse, int n) {
        sse.awaitEvent(e -> e.event().equals("message") && isMark(e.json(), n));
        List<JsonNode> out = new ArrayList<>();
        for (SseRecorder.Event e : sse.events()) {
            JsonNode item = e.json();
            String type = item.path("type").asText();
            if (type.equals("join") || type.equals("leave")) assertThat(e.event()).isEqualTo("sb:" + type);
            out.add(item);
            if (isMark(item, n)) break;
        }
        return out;
    }

    private static List<JsonNode> pollItems(PollClient poll, int n) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> poll.items().stream().anyMatch(i -> isMark(i, n)));
        return poll.items();
    }

    private static List<JsonNode> streamItems(StreamRecorder stream, int n) {
        stream.awaitItem(i -> isMark(i, n));
        return stream.items();
    }

    /** The items after marker {@code from} up to marker {@code to}. */
    private static List<JsonNode> between(List<JsonNode> items, int from, int to) {
        List<JsonNode> out = new ArrayList<>();
        boolean in = false;
        for (JsonNode i : items) {
            if (isMark(i, to)) return out;
            if (in) out.add(i);
            if (isMark(i, from)) in = true;
        }
        throw new AssertionError("no markers " + from + " and " + to + " in " + items);
    }

    private static void assertRefused(WsRecorder ws, int code) {
        JsonNode refused = Presence.subscribe(ws, ROOM);
        assertThat(refused.path("type").asText()).isEqualTo("error");
        assertThat(refused.path("code").asInt()).isEqualTo(code);
        ws.send("{\"op\":\"presence\",\"channel\":\"" + ROOM + "\",\"id\":1}");
        assertThat(ws.awaitRef(1).path("code").asInt()).isEqualTo(code);
        ws.assertExhausted(); // refused, and the session stays open
    }

    private HttpResponse<String> get(String pathAndQuery) {
        return server.send(HttpRequest.newBuilder(server.http(pathAndQuery)).GET().build());
    }

    private HttpResponse<String> sendPresence(String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http("/send")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"op\":\"presence\",\"channel\":\"" + ROOM + "\"}"));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return server.send(b.build());
    }
}
