package io.switchboard.api;

import static io.switchboard.api.Api.fieldNames;
import static io.switchboard.api.Api.post;
import static io.switchboard.api.Api.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.RawHttp;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad server API request: each gets its status and {@code {"error","reason"}} (never a
 * stack trace, never the key), is counted in metrics, and leaves the server publishing for others.
 */
class ServerApiBadInputTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();

    static HttpRequest raw(TestServer s, String method, String path, String authorization, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.http(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) b.header("Authorization", authorization);
        return b.build();
    }

    static HttpRequest publishing(TestServer s, String body) {
        return post(s, "/api/publish", body);
    }

    static HttpRequest getting(TestServer s, String path) {
        return request(s, path).GET().build();
    }

    static Arguments bad(String name, Function<TestServer, HttpRequest> request, int status, String code) {
        return Arguments.of(name, request, status, code);
    }

    static final String GOOD = "{\"channel\":\"ok\",\"data\":1}";

    static Stream<Arguments> badInputs() {
        String hundredOne = IntStream.range(0, 101).mapToObj(i -> "\"c" + i + "\"").collect(Collectors.joining(","));
        String thousandOne = IntStream.range(0, 1001).mapToObj(i -> GOOD).collect(Collectors.joining(",", "[", "]"));
        return Stream.of(
                bad("no Authorization header", s -> raw(s, "POST", "/api/publish", null, GOOD), 401, "unauthorized"),
                bad("wrong API key", s -> raw(s, "POST", "/api/publish", "Bearer wrong-" + s.apiKey(), GOOD), 401, "unauthorized"),
                bad("key as Basic scheme", s -> raw(s, "POST", "/api/publish", "Basic " + s.apiKey(), GOOD), 401, "unauthorized"),
                bad("empty Bearer", s -> raw(s, "GET", "/api/channels", "Bearer ", null), 401, "unauthorized"),
                bad("key prefix only", s -> raw(s, "GET", "/api/channels", "Bearer " + s.apiKey().substring(0, 10), null), 401, "unauthorized"),
                bad("bad input without key: credentials first", s -> raw(s, "POST", "/api/publish", null, "not json"), 401, "unauthorized"),
                bad("GET /api/publish", s -> getting(s, "/api/publish"), 405, "method_not_allowed"),
                bad("POST /api/channels", s -> post(s, "/api/channels", "{}"), 405, "method_not_allowed"),
                bad("wrong method without key: method first", s -> raw(s, "DELETE", "/api/channels/x", null, null), 405, "method_not_allowed"),
                bad("unknown /api path", s -> getting(s, "/api/nope"), 404, "not_found"),
                bad("unknown path without key: path first", s -> raw(s, "GET", "/api/nope", null, null), 404, "not_found"),
                bad("an unknown channel sub-path", s -> getting(s, "/api/channels/x/members"), 404, "not_found"),
                bad("disconnect with GET", s -> getting(s, "/api/disconnect"), 405, "method_not_allowed"),
                bad("disconnect without a user", s -> post(s, "/api/disconnect", "{}"), 400, "bad_field"),
                bad("disconnect with a numeric user", s -> post(s, "/api/disconnect", "{\"user\":7}"), 400, "bad_field"),
                bad("disconnect with an array body", s -> post(s, "/api/disconnect", "[]"), 400, "bad_json"),
                bad("presence of a bad channel name", s -> getting(s, "/api/channels/a%20b/presence"), 400, "bad_channel"),
                bad("trailing slash", s -> post(s, "/api/publish/", GOOD), 404, "not_found"),
                bad("not JSON", s -> publishing(s, "{\"channel\":"), 400, "bad_json"),
                bad("empty body", s -> publishing(s, ""), 400, "bad_json"),
                bad("two JSON values", s -> publishing(s, GOOD + " " + GOOD), 400, "bad_json"),
                bad("duplicate key", s -> publishing(s, "{\"channel\":\"a\",\"channel\":\"b\",\"data\":1}"), 400, "bad_json"),
                bad("JSON array to publish", s -> publishing(s, "[" + GOOD + "]"), 400, "bad_json"),
                bad("data missing", s -> publishing(s, "{\"channel\":\"ok\"}"), 400, "bad_field"),
                bad("channel missing", s -> publishing(s, "{\"data\":1}"), 400, "bad_field"),
                bad("channel of wrong type", s -> publishing(s, "{\"channel\":5,\"data\":1}"), 400, "bad_field"),
                bad("bad channel name", s -> publishing(s, "{\"channel\":\"no spaces\",\"data\":1}"), 400, "bad_channel"),
                bad("channel name too long", s -> publishing(s, "{\"channel\":\"" + "c".repeat(165) + "\",\"data\":1}"), 400, "bad_channel"),
                bad("bad event name", s -> publishing(s, "{\"channel\":\"ok\",\"event\":\"a b\",\"data\":1}"), 400, "bad_event"),
                bad("reserved sb: event", s -> publishing(s, "{\"channel\":\"ok\",\"event\":\"sb:join\",\"data\":1}"), 400, "bad_event"),
                bad("event of wrong type", s -> publishing(s, "{\"channel\":\"ok\",\"event\":[],\"data\":1}"), 400, "bad_field"),
                bad("channel and channels", s -> publishing(s, "{\"channel\":\"a\",\"channels\":[\"b\"],\"data\":1}"), 400, "bad_field"),
                bad("channels not an array", s -> publishing(s, "{\"channels\":\"a\",\"data\":1}"), 400, "bad_field"),
                bad("channels empty", s -> publishing(s, "{\"channels\":[],\"data\":1}"), 400, "bad_field"),
                bad("too many channels", s -> publishing(s, "{\"channels\":[" + hundredOne + "],\"data\":1}"), 400, "too_many_channels"),
                bad("duplicate channels", s -> publishing(s, "{\"channels\":[\"a\",\"b\",\"a\"],\"data\":1}"), 400, "duplicate_channel"),
                bad("a bad name among channels", s -> publishing(s, "{\"channels\":[\"a\",\"b/c\"],\"data\":1}"), 400, "bad_channel"),
                bad("data over 64 KiB", s -> publishing(s, "{\"channel\":\"ok\",\"data\":\"" + "x".repeat(64 * 1024) + "\"}"), 413, "too_large"),
                bad("nesting too deep", s -> publishing(s, "{\"channel\":\"ok\",\"data\":" + "[".repeat(100) + "]".repeat(100) + "}"), 400, "bad_json"),
                bad("batch not an array", s -> post(s, "/api/batch", GOOD), 400, "bad_json"),
                bad("batch empty", s -> post(s, "/api/batch", "[]"), 400, "bad_field"),
                bad("batch of 1001", s -> post(s, "/api/batch", thousandOne), 400, "bad_field"),
                bad("limit zero", s -> getting(s, "/api/channels/ok/history?limit=0"), 400, "bad_limit"),
                bad("limit over 1000", s -> getting(s, "/api/channels/ok/history?limit=1001"), 400, "bad_limit"),
                bad("limit not a number", s -> getting(s, "/api/channels/ok/history?limit=ten"), 400, "bad_limit"),
                bad("limit twice", s -> getting(s, "/api/channels/ok/history?limit=1&limit=2"), 400, "bad_query"),
                bad("since without offset", s -> getting(s, "/api/channels/ok/history?since=abc"), 400, "bad_position"),
                bad("since with negative offset", s -> getting(s, "/api/channels/ok/history?since=abc:-1"), 400, "bad_position"),
                bad("since with bad epoch", s -> getting(s, "/api/channels/ok/history?since=a%20b:1"), 400, "bad_position"),
                bad("path traversal-ish channel", s -> getting(s, "/api/channels/..%2F.."), 400, "bad_channel"),
                bad("encoded slash in history channel", s -> getting(s, "/api/channels/a%2Fb/history"), 400, "bad_channel"),
                bad("empty channel in path", s -> getting(s, "/api/channels/"), 400, "bad_channel"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void isRefusedClearlyCountedAndHarmless(String name, Function<TestServer, HttpRequest> request, int status,
                                            String code) {
        double before = server.server().metrics().errorCount("api", status);
        HttpResponse<String> r = server.send(request.apply(server));
        assertRefused(before, r.statusCode(), h -> r.headers().firstValue(h).orElse(null), r.body(), status, code);
    }

    /** Malformed %-escapes, which the JDK client refuses to send. */
    static Stream<Arguments> malformedUris() {
        return Stream.of(
                Arguments.of("/api/channels/ok/history?since=%zz", "bad_query"),
                Arguments.of("/api/channels/%zz", "bad_channel"),
                Arguments.of("/api/channels/%E0%A4/history", "bad_channel"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedUris")
    void malformedEscapesAreRefusedClearly(String path, String code) throws Exception {
        double before = server.server().metrics().errorCount("api", 400);
        RawHttp.Answer r = RawHttp.get(server.port(), path, server.apiKey());
        assertRefused(before, r.status(), h -> r.headers().get(h.toLowerCase(java.util.Locale.ROOT)), r.body(), 400, code);
    }

    private static void assertRefused(double before, int actualStatus, Function<String, String> header, String text,
                                      int status, String code) {
        assertThat(actualStatus).as("status; body %s", text).isEqualTo(status);
        assertThat(header.apply("Content-Type")).startsWith("application/json");
        JsonNode body;
        try {
            body = Api.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
        assertThat(fieldNames(body)).containsExactly("error", "reason");
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("reason").asText()).isNotBlank();
        assertThat(text).doesNotContain(server.apiKey()).doesNotContain("at io.").doesNotContain("Exception");
        assertThat(header.apply("Cache-Control")).isEqualTo("no-store");
        if (status == 401) assertThat(header.apply("WWW-Authenticate")).startsWith("Bearer");
        if (status == 405) assertThat(header.apply("Allow")).isIn("GET", "POST");
        assertThat(server.server().metrics().errorCount("api", status)).as("counted").isEqualTo(before + 1);

        // The server still serves others.
        HttpResponse<String> good = server.send(publishing(server, GOOD));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
    }
}
