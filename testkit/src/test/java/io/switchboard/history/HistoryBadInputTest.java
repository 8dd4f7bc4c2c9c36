package io.switchboard.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.codec.Json;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed {@code /history} request gets its status and error code, with CORS headers so a page can
 * read why, is counted in metrics, never repeats the token, and leaves the door serving others.
 */
class HistoryBadInputTest {
    static final String TOKEN = TestServer.token("u", List.of(), List.of());
    static final String ORIGIN = "http://localhost:5173";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.publish("fine", "1");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("", 400, "bad_channel"),
                Arguments.of("channel=", 400, "bad_channel"),
                Arguments.of("channel=bad%20name", 400, "bad_channel"),
                Arguments.of("channel=caf%C3%A9", 400, "bad_channel"),
                Arguments.of("channel=" + "x".repeat(165), 400, "bad_channel"),
                Arguments.of("channel=fine&channel=other", 400, "bad_query"),
                Arguments.of("channel=fine&limit=0", 400, "bad_limit"),
                Arguments.of("channel=fine&limit=1001", 400, "bad_limit"),
                Arguments.of("channel=fine&limit=ten", 400, "bad_limit"),
                Arguments.of("channel=fine&limit=", 400, "bad_limit"),
                Arguments.of("channel=fine&since=nope", 400, "bad_position"),
                Arguments.of("channel=fine&since=e1:-1", 400, "bad_position"),
                Arguments.of("channel=fine&since=e1:", 400, "bad_position"),
                Arguments.of("channel=fine&since=e1:1,e1:2", 400, "bad_position"),
                Arguments.of("channel=private-x", 401, "unauthorized"));
    }

    @ParameterizedTest(name = "{0} → {1} {2}")
    @MethodSource("badQueries")
    void refusedWithItsStatusCountedAndCors(String query, int status, String code) {
        String sep = query.isEmpty() ? "" : "&";
        // The token goes along wherever the refusal is not about the token itself.
        String withToken = status == 401 ? query : query + sep + "token=" + TOKEN;
        double before = server.server().metrics().errorCount("history", status);
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.http("/history?" + withToken))
                .header("Origin", ORIGIN).GET().build());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("reason").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain(TOKEN).doesNotContain("Exception");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(server.server().metrics().errorCount("history", status)).as("counted").isEqualTo(before + 1);
        assertStillServes();
    }

    @Test
    void otherMethodsAre405WithAllowGet() {
        for (String method : new String[] {"POST", "PUT", "DELETE", "HEAD"}) {
            double before = server.server().metrics().errorCount("history", 405);
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.http("/history?channel=fine&token=" + TOKEN))
                    .header("Origin", ORIGIN).method(method, method.equals("HEAD") || method.equals("DELETE")
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("GET");
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
            if (!method.equals("HEAD")) {
                assertThat(Json.parse(r.body().getBytes(StandardCharsets.UTF_8)).get("error").asText())
                        .isEqualTo("method_not_allowed");
                assertThat(r.body()).doesNotContain(TOKEN);
            }
            assertThat(server.server().metrics().errorCount("history", 405)).isEqualTo(before + 1);
        }
        assertStillServes();
    }

    private static void assertStillServes() {
        HttpResponse<String> ok = server.send(HttpRequest.newBuilder(server.http("/history?channel=fine")).GET().build());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(Json.parse(ok.body().getBytes(StandardCharsets.UTF_8)).get("messages")).hasSize(1);
    }
}
