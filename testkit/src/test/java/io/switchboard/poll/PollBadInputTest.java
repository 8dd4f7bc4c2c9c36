package io.switchboard.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.codec.Json;
import io.switchboard.testkit.PollClient;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed {@code /poll} and {@code /jsonp} request gets its documented status and error code, is
 * counted, never has its callback written back, and leaves the server serving others.
 */
class PollBadInputTest {
    private static final String TOKEN = TestServer.token("u", java.util.List.of(), java.util.List.of());

    @RegisterExtension
    static final TestServer server = TestServer.start();

    record Case(String name, String method, String path, int status, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        String tooMany = "channel=c" + String.join("&channel=c", java.util.stream.IntStream.range(0, 101)
                .mapToObj(Integer::toString).toList());
        return Stream.of(
                new Case("no channel", "GET", "/poll", 400, "bad_channel"),
                new Case("channel with a space", "GET", "/poll?channel=a%20b", 400, "bad_channel"),
                new Case("channel with a slash", "GET", "/poll?channel=a/b", 400, "bad_channel"),
                new Case("channel of 165 characters", "GET", "/poll?channel=" + "x".repeat(165), 400, "bad_channel"),
                new Case("too many channels", "GET", "/poll?" + tooMany, 400, "too_many_channels"),
                new Case("a channel twice", "GET", "/poll?channel=a&channel=a", 400, "duplicate_channel"),
                new Case("cursor without offset", "GET", "/poll?channel=a&since=abc", 400, "bad_cursor"),
                new Case("cursor with a negative offset", "GET", "/poll?channel=a&since=abc:-1", 400, "bad_cursor"),
                new Case("cursor past a long", "GET", "/poll?channel=a&since=abc:99999999999999999999", 400, "bad_cursor"),
                new Case("cursor with too many slots", "GET", "/poll?channel=a&since=abc:1,abc:2", 400, "bad_cursor"),
                new Case("cursor with too few slots", "GET", "/poll?channel=a&channel=b&since=abc:1", 400, "bad_cursor"),
                new Case("wait of 61", "GET", "/poll?channel=a&wait=61", 400, "bad_wait"),
                new Case("negative wait", "GET", "/poll?channel=a&wait=-1", 400, "bad_wait"),
                new Case("wait that is not a number", "GET", "/poll?channel=a&wait=soon", 400, "bad_wait"),
                new Case("wait given twice", "GET", "/poll?channel=a&wait=1&wait=2", 400, "bad_query"),
                new Case("session with odd characters", "GET", "/poll?channel=a&session=abc%3Cdef", 400, "bad_session"),
                new Case("session of 65 characters", "GET", "/poll?channel=a&session=" + "a".repeat(65), 400, "bad_session"),
                new Case("private channel without token", "GET", "/poll?channel=private-x", 401, "unauthorized"),
                new Case("presence channel with a token", "GET", "/poll?channel=presence-x&token=" + TOKEN, 403, "forbidden"),
                new Case("POST", "POST", "/poll?channel=a", 405, "method_not_allowed"),
                new Case("DELETE", "DELETE", "/jsonp?channel=a&callback=cb", 405, "method_not_allowed"),
                new Case("jsonp without callback", "GET", "/jsonp?channel=a", 400, "bad_callback"),
                new Case("jsonp callback with a call", "GET", "/jsonp?channel=a&callback=alert(1)", 400, "bad_callback"),
                new Case("jsonp callback with markup", "GET", "/jsonp?channel=a&callback=%3Cscript%3E", 400, "bad_callback"),
                new Case("jsonp callback starting with a digit", "GET", "/jsonp?channel=a&callback=1cb", 400, "bad_callback"),
                new Case("jsonp callback with an empty part", "GET", "/jsonp?channel=a&callback=a..b", 400, "bad_callback"),
                new Case("jsonp callback ending in a dot", "GET", "/jsonp?channel=a&callback=a.", 400, "bad_callback"),
                new Case("jsonp callback of 65 characters", "GET", "/jsonp?channel=a&callback=" + "c".repeat(65), 400, "bad_callback"),
                new Case("jsonp callback with a bracket", "GET", "/jsonp?channel=a&callback=a%5B0%5D", 400, "bad_callback"),
                new Case("jsonp callback with unicode", "GET", "/jsonp?channel=a&callback=caf%C3%A9", 400, "bad_callback"),
                new Case("jsonp with a bad cursor", "GET", "/jsonp?channel=a&callback=cb&since=x", 400, "bad_cursor"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void is_refused_with_its_status_counted_and_harmless(Case c) {
        String door = c.path().startsWith("/jsonp") ? "jsonp" : "poll";
        double before = server.server().metrics().errorCount(door, c.status());
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http(c.path()));
        b.method(c.method(), c.method().equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                : HttpRequest.BodyPublishers.noBody());

        HttpResponse<String> r = server.send(b.build());

        assertThat(r.statusCode()).isEqualTo(c.status());
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        assertThat(Json.parse(r.body().getBytes()).get("error").textValue()).isEqualTo(c.code());
        if (c.status() == 405) assertThat(r.headers().firstValue("allow")).hasValue("GET");
        assertThat(r.body()).doesNotContain("alert", "script", TOKEN, "abc%3C", "abc<");
        assertThat(server.server().metrics().errorCount(door, c.status())).isEqualTo(before + 1);
        assertThat(server.server().context().sessions().size()).as("a refused request starts no session").isZero();
        assertThat(PollClient.poll(server, "fine").poll(0).status()).isEqualTo(200);
        awaitNoSessions();
    }

    private static void awaitNoSessions() {
        // The control poll above started a session; end it so the next case can check for none.
        server.server().context().sessions().endAll();
        org.awaitility.Awaitility.await().until(() -> server.server().context().sessions().size() == 0);
    }
}
