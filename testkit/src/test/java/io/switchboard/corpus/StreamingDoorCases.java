package io.switchboard.corpus;

import static io.switchboard.corpus.Case.accepted;
import static io.switchboard.corpus.Case.get;
import static io.switchboard.corpus.Case.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The corpus rows of the subscribing GET doors ({@code /sse}, {@code /poll}, {@code /jsonp}, {@code /stream},
 * {@code /iframe}): bad query strings, cursor overflow, callback injection, wrong methods, trickled and
 * abandoned requests.
 */
final class StreamingDoorCases {
    private StreamingDoorCases() {}

    static Stream<Case> all() {
        return Stream.of(sse(), poll(), jsonp(), streams(), abandoned()).flatMap(s -> s);
    }

    private static Stream<Case> sse() {
        String many = IntStream.range(0, 101).mapToObj(i -> "channel=c" + i).collect(Collectors.joining("&"));
        return Stream.of(
                refused("sse", "POST /sse", 405, "method_not_allowed", Case.request("POST", "/sse?channel=c", "text/plain", "x")),
                refused("sse", "no channel", 400, "bad_channel", get("/sse")),
                refused("sse", "invalid UTF-8 in the channel (%C3%28)", 400, "bad_channel", get("/sse?channel=%C3%28")),
                refused("sse", "a malformed %-escape", 400, "bad_query", get("/sse?channel=%zz")),
                refused("sse", "a NUL in the channel (%00)", 400, "bad_channel", get("/sse?channel=a%00b")),
                refused("sse", "101 channels", 400, "too_many_channels", get("/sse?" + many)),
                refused("sse", "the same channel twice", 400, "duplicate_channel", get("/sse?channel=c&channel=c")),
                refused("sse", "since given twice", 400, "bad_query", get("/sse?channel=c&since=-&since=-")),
                refused("sse", "a Last-Event-ID of garbage", 400, "bad_cursor",
                        "GET /sse?channel=c HTTP/1.1\r\nHost: x\r\nConnection: close\r\nLast-Event-ID: ../../etc\r\n\r\n"),
                refused("sse", "a cursor with more slots than channels", 400, "bad_cursor", get("/sse?channel=c&since=-,-")),
                refused("sse", "a private channel without a token", 401, "unauthorized", get("/sse?channel=private-x")),
                refused("sse", "a preflight from a foreign origin", 403, "forbidden",
                        "OPTIONS /sse HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: https://evil.example\r\n"
                                + "Access-Control-Request-Method: GET\r\n\r\n"),
                new Case("sse", "CR LF injected through since is not echoed as a header", Case.Count.of("sse", 400), server -> {
                    try (Wire w = Wire.open(server.port())) {
                        Wire.Answer a = w.send(get("/sse?channel=c&since=a%0d%0aSet-Cookie:%20pwned=1")).answer();
                        Case.assertRefusal(a, 400, "bad_cursor");
                        assertThat(a.headers()).doesNotContainKey("set-cookie");
                    }
                }),
                accepted("sse", "a request trickled over 2 s is still served", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        Wire.Answer a = w.trickle(ascii(get("/sse?channel=trickle")), Duration.ofSeconds(2)).answer();
                        assertThat(a.status()).isEqualTo(200);
                        assertThat(a.headers().get("content-type")).startsWith("text/event-stream");
                        assertThat(a.body()).startsWith("retry:");
                    }
                }));
    }

    private static Stream<Case> poll() {
        return Stream.of(
                refused("poll", "POST /poll with a form body", 405, "method_not_allowed",
                        Case.request("POST", "/poll?channel=c", "application/x-www-form-urlencoded", "channel=c")),
                refused("poll", "wait=61", 400, "bad_wait", get("/poll?channel=c&wait=61")),
                refused("poll", "wait=-1", 400, "bad_wait", get("/poll?channel=c&wait=-1")),
                refused("poll", "wait past Long.MAX", 400, "bad_wait", get("/poll?channel=c&wait=9223372036854775808")),
                refused("poll", "wait=1e1", 400, "bad_wait", get("/poll?channel=c&wait=1e1")),
                refused("poll", "a cursor offset past Long.MAX", 400, "bad_cursor", get("/poll?channel=c&since=ep:9223372036854775808")),
                refused("poll", "a negative cursor offset", 400, "bad_cursor", get("/poll?channel=c&since=ep:-1")),
                refused("poll", "an absurd 200-character epoch", 400, "bad_cursor", get("/poll?channel=c&since=" + "e".repeat(200) + ":0")),
                refused("poll", "a cursor of commas only", 400, "bad_cursor", get("/poll?channel=c&since=,,,")),
                refused("poll", "a session id with path traversal", 400, "bad_session", get("/poll?channel=c&session=..%2F..%2Fetc")),
                refused("poll", "a session id of 65 characters", 400, "bad_session", get("/poll?channel=c&session=" + "s".repeat(65))),
                refused("poll", "an empty channel", 400, "bad_channel", get("/poll?channel=")),
                accepted("poll", "an unknown session id starts a fresh session", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        Wire.Answer a = w.send(get("/poll?channel=c&session=AAAAAAAAAAAAAAAAAAAAAA")).answer();
                        assertThat(a.status()).isEqualTo(200);
                        assertThat(a.json().path("session").asText()).isNotEqualTo("AAAAAAAAAAAAAAAAAAAAAA").isNotEmpty();
                    }
                }),
                accepted("poll", "an HTTP/1.0 request", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        Wire.Answer a = w.send("GET /poll?channel=c HTTP/1.0\r\n\r\n").answer();
                        assertThat(a.status()).isEqualTo(200);
                        assertThat(a.json().has("cursor")).isTrue();
                    }
                }));
    }

    private static Stream<Case> jsonp() {
        return Stream.of(
                jsonpRefused("no callback", ""),
                jsonpRefused("a callback that calls alert", "alert(1)//"),
                jsonpRefused("a callback closing the script tag", "%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E"),
                jsonpRefused("a callback with CR LF", "cb%0d%0aSet-Cookie:%20x=1"),
                jsonpRefused("a callback of 65 characters", "c".repeat(65)),
                jsonpRefused("a callback with a non-ASCII letter", "%C3%B1"),
                jsonpRefused("a callback with an empty part", "a..b"),
                jsonpRefused("a callback starting with a digit", "1abc"),
                jsonpRefused("a callback with an array index", "window%5B0%5D"),
                jsonpRefused("a callback with U+2028 (a JavaScript line break)", "a%E2%80%A8b"),
                refused("jsonp", "the callback given twice", 400, "bad_query", get("/jsonp?channel=c&callback=a&callback=b")));
    }

    /** A JSONP request with a bad callback: 400 {@code bad_callback}, and the callback never comes back. */
    private static Case jsonpRefused(String name, String callback) {
        return new Case("jsonp", name, Case.Count.of("jsonp", 400), server -> {
            try (Wire w = Wire.open(server.port())) {
                Wire.Answer a = w.send(get("/jsonp?channel=c&callback=" + callback)).answer();
                Case.assertRefusal(a, 400, "bad_callback");
                assertNotEchoed(a, callback);
            }
        });
    }

    private static Stream<Case> streams() {
        return Stream.of(
                refused("stream", "PUT /stream", 405, "method_not_allowed", Case.request("PUT", "/stream?channel=c", "application/json", "{}")),
                refused("stream", "a cursor offset past Long.MAX", 400, "bad_cursor", get("/stream?channel=c&since=ep:99999999999999999999")),
                refused("stream", "a malformed %-escape", 400, "bad_query", get("/stream?channel=c%")),
                refused("stream", "a channel with a space", 400, "bad_channel", get("/stream?channel=a+b")),
                iframeRefused("an iframe callback with statements", "parent.x;alert(1)"),
                iframeRefused("an iframe callback opening an HTML comment", "x%3C!--"),
                iframeRefused("an iframe callback closing the script tag", "%3C/script%3E"),
                iframeRefused("no iframe callback", ""),
                accepted("stream", "a request trickled over 2 s is still served", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        Wire.Answer a = w.trickle(ascii(get("/stream?channel=trickle")), Duration.ofSeconds(2)).answer();
                        assertThat(a.status()).isEqualTo(200);
                        assertThat(a.body()).contains("\"open\"");
                    }
                }),
                accepted("iframe", "an iframe callback with a dotted path is served", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        Wire.Answer a = w.send(get("/iframe?channel=c&callback=parent.sb.$cb_1")).answer();
                        assertThat(a.status()).isEqualTo(200);
                        assertThat(a.headers().get("content-type")).startsWith("text/html");
                    }
                }));
    }

    private static Case iframeRefused(String name, String callback) {
        return new Case("iframe", name, Case.Count.of("iframe", 400), server -> {
            try (Wire w = Wire.open(server.port())) {
                Wire.Answer a = w.send(get("/iframe?channel=c&callback=" + callback)).answer();
                Case.assertRefusal(a, 400, "bad_callback");
                assertNotEchoed(a, callback);
            }
        });
    }

    /** The client goes away in the middle of a request or a stream. */
    private static Stream<Case> abandoned() {
        return Stream.of(
                accepted("sse", "the client vanishes halfway through the request head", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        w.send("GET /sse?channel=c HTTP/1.1\r\nHost: 127.0.0.1\r\n");
                    }
                }),
                accepted("sse", "the client vanishes once the stream is open", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        assertThat(w.send(get("/sse?channel=gone")).answer().status()).isEqualTo(200);
                    }
                }),
                accepted("stream", "the client vanishes once the stream is open", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        assertThat(w.send(get("/stream?channel=gone")).answer().status()).isEqualTo(200);
                    }
                }),
                accepted("poll", "the client vanishes during a long-poll", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        w.send(get("/poll?channel=gone&wait=30"));
                        org.awaitility.Awaitility.await().until(() -> server.server().metrics().connections("longpoll").get() == 1);
                    }
                }));
    }

    /** Neither the raw nor the decoded callback appears anywhere in the answer. */
    private static void assertNotEchoed(Wire.Answer a, String callback) {
        if (callback.isEmpty()) return;
        String decoded = java.net.URLDecoder.decode(callback, StandardCharsets.UTF_8);
        assertThat(a.body()).doesNotContain(callback).doesNotContain(decoded);
        assertThat(a.headers().toString()).doesNotContain(decoded);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
