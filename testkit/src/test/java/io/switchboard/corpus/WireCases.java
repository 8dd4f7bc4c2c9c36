package io.switchboard.corpus;

import static io.switchboard.corpus.Case.accepted;
import static io.switchboard.corpus.Case.get;
import static io.switchboard.corpus.RequestDoorCases.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The corpus rows below the doors: what HTTP/1.1 itself gets wrong — other protocol versions and prefaces,
 * broken request heads, huge heads, broken bodies and chunking, trickled and abandoned requests. Refusals
 * the codec makes are counted under {@code http}.
 */
final class WireCases {
    private WireCases() {}

    static Stream<Case> all() {
        return Stream.of(versions(), heads(), bodies(), pacing()).flatMap(s -> s);
    }

    private static Stream<Case> versions() {
        return Stream.of(
                http("an HTTP/0.9 request line", 400, "bad_request", "GET /history?channel=c\r\n\r\n"),
                http("the HTTP/2 prior-knowledge preface", 400, "bad_version", "PRI * HTTP/2.0\r\n\r\n"),
                http("HTTP/1.2", 400, "bad_version", "GET /history?channel=c HTTP/1.2\r\nHost: x\r\n\r\n"),
                http("HTTP/1.1 without Host (RFC 9112 §3.2)", 400, "bad_request", "GET /history?channel=c HTTP/1.1\r\nConnection: close\r\n\r\n"),
                http("HTTP/1.1 with two Host headers", 400, "bad_request",
                        "GET /history?channel=c HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n"),
                http("a TLS ClientHello on the plain port", 400, "bad_request",
                        new String(WsCases.bytes(0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x03, 0x03, '\r', '\n', '\r', '\n'),
                                java.nio.charset.StandardCharsets.ISO_8859_1)),
                http("binary garbage", 400, "bad_request", "\u0000\u0001\u0002\u00ff\u00fe\r\n\r\n"));
    }

    private static Stream<Case> heads() {
        String manyHeaders = IntStream.range(0, 2000).mapToObj(i -> "X-H" + i + ": v\r\n").collect(Collectors.joining());
        return Stream.of(
                http("whitespace before a header's colon", 400, "bad_request",
                        "GET /history?channel=c HTTP/1.1\r\nHost : x\r\nConnection: close\r\n\r\n"),
                http("a NUL in a header value", 400, "bad_request",
                        "GET /history?channel=c HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\nConnection: close\r\n\r\n"),
                Case.refused("history", "an unknown method", 405, "method_not_allowed", get("/history?channel=c").replaceFirst("GET", "BREW")),
                Case.refused("history", "a lower-case method", 405, "method_not_allowed", get("/history?channel=c").replaceFirst("GET", "get")),
                http("an unknown path", 404, "not_found", get("/nothing-here")),
                Case.refused("history", "TRACE", 405, "method_not_allowed", get("/history?channel=c").replaceFirst("GET", "TRACE")),
                http("CONNECT to another port", 404, "not_found", "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                http("OPTIONS *", 404, "not_found", "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                http("bare LF line endings", 400, "bad_request", "GET /history?channel=c HTTP/1.1\nHost: x\nConnection: close\n\n"),
                http("a header line without a colon", 400, "bad_request",
                        "GET /history?channel=c HTTP/1.1\r\nHost: x\r\nX-A\r\nConnection: close\r\n\r\n"),
                http("an absolute-form URI naming another host", 404, "not_found", get("http://evil.example/history?channel=c")),
                new Case("http", "CR LF encoded in the path is not a header", Case.Count.of("http", 404), server -> {
                    try (Wire w = Wire.open(server.port())) {
                        Wire.Answer a = w.send(get("/history%0d%0aX-Injected:%201?channel=c")).answer();
                        Case.assertRefusal(a, 404, "not_found");
                        assertThat(a.headers()).doesNotContainKey("x-injected");
                    }
                }),
                // Header and URL size limits are being made configurable (issue #9): whichever status they
                // settle on, a huge head is refused with a JSON error and counted.
                huge("a 20 KiB header", 431, "headers_too_large", "GET /history?channel=c HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20 * 1024) + "\r\n\r\n"),
                huge("2,000 headers", 431, "headers_too_large", "GET /history?channel=c HTTP/1.1\r\nHost: x\r\n" + manyHeaders + "\r\n"),
                huge("a 10 KiB URL", 414, "uri_too_long", get("/history?channel=c&pad=" + "u".repeat(10 * 1024))));
    }

    private static Stream<Case> bodies() {
        String publish = "POST /api/publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
        return Stream.of(
                http("a chunk size that is not hex", 400, "bad_request", publish + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
                http("a chunk size past Long.MAX", 400, "bad_request",
                        publish + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n"),
                http("a Transfer-Encoding other than chunked", 400, "bad_request", publish + "Transfer-Encoding: gzip\r\n\r\n{}"),
                http("a negative Content-Length", 400, "bad_request", publish + "Content-Length: -5\r\n\r\n{}"),
                http("two different Content-Lengths", 400, "bad_request", publish + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"),
                http("chunks adding up over the body limit", 413, "too_large", publish + "Transfer-Encoding: chunked\r\n\r\n"
                        + ("8000\r\n" + "x".repeat(0x8000) + "\r\n").repeat(3) + "0\r\n\r\n"),
                http("Expect: 100-continue with a body over the limit", 413, "too_large", publish + "Expect: 100-continue\r\n"
                        + "Content-Length: " + (BadInputCorpusTest.MAX_BODY + 1) + "\r\n\r\n"),
                http("an Expect the server does not know", 417, "bad_request", publish + "Expect: a-teapot\r\nContent-Length: 2\r\n\r\n"),
                accepted("send", "Expect: 100-continue within the limit is continued, then answered", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        String body = "{\"op\":\"ping\",\"id\":5}";
                        w.send("POST /send HTTP/1.1\r\nHost: x\r\nConnection: close\r\nExpect: 100-continue\r\nContent-Length: "
                                + body.length() + "\r\n\r\n");
                        assertThat(w.answer().status()).isEqualTo(100);
                        Wire.Answer a = w.send(body).answer();
                        assertThat(a.status()).isEqualTo(200);
                        assertThat(a.json().path("type").asText()).isEqualTo("pong");
                    }
                }),
                // Request smuggling: a proxy and this server must never disagree on where a body ends.
                http("Content-Length beside chunked", 400, "bad_request", "POST /send HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\n"),
                accepted("api", "the client vanishes in the middle of a body", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        w.send(publish + "Authorization: Bearer " + server.apiKey() + "\r\nContent-Length: 100\r\n\r\n{\"channel\":");
                    }
                }),
                accepted("api", "the client vanishes in the middle of a chunked body", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        w.send(publish + "Authorization: Bearer " + server.apiKey() + "\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n{\"ch");
                    }
                }));
    }

    private static Stream<Case> pacing() {
        return Stream.of(
                accepted("history", "a request trickled over 2 s is still answered", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        Wire.Answer a = w.trickle(ascii(get("/history?channel=trickle")), Duration.ofSeconds(2)).answer();
                        assertThat(a.status()).isEqualTo(200);
                        assertThat(a.json().has("messages")).isTrue();
                    }
                }),
                accepted("history", "100 pipelined requests are answered in order", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        StringBuilder all = new StringBuilder();
                        for (int i = 0; i < 100; i++) all.append("GET /history?channel=p").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
                        w.send(all.toString());
                        for (int i = 0; i < 100; i++) {
                            Wire.Answer a = w.answer();
                            assertThat(a.status()).isEqualTo(200);
                        }
                    }
                }),
                accepted("http", "a connection that sends nothing and goes", server -> Wire.open(server.port()).close()),
                slowloris("a request head that never ends (slowloris)", "GET /history?channel=s HTTP/1.1\r\nHost: x\r\n"),
                slowloris("a body that never finishes arriving", "POST /api/publish HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"channel\""));
    }

    /**
     * A request begun and never finished: past {@code request-timeout} (3 s on the corpus's server) it is
     * answered {@code 408 request_timeout} and the connection closes, so it holds nothing.
     */
    private static Case slowloris(String name, String begun) {
        return new Case("http", name, Case.Count.of("http", 408), server -> {
            try (Wire w = Wire.open(server.port())) {
                long start = System.nanoTime();
                Wire.Answer a = w.send(begun).answer();
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertThat(a.status()).isEqualTo(408);
                assertThat(a.error()).isEqualTo("request_timeout");
                long timeout = server.server().config().limits().requestTimeout().toMillis();
                assertThat(ms).as("answered after the timeout and at most one sweep more").isBetween(timeout - 50, timeout + 2500);
            }
        });
    }

    /** Refused by the codec or the dispatcher, counted under {@code http}. */
    private static Case http(String name, int status, String code, String raw) {
        return Case.refused("http", "http", name, status, code, ascii(raw));
    }

    /** A head over the limits ({@code max-url-bytes}, {@code max-header-bytes}): {@code status} with {@code code}, then closed. */
    private static Case huge(String name, int status, String code, String raw) {
        return new Case("http", name, Case.Count.of("http", status), server -> {
            try (Wire w = Wire.open(server.port())) {
                Wire.Answer a = w.send(raw).answer();
                assertThat(a.status()).isEqualTo(status);
                assertThat(a.headers().get("content-type")).startsWith("application/json");
                assertThat(a.error()).isEqualTo(code);
            }
        });
    }
}
