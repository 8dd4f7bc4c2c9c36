package io.switchboard.ws;

import static io.switchboard.ws.WsTests.assertServed;
import static io.switchboard.ws.WsTests.open;
import static io.switchboard.ws.WsTests.publish;
import static io.switchboard.ws.WsTests.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.hub.HubConfig;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad client input on {@code /ws}, one case at a time against one server: each gets its error frame (the
 * session stays open) or its close code, is counted in metrics, and a bystander session is still served.
 */
class WsBadInputTest {
    private static final int MAX_FRAME = 16 * 1024;
    private static TestServer server;
    private static WsRecorder bystander;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withMaxBodyBytes(MAX_FRAME)
                .withHub(c.hub().withMaxDataBytes(1024).withMaxSubscriptions(3)));
        bystander = open(server);
        subscribe(bystander, "bystander");
    }

    @AfterAll
    static void stop() {
        bystander.close();
        server.close();
    }

    @AfterEach
    void bystanderIsStillServed() {
        publish(server, "bystander", "{\"still\":true}");
        assertThat(bystander.awaitType("message").path("data").path("still").asBoolean()).isTrue();
        assertServed(bystander);
    }

    static Stream<Arguments> errorFrames() {
        String deep = "[".repeat(100) + "]".repeat(100);
        return Stream.of(
                errorCase("not JSON", 400, "hello"),
                errorCase("JSON but not an object", 400, "[1,2,3]"),
                errorCase("trailing garbage", 400, "{\"op\":\"ping\"} x"),
                errorCase("duplicate keys", 400, "{\"op\":\"ping\",\"op\":\"subscribe\"}"),
                errorCase("nesting too deep", 400, "{\"op\":\"publish\",\"channel\":\"c\",\"data\":" + deep + "}"),
                errorCase("missing op", 400, "{\"channel\":\"c\",\"id\":99}"),
                errorCase("op not a string", 400, "{\"op\":7,\"id\":99}"),
                errorCase("unknown op", 400, "{\"op\":\"dance\",\"id\":99}"),
                errorCase("id neither number nor string", 400, "{\"op\":\"ping\",\"id\":{\"x\":1}}"),
                errorCase("channel missing", 400, "{\"op\":\"subscribe\",\"id\":99}"),
                errorCase("channel not a string", 400, "{\"op\":\"subscribe\",\"channel\":42,\"id\":99}"),
                errorCase("channel with a space", 400, "{\"op\":\"subscribe\",\"channel\":\"no spaces\",\"id\":99}"),
                errorCase("channel too long", 400,
                        "{\"op\":\"subscribe\",\"channel\":\"" + "c".repeat(165) + "\",\"id\":99}"),
                errorCase("malformed since", 400, "{\"op\":\"subscribe\",\"channel\":\"c\",\"since\":\"nope\",\"id\":99}"),
                errorCase("since with a bad epoch", 400,
                        "{\"op\":\"subscribe\",\"channel\":\"c\",\"since\":\"ep*ch:4\",\"id\":99}"),
                errorCase("since not a string", 400, "{\"op\":\"subscribe\",\"channel\":\"c\",\"since\":40,\"id\":99}"),
                errorCase("subscribe twice", 400, "{\"op\":\"subscribe\",\"channel\":\"c\"}",
                        "{\"op\":\"subscribe\",\"channel\":\"c\",\"id\":99}"),
                errorCase("too many channels", 400, "{\"op\":\"subscribe\",\"channel\":\"a\"}",
                        "{\"op\":\"subscribe\",\"channel\":\"b\"}", "{\"op\":\"subscribe\",\"channel\":\"c\"}",
                        "{\"op\":\"subscribe\",\"channel\":\"d\",\"id\":99}"),
                errorCase("unsubscribe when not subscribed", 400, "{\"op\":\"unsubscribe\",\"channel\":\"c\",\"id\":99}"),
                errorCase("publish without data", 400, "{\"op\":\"publish\",\"channel\":\"c\",\"id\":99}"),
                errorCase("publish with a reserved event", 400,
                        "{\"op\":\"publish\",\"channel\":\"c\",\"event\":\"sb:join\",\"data\":1,\"id\":99}"),
                errorCase("publish with an event that is not a string", 400,
                        "{\"op\":\"publish\",\"channel\":\"c\",\"event\":[],\"data\":1,\"id\":99}"),
                errorCase("publish data over the limit", 413,
                        "{\"op\":\"publish\",\"channel\":\"c\",\"data\":\"" + "x".repeat(2000) + "\",\"id\":99}"),
                errorCase("history limit out of range", 400, "{\"op\":\"history\",\"channel\":\"c\",\"limit\":0,\"id\":99}"),
                errorCase("history limit not a number", 400,
                        "{\"op\":\"history\",\"channel\":\"c\",\"limit\":\"ten\",\"id\":99}"),
                errorCase("auth without a token", 400, "{\"op\":\"auth\",\"id\":99}"),
                errorCase("auth with a token that is not a string", 400, "{\"op\":\"auth\",\"token\":5,\"id\":99}"),
                errorCase("private channel without a token", 401,
                        "{\"op\":\"subscribe\",\"channel\":\"private-c\",\"id\":99}"),
                errorCase("presence on a public channel", 400, "{\"op\":\"presence\",\"channel\":\"c\",\"id\":99}"));
    }

    private static Arguments errorCase(String name, int code, String... frames) {
        return Arguments.of(name, code, List.of(frames));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorFrames")
    void badFramesGetAnErrorAndTheSessionStaysOpen(String name, int code, List<String> frames) {
        double before = server.server().metrics().errorCount("ws", code);
        try (WsRecorder ws = open(server)) {
            for (String frame : frames) ws.send(frame);
            JsonNode error = ws.awaitType("error");
            assertThat(error.path("code").asInt()).isEqualTo(code);
            assertThat(error.path("reason").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
            String last = frames.get(frames.size() - 1);
            if (last.contains("\"id\":99")) assertThat(error.path("ref").asInt()).isEqualTo(99);
            else assertThat(error.has("ref")).isFalse();
            assertServed(ws);
            ws.assertExhausted();
        }
        assertThat(server.server().metrics().errorCount("ws", code)).isEqualTo(before + 1);
    }

    static Stream<Arguments> closingInput() {
        String tooBig = "{\"op\":\"ping\",\"pad\":\"" + "x".repeat(MAX_FRAME) + "\"}";
        String half = "x".repeat(MAX_FRAME / 2 + 1);
        return Stream.of(
                closeCase("a binary frame", 4400, ws -> ws.sendBinary(new byte[] {0, 1, 2})),
                closeCase("a frame over the limit", 4413, ws -> ws.send(tooBig)),
                closeCase("a fragmented message over the limit", 4413,
                        ws -> ws.sendFragments("{\"op\":\"ping\",\"pad\":\"", half, half + "\"}")));
    }

    private static Arguments closeCase(String name, int code, Consumer<WsRecorder> action) {
        return Arguments.of(name, code, action);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("closingInput")
    void protocolViolationsCloseTheSession(String name, int code, Consumer<WsRecorder> action) {
        double before = server.server().metrics().errorCount("ws", code);
        try (WsRecorder ws = open(server)) {
            action.accept(ws);
            assertThat(ws.awaitClose()).isEqualTo(code);
        }
        assertThat(server.server().metrics().errorCount("ws", code)).isEqualTo(before + 1);
    }
}
