package io.switchboard.send;

import static io.switchboard.send.Send.ok;
import static io.switchboard.send.Send.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed or refused {@code POST /send} gets its status and error code, is counted, publishes
 * nothing, never repeats the token, and leaves the door serving others. A page from an origin that may not
 * use the door is refused before anything is done.
 */
class SendBadInputTest {
    static final String TOKEN = TestServer.token("u", List.of(), List.of());
    static final String ORIGIN = "http://localhost:5173";
    @RegisterExtension
    static final TestServer server = TestServer.start();

    /** Body, status, code, the ref the answer echoes (null: none), whether a session was in use by then. */
    static Stream<Arguments> badFrames() {
        return Stream.of(
                Arguments.of("not json", 400, "bad_json", null, false),
                Arguments.of("", 400, "bad_json", null, false),
                Arguments.of("[{\"op\":\"ping\"}]", 400, "bad_json", null, false),
                Arguments.of("{\"op\":\"ping\"} {\"op\":\"ping\"}", 400, "bad_json", null, false),
                Arguments.of("{\"op\":\"ping\",\"op\":\"ping\"}", 400, "bad_json", null, false),
                Arguments.of("{\"op\":\"ping\",\"id\":{\"a\":1}}", 400, "bad_field", null, false),
                Arguments.of("{\"id\":1}", 400, "bad_field", 1, false),
                Arguments.of("{\"op\":7,\"id\":1}", 400, "bad_field", 1, false),
                Arguments.of("{\"op\":\"dance\",\"id\":1}", 400, "bad_op", 1, false),
                Arguments.of("{\"op\":\"subscribe\",\"channel\":\"x\",\"id\":1}", 400, "bad_op", 1, false),
                Arguments.of("{\"op\":\"unsubscribe\",\"channel\":\"x\",\"id\":1}", 400, "bad_op", 1, false),
                Arguments.of("{\"op\":\"publish\",\"channel\":\"bad name\",\"data\":1,\"id\":1}", 400, "bad_channel", 1, true),
                Arguments.of("{\"op\":\"publish\",\"data\":1,\"id\":1}", 400, "bad_field", 1, true),
                Arguments.of("{\"op\":\"publish\",\"channel\":\"x\",\"id\":1}", 400, "bad_field", 1, true),
                Arguments.of("{\"op\":\"publish\",\"channel\":\"x\",\"event\":\"sb:join\",\"data\":1,\"id\":1}", 400, "bad_event", 1, true),
                Arguments.of("{\"op\":\"publish\",\"channel\":\"private-x\",\"data\":1,\"id\":1}", 403, "forbidden", 1, true),
                Arguments.of("{\"op\":\"history\",\"channel\":\"x\",\"limit\":0,\"id\":1}", 400, "bad_limit", 1, true),
                Arguments.of("{\"op\":\"history\",\"channel\":\"x\",\"limit\":\"2\",\"id\":1}", 400, "bad_field", 1, true),
                Arguments.of("{\"op\":\"history\",\"channel\":\"x\",\"since\":\"nope\",\"id\":1}", 400, "bad_position", 1, true),
                Arguments.of("{\"op\":\"auth\",\"id\":1}", 400, "bad_field", 1, true));
    }

    @ParameterizedTest(name = "{0} → {1} {2}")
    @MethodSource("badFrames")
    void refusedWithItsStatusCountedAndNothingPublished(String body, int status, String code, Integer ref, boolean session) {
        double published = Send.published(server);
        double before = server.server().metrics().errorCount("send", status);
        HttpResponse<String> r = post(server, "?token=" + TOKEN, body, b -> b.header("Origin", ORIGIN));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode answer = Send.json(r);
        assertThat(answer.get("error").asText()).isEqualTo(code);
        assertThat(answer.get("reason").asText()).isNotBlank();
        if (ref == null) assertThat(answer.has("ref")).isFalse();
        else assertThat(answer.get("ref").asInt()).isEqualTo(ref);
        assertThat(answer.has("session")).isEqualTo(session);
        assertThat(r.body()).doesNotContain(TOKEN).doesNotContain("Exception");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(server.server().metrics().errorCount("send", status)).as("counted").isEqualTo(before + 1);
        assertThat(Send.published(server)).as("nothing published").isEqualTo(published);
        assertStillServes();
    }

    @Test
    void subscribingIsRefusedWithAPointerToTheGetDoors() {
        HttpResponse<String> r = post(server, "", "{\"op\":\"subscribe\",\"channel\":\"x\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Send.json(r).get("reason").asText()).contains("channel parameters of their GET");
    }

    @Test
    void aPublishWithoutTokenToAPrivateChannelIs401() {
        double before = server.server().metrics().errorCount("send", 401);
        HttpResponse<String> r = post(server, "", "{\"op\":\"publish\",\"channel\":\"private-y\",\"data\":1}");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(Send.json(r).get("error").asText()).isEqualTo("unauthorized");
        assertThat(server.server().metrics().errorCount("send", 401)).isEqualTo(before + 1);
    }

    @Test
    void dataOverTheMessageLimitIs413AndNothingIsPublished() {
        double published = Send.published(server);
        double before = server.server().metrics().errorCount("send", 413);
        String big = "x".repeat(server.server().config().hub().maxDataBytes() + 1);
        HttpResponse<String> r = post(server, "", "{\"op\":\"publish\",\"channel\":\"s-big\",\"data\":\"" + big + "\",\"id\":9}");

        assertThat(r.statusCode()).isEqualTo(413);
        JsonNode answer = Send.json(r);
        assertThat(answer.get("error").asText()).isEqualTo("too_large");
        assertThat(answer.get("ref").asInt()).isEqualTo(9);
        assertThat(r.body()).doesNotContain(big.substring(0, 100));
        assertThat(server.server().metrics().errorCount("send", 413)).isEqualTo(before + 1);
        assertThat(Send.published(server)).isEqualTo(published);
        assertThat(Send.get(server, "/history?channel=s-big").get("messages")).isEmpty();
        assertStillServes();
    }

    @Test
    void aDisallowedOriginIs403AndPublishesNothing() {
        for (String origin : new String[] {"https://evil.example", "null", "http://localhost.evil.example"}) {
            double published = Send.published(server);
            double before = server.server().metrics().errorCount("send", 403);
            HttpResponse<String> r = post(server, "?token=" + TOKEN,
                    "{\"op\":\"publish\",\"channel\":\"s-csrf\",\"data\":\"forged\",\"id\":1}", b -> b.header("Origin", origin));

            assertThat(r.statusCode()).as(origin).isEqualTo(403);
            JsonNode answer = Send.json(r);
            assertThat(answer.get("error").asText()).isEqualTo("forbidden");
            assertThat(answer.has("session")).as("no session made for it").isFalse();
            assertThat(r.body()).doesNotContain(TOKEN);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(server.server().metrics().errorCount("send", 403)).isEqualTo(before + 1);
            assertThat(Send.published(server)).isEqualTo(published);
        }
        assertThat(Send.get(server, "/history?channel=s-csrf").get("messages")).as("nothing published").isEmpty();

        // The same publish from an allowed origin goes through.
        ok(post(server, "", "{\"op\":\"publish\",\"channel\":\"s-csrf\",\"data\":\"fine\"}", b -> b.header("Origin", ORIGIN)));
        assertThat(Send.get(server, "/history?channel=s-csrf").get("messages")).hasSize(1);
    }

    @Test
    void otherMethodsAre405WithAllowPost() {
        for (String method : new String[] {"GET", "PUT", "DELETE"}) {
            double before = server.server().metrics().errorCount("send", 405);
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.http("/send?token=" + TOKEN))
                    .header("Origin", ORIGIN)
                    .method(method, method.equals("PUT") ? HttpRequest.BodyPublishers.ofString("{\"op\":\"ping\"}")
                            : HttpRequest.BodyPublishers.noBody()).build());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("POST");
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
            assertThat(Send.json(r).get("error").asText()).isEqualTo("method_not_allowed");
            assertThat(r.body()).doesNotContain(TOKEN);
            assertThat(server.server().metrics().errorCount("send", 405)).isEqualTo(before + 1);
        }
        assertStillServes();
    }

    @Test
    void aMalformedSessionIs400AndPublishesNothing() {
        for (String query : new String[] {"?session=not*ours", "?session=" + "A".repeat(65), "?session=a&session=b"}) {
            double published = Send.published(server);
            double before = server.server().metrics().errorCount("send", 400);
            HttpResponse<String> r = post(server, query + "&token=" + TOKEN,
                    "{\"op\":\"publish\",\"channel\":\"s-session\",\"data\":1}");
            assertThat(r.statusCode()).as(query).isEqualTo(400);
            assertThat(Send.json(r).get("error").asText()).isIn("bad_session", "bad_query");
            assertThat(r.body()).doesNotContain(TOKEN).doesNotContain("not*ours");
            assertThat(server.server().metrics().errorCount("send", 400)).isEqualTo(before + 1);
            assertThat(Send.published(server)).isEqualTo(published);
        }
        assertStillServes();
    }

    private static void assertStillServes() {
        assertThat(ok(post(server, "", "{\"op\":\"publish\",\"channel\":\"s-fine\",\"data\":1}")).get("type").asText())
                .isEqualTo("ack");
    }
}
