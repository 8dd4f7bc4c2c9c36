package io.switchboard.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.message.Message;
import io.switchboard.server.codec.Json;
import io.switchboard.testkit.StreamRecorder;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every refusal of {@code /stream} and {@code /iframe}: its status and JSON error (with CORS, so a page's
 * fetch can read it), that it is counted, that a bad callback is never written back, and that the door
 * and an already open stream go on serving others afterwards.
 */
class StreamBadInputTest {
    private static final String TOKEN = TestServer.token("u", List.of(), List.of());
    private static final String ORIGIN = "http://localhost:5173";
    private static final AtomicInteger witnesses = new AtomicInteger();
    private static TestServer server;
    private static StreamRecorder bystander;

    /**
     * One bad request. {@code query} has no callback: the iframe's valid one is added unless
     * {@code callback} is given (null = not an iframe-only case). {@code echo}, when not null, is text the
     * answer must not contain.
     */
    record Case(Door door, String name, String query, String callback, UnaryOperator<HttpRequest.Builder> tweak,
                int status, String code, String echo) {
        String path() {
            if (callback != null) return "/iframe?" + query + callback;
            return door.path(query);
        }

        @Override
        public String toString() {
            return door + " " + name;
        }
    }

    static Stream<Case> cases() {
        String tooLong = "c".repeat(165);
        String hundredAndOne = IntStream.range(0, 101).mapToObj(i -> "channel=c" + i).collect(Collectors.joining("&"));
        List<Case> all = new ArrayList<>();
        for (Door d : Door.values()) {
            UnaryOperator<HttpRequest.Builder> get = b -> b;
            all.add(new Case(d, "no channel", "t=1", null, get, 400, "bad_channel", null));
            all.add(new Case(d, "empty channel", "channel=", null, get, 400, "bad_channel", null));
            all.add(new Case(d, "channel with a space", "channel=two%20words", null, get, 400, "bad_channel", null));
            all.add(new Case(d, "channel with a slash", "channel=a/b", null, get, 400, "bad_channel", null));
            all.add(new Case(d, "channel with markup", "channel=%3Cb%3E", null, get, 400, "bad_channel", null));
            all.add(new Case(d, "165-character channel", "channel=" + tooLong, null, get, 400, "bad_channel", null));
            all.add(new Case(d, "duplicate channel", "channel=news&channel=sport&channel=news", null, get, 400,
                    "duplicate_channel", null));
            all.add(new Case(d, "101 channels", hundredAndOne, null, get, 400, "too_many_channels", null));
            all.add(new Case(d, "malformed since", "channel=news&since=nocolon", null, get, 400, "bad_cursor", null));
            all.add(new Case(d, "negative offset", "channel=news&since=abc:-1", null, get, 400, "bad_cursor", null));
            all.add(new Case(d, "wrong slot count", "channel=news&since=abc:1,abc:2", null, get, 400, "bad_cursor", null));
            all.add(new Case(d, "since given twice", "channel=news&since=abc:1&since=abc:2", null, get, 400,
                    "bad_query", null));
            all.add(new Case(d, "session with a space", "channel=news&session=not%20an%20id", null, get, 400,
                    "bad_session", null));
            all.add(new Case(d, "65-character session", "channel=news&session=" + "s".repeat(65), null, get, 400,
                    "bad_session", null));
            all.add(new Case(d, "POST", "channel=news", null, b -> b.POST(HttpRequest.BodyPublishers.ofString("{}")),
                    405, "method_not_allowed", null));
            all.add(new Case(d, "DELETE", "channel=news", null, b -> b.DELETE(), 405, "method_not_allowed", null));
            all.add(new Case(d, "POST with a bad channel", "channel=a/b",
                    null, b -> b.POST(HttpRequest.BodyPublishers.ofString("{}")), 405, "method_not_allowed", null));
            all.add(new Case(d, "private channel, no token", "channel=news&channel=private-team", null, get, 401,
                    "unauthorized", null));
            all.add(new Case(d, "presence channel with a token", "channel=presence-room&token=" + TOKEN, null, get, 403,
                    "forbidden", TOKEN));
            all.add(new Case(d, "private channel with a bearer token", "channel=private-team", null,
                    b -> b.header("Authorization", "Bearer " + TOKEN), 403, "forbidden", TOKEN));
        }
        Door i = Door.IFRAME;
        UnaryOperator<HttpRequest.Builder> get = b -> b;
        all.add(new Case(i, "no callback", "channel=news", "", get, 400, "bad_callback", null));
        all.add(new Case(i, "empty callback", "channel=news", "&callback=", get, 400, "bad_callback", null));
        all.add(new Case(i, "callback alert(1)", "channel=news", "&callback=alert%281%29", get, 400, "bad_callback",
                "alert(1)"));
        all.add(new Case(i, "65-character callback", "channel=news", "&callback=" + "f".repeat(65), get, 400,
                "bad_callback", "f".repeat(65)));
        all.add(new Case(i, "callback closing a script", "channel=news", "&callback=x%3C%2Fscript%3E", get, 400,
                "bad_callback", "</script>"));
        all.add(new Case(i, "callback starting with a digit", "channel=news", "&callback=1up", get, 400,
                "bad_callback", "1up"));
        all.add(new Case(i, "callback with an empty part", "channel=news", "&callback=parent..f", get, 400,
                "bad_callback", "parent..f"));
        all.add(new Case(i, "bad callback before bad cursor", "channel=news&since=nocolon", "&callback=a-b", get, 400,
                "bad_callback", "a-b"));
        all.add(new Case(i, "bad channel before bad callback", "channel=a/b", "&callback=a-b", get, 400,
                "bad_channel", "a-b"));
        return all.stream();
    }

    @BeforeAll
    static void start() {
        server = TestServer.start();
        bystander = Door.IFRAME.open(server, "channel=bystander");
        bystander.awaitItem("open");
    }

    @AfterAll
    static void stop() {
        bystander.close();
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusesWithAClearCountedErrorAndKeepsServingOthers(Case c) {
        String door = c.callback() != null ? "iframe" : c.door().name;
        double before = server.server().metrics().errorCount(door, c.status());
        // Only the bystander's session is left once the previous case's witness has gone.
        await().pollInterval(Duration.ofMillis(10)).until(() -> server.server().context().sessions().size() == 1);
        HttpResponse<String> refused = server.send(c.tweak().apply(HttpRequest.newBuilder(server.http(c.path()))
                .header("Origin", ORIGIN)).build());

        assertThat(refused.statusCode()).isEqualTo(c.status());
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(refused.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        if (c.status() == 405) assertThat(refused.headers().firstValue("Allow")).hasValue("GET");
        JsonNode body = Json.parse(refused.body().getBytes(StandardCharsets.UTF_8));
        assertThat(body.get("error").asText()).isEqualTo(c.code());
        assertThat(body.get("reason").asText()).isNotBlank().doesNotContain(TOKEN).doesNotContain("Exception");
        assertThat(body.size()).isEqualTo(2);
        if (c.echo() != null) assertThat(refused.body()).doesNotContain(c.echo());

        assertThat(server.server().metrics().errorCount(door, c.status())).isEqualTo(before + 1);
        assertThat(server.server().context().sessions().size()).as("a refusal starts no session").isEqualTo(1);
        assertThat(server.server().hub().channels(null)).as("a refusal subscribes nothing")
                .doesNotContainKeys("news", "sport", "private-team", "presence-room");

        // The door still opens streams, and the stream that was open all along still gets messages.
        String channel = "witness-" + witnesses.incrementAndGet();
        try (StreamRecorder fresh = c.door().open(server, "channel=" + channel)) {
            fresh.awaitItem("open");
            Door.publish(server, channel, "{\"ok\":true}");
            assertThat(fresh.awaitItem("message").get("data").get("ok").asBoolean()).isTrue();
        }
        Message m = Door.publish(server, "bystander", "{\"case\":\"" + c.name() + "\"}");
        assertThat(bystander.awaitItem(i -> i.path("offset").asLong() == m.position().offset())
                .get("data").get("case").asText()).isEqualTo(c.name());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Door.class)
    void aSecondStreamOnABusySessionIsRefusedAndTheFirstCarriesOn(Door door) {
        try (TestServer s = TestServer.start(); StreamRecorder first = door.open(s, "channel=news")) {
            String session = first.session();
            double before = s.server().metrics().errorCount(door.name, 409);
            try (StreamRecorder second = door.open(s, "channel=news&session=" + session, Map.of("Origin", ORIGIN))) {
                assertThat(second.status()).isEqualTo(409);
                assertThat(second.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
                assertThat(second.header("Cache-Control")).isEqualTo("no-store");
                assertThat(second.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
                assertThat(second.bodyJson().get("error").asText()).isEqualTo("session_busy");
                assertThat(second.lastChunk()).isFalse();
            }
            assertThat(s.server().metrics().errorCount(door.name, 409)).isEqualTo(before + 1);
            Door.publish(s, "news", "{\"still\":\"here\"}");
            assertThat(first.awaitItem("message").get("data").get("still").asText()).isEqualTo("here");
            assertThat(first.items()).hasSize(2);
            assertThat(s.server().context().sessions().size()).isEqualTo(1);
        }
    }
}
