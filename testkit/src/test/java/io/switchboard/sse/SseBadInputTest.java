package io.switchboard.sse;

import static io.switchboard.sse.InProcess.publish;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.message.Message;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every refusal of {@code /sse}: its status and JSON error, that it is counted, and that the door and an
 * already open stream go on serving others afterwards.
 */
class SseBadInputTest {
    private static final String TOKEN = TestServer.token("u", List.of(), List.of());
    private static final AtomicInteger witnesses = new AtomicInteger();
    private static TestServer server;
    private static SseRecorder bystander;

    record Case(String name, String pathAndQuery, UnaryOperator<HttpRequest.Builder> tweak, int status, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        String tooLong = "c".repeat(165);
        String hundredAndOne = IntStream.range(0, 101).mapToObj(i -> "channel=c" + i).collect(Collectors.joining("&"));
        return Stream.of(
                new Case("no channel", "/sse", b -> b, 400, "bad_channel"),
                new Case("empty channel", "/sse?channel=", b -> b, 400, "bad_channel"),
                new Case("channel with a space", "/sse?channel=two%20words", b -> b, 400, "bad_channel"),
                new Case("channel with a slash", "/sse?channel=a/b", b -> b, 400, "bad_channel"),
                new Case("165-character channel", "/sse?channel=" + tooLong, b -> b, 400, "bad_channel"),
                new Case("duplicate channel", "/sse?channel=news&channel=sport&channel=news", b -> b, 400,
                        "duplicate_channel"),
                new Case("101 channels", "/sse?" + hundredAndOne, b -> b, 400, "too_many_channels"),
                new Case("malformed since", "/sse?channel=news&since=nocolon", b -> b, 400, "bad_cursor"),
                new Case("negative offset", "/sse?channel=news&since=abc:-1", b -> b, 400, "bad_cursor"),
                new Case("wrong slot count", "/sse?channel=news&since=abc:1,abc:2", b -> b, 400, "bad_cursor"),
                new Case("malformed Last-Event-ID", "/sse?channel=news&since=abc:1",
                        b -> b.header("Last-Event-ID", "abc;1"), 400, "bad_cursor"),
                new Case("since given twice", "/sse?channel=news&since=abc:1&since=abc:2", b -> b, 400, "bad_query"),
                new Case("POST", "/sse?channel=news", b -> b.POST(HttpRequest.BodyPublishers.ofString("{}")), 405,
                        "method_not_allowed"),
                new Case("DELETE", "/sse?channel=news", b -> b.DELETE(), 405, "method_not_allowed"),
                new Case("private channel, no token", "/sse?channel=news&channel=private-team", b -> b, 401,
                        "unauthorized"),
                new Case("presence channel with a token", "/sse?channel=presence-room&token=" + TOKEN, b -> b, 403,
                        "forbidden"),
                new Case("private channel with a bearer token", "/sse?channel=private-team",
                        b -> b.header("Authorization", "Bearer " + TOKEN), 403, "forbidden"));
    }

    @BeforeAll
    static void start() {
        server = TestServer.start();
        bystander = SseRecorder.open(server.http("/sse?channel=bystander"));
        bystander.awaitLastEventId(id -> !id.isEmpty());
    }

    @AfterAll
    static void stop() {
        bystander.close();
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusesWithAClearCountedErrorAndKeepsServingOthers(Case c) {
        double before = server.server().metrics().errorCount("sse", c.status());
        try (SseRecorder refused = SseRecorder.open(server.http(c.pathAndQuery()),
                b -> c.tweak().apply(b.header("Origin", "http://localhost:5173")))) {
            assertThat(refused.status()).isEqualTo(c.status());
            assertThat(refused.header("Content-Type")).startsWith("application/json");
            assertThat(refused.header("Cache-Control")).isEqualTo("no-store");
            assertThat(refused.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:5173");
            if (c.status() == 405) assertThat(refused.header("Allow")).isEqualTo("GET");
            JsonNode body = refused.bodyJson();
            assertThat(body.get("error").asText()).isEqualTo(c.code());
            assertThat(body.get("reason").asText()).isNotBlank().doesNotContain(TOKEN).doesNotContain("Exception");
            assertThat(body.size()).isEqualTo(2);
        }
        assertThat(server.server().metrics().errorCount("sse", c.status())).isEqualTo(before + 1);
        assertThat(server.server().hub().channels(null)).as("a refusal subscribes nothing")
                .doesNotContainKeys("news", "sport", "private-team", "presence-room");

        // The door still opens streams, and the stream that was open all along still gets messages.
        String channel = "witness-" + witnesses.incrementAndGet();
        try (SseRecorder fresh = SseRecorder.open(server.http("/sse?channel=" + channel))) {
            fresh.awaitLastEventId(id -> !id.isEmpty());
            Message m = publish(server, channel, "{\"ok\":true}");
            assertThat(fresh.awaitEvent("message").id()).isEqualTo(m.position().toString());
        }
        Message m = publish(server, "bystander", "{\"case\":\"" + c.name() + "\"}");
        assertThat(bystander.awaitEvent(e -> e.id().equals(m.position().toString())).json()
                .get("data").get("case").asText()).isEqualTo(c.name());
    }
}
