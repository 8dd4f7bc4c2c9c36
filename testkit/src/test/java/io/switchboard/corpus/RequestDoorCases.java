package io.switchboard.corpus;

import static io.switchboard.corpus.Case.accepted;
import static io.switchboard.corpus.Case.get;
import static io.switchboard.corpus.Case.refused;
import static io.switchboard.corpus.Case.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.message.Publication;
import io.switchboard.testkit.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/**
 * The corpus rows of the request/answer doors: {@code /history}, {@code POST /send}, the server API and
 * the static client assets (path traversal).
 */
final class RequestDoorCases {
    static final String DEEP = "[".repeat(10_000) + "]".repeat(10_000);

    private RequestDoorCases() {}

    static Stream<Case> all() {
        return Stream.of(history(), send(), api(), assets()).flatMap(s -> s);
    }

    private static Stream<Case> history() {
        return Stream.of(
                refused("history", "DELETE /history", 405, "method_not_allowed", request("DELETE", "/history?channel=c", "text/plain", "")),
                refused("history", "no channel", 400, "bad_channel", get("/history")),
                refused("history", "a channel with path traversal", 400, "bad_channel", get("/history?channel=..%2F..%2Fetc%2Fpasswd")),
                refused("history", "limit=0", 400, "bad_limit", get("/history?channel=c&limit=0")),
                refused("history", "limit=1001", 400, "bad_limit", get("/history?channel=c&limit=1001")),
                refused("history", "limit past Long.MAX", 400, "bad_limit", get("/history?channel=c&limit=99999999999999999999")),
                refused("history", "since with a negative offset", 400, "bad_position", get("/history?channel=c&since=ep:-5")),
                refused("history", "since with an offset past Long.MAX", 400, "bad_position", get("/history?channel=c&since=ep:9223372036854775808")),
                refused("history", "since with no epoch", 400, "bad_position", get("/history?channel=c&since=:5")),
                refused("history", "the channel given twice", 400, "bad_query", get("/history?channel=a&channel=b")),
                accepted("history", "a ';' in a channel name is part of the name, not a separator", server -> {
                    server.server().hub().publish(new Publication("semi;colon", "message", "7".getBytes(StandardCharsets.UTF_8), null))
                            .toCompletableFuture().join();
                    try (Wire w = Wire.open(server.port())) {
                        Wire.Answer a = w.send(get("/history?channel=semi;colon")).answer();
                        assertThat(a.status()).isEqualTo(200);
                        assertThat(a.json().path("messages").get(0).path("channel").asText()).isEqualTo("semi;colon");
                    }
                }));
    }

    private static Stream<Case> send() {
        String json = "application/json";
        return Stream.of(
                refused("send", "GET /send", 405, "method_not_allowed", get("/send")),
                refused("send", "a body that is not JSON", 400, "bad_json", request("POST", "/send", json, "op=ping")),
                refused("send", "an empty body", 400, "bad_json", request("POST", "/send", json, "")),
                refused("send", "send", "a body of invalid UTF-8", 400, "bad_json",
                        body("POST", "/send", json, WsCases.bytes('{', '"', 'o', 'p', '"', ':', '"', 0xC3, 0x28, '"', '}'))),
                refused("send", "10,000 levels of nested JSON", 400, "bad_json",
                        request("POST", "/send", json, "{\"op\":\"publish\",\"channel\":\"c\",\"data\":" + DEEP + "}")),
                refused("send", "a subscribe op", 400, "bad_op", request("POST", "/send", json, "{\"op\":\"subscribe\",\"channel\":\"c\"}")),
                refused("send", "a session id with CR LF", 400, "bad_session",
                        request("POST", "/send?session=a%0d%0aSet-Cookie:x", json, "{\"op\":\"ping\"}")),
                refused("send", "a publish to a channel with a NUL", 400, "bad_channel",
                        request("POST", "/send", json, "{\"op\":\"publish\",\"channel\":\"a\\u0000\",\"data\":1}")),
                refused("send", "http", "a body over the limit, announced by Content-Length", 413, "too_large",
                        ascii("POST /send HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                                + (BadInputCorpusTest.MAX_BODY + 1) + "\r\n\r\n{\"op\":")),
                accepted("send", "JSON sent as text/plain is still read", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        Wire.Answer a = w.send(request("POST", "/send", "text/plain", "{\"op\":\"ping\",\"id\":7}")).answer();
                        assertThat(a.status()).isEqualTo(200);
                        assertThat(a.json().path("type").asText()).isEqualTo("pong");
                    }
                }));
    }

    private static Stream<Case> api() {
        return Stream.of(
                refused("api", "publish without the API key", 401, "unauthorized",
                        request("POST", "/api/publish", "application/json", "{\"channel\":\"c\",\"data\":1}")),
                apiRefused("publish with Basic credentials", 401, "unauthorized", "POST", "/api/publish", "{\"channel\":\"c\",\"data\":1}",
                        k -> "Basic " + java.util.Base64.getEncoder().encodeToString(("api:" + k).getBytes(StandardCharsets.UTF_8))),
                apiRefused("publish with a 10,000-character key", 401, "unauthorized", "POST", "/api/publish", "{}", k -> "Bearer " + "k".repeat(10_000)),
                apiRefused("GET /api/publish", 405, "method_not_allowed", "GET", "/api/publish", "", k -> "Bearer " + k),
                apiRefused("10,000 levels of nested JSON in a publish", 400, "bad_json", "POST", "/api/publish",
                        "{\"channel\":\"c\",\"data\":" + DEEP + "}", k -> "Bearer " + k),
                apiRefused("a publish body that is an array", 400, "bad_json", "POST", "/api/publish", "[1]", k -> "Bearer " + k),
                apiRefused("a batch that is an object", 400, "bad_json", "POST", "/api/batch", "{}", k -> "Bearer " + k),
                apiRefused("publish data over the message limit", 413, "too_large", "POST", "/api/publish",
                        "{\"channel\":\"c\",\"data\":\"" + "x".repeat(BadInputCorpusTest.MAX_DATA + 1) + "\"}", k -> "Bearer " + k),
                apiRefused("a channel path with encoded traversal", 400, "bad_channel", "GET", "/api/channels/..%2F..%2Fetc", "", k -> "Bearer " + k),
                apiRefused("a channel path with a bad %-escape", 400, "bad_channel", "GET", "/api/channels/%zz", "", k -> "Bearer " + k),
                apiRefused("an unknown API path", 404, "not_found", "GET", "/api/channels/c/secrets", "", k -> "Bearer " + k),
                apiRefused("history limit that is not a number", 400, "bad_limit", "GET", "/api/channels/c/history?limit=ten", "", k -> "Bearer " + k),
                new Case("api", "a multipart form where JSON is expected", Case.Count.of("api", 400), server -> {
                    byte[] form = body("POST", "/api/publish", "multipart/form-data; boundary=b",
                            ascii("--b\r\nContent-Disposition: form-data; name=\"channel\"\r\n\r\nc\r\n--b--\r\n"));
                    try (Wire w = Wire.open(server.port())) {
                        Case.assertRefusal(w.send(withKey(form, server)).answer(), 400, "bad_json");
                    }
                }),
                new Case("api", "a publish body of invalid UTF-8", Case.Count.of("api", 400), server -> {
                    byte[] bad = WsCases.bytes('{', '"', 'c', 'h', 'a', 'n', 'n', 'e', 'l', '"', ':', '"', 0xFF, 0xFE, '"', '}');
                    try (Wire w = Wire.open(server.port())) {
                        Case.assertRefusal(w.send(withKey(body("POST", "/api/publish", "application/json", bad), server)).answer(), 400, "bad_json");
                    }
                }));
    }

    /** A server API request whose Authorization header is {@code auth} applied to the real key. */
    private static Case apiRefused(String name, int status, String code, String method, String path, String json,
                                   java.util.function.UnaryOperator<String> auth) {
        return new Case("api", name, Case.Count.of("api", status), server -> {
            String req = request(method, path, "application/json", json)
                    .replaceFirst("\r\n", "\r\nAuthorization: " + auth.apply(server.apiKey()) + "\r\n");
            try (Wire w = Wire.open(server.port())) {
                Case.assertRefusal(w.send(req).answer(), status, code);
            }
        });
    }

    private static byte[] withKey(byte[] request, TestServer server) {
        String s = new String(request, StandardCharsets.ISO_8859_1);
        return ascii(s.replaceFirst("\r\n", "\r\nAuthorization: Bearer " + server.apiKey() + "\r\n"));
    }

    /** The static client assets are two exact paths: traversal in any spelling is a 404, never a file. */
    private static Stream<Case> assets() {
        return Stream.of(
                refused("static", "http", "/switchboard.js/../", 404, "not_found", ascii(get("/switchboard.js/../"))),
                refused("static", "http", "/switchboard.js/../../etc/passwd", 404, "not_found", ascii(get("/switchboard.js/../../etc/passwd"))),
                refused("static", "http", "%2e%2e segments", 404, "not_found", ascii(get("/%2e%2e/%2e%2e/etc/passwd"))),
                refused("static", "http", "encoded slashes", 404, "not_found", ascii(get("/switchboard.js%2F..%2F..%2Fpom.xml"))),
                refused("static", "http", "backslashes", 404, "not_found", ascii(get("/..%5C..%5Cwindows%5Cwin.ini"))),
                refused("static", "http", "a NUL before an extension", 404, "not_found", ascii(get("/switchboard.js%00.html"))),
                refused("static", "http", "a path parameter", 404, "not_found", ascii(get("/switchboard.js;jsessionid=x"))),
                refused("static", "http", "a double slash", 404, "not_found", ascii(get("//switchboard.js"))),
                refused("static", "http", "the jar's resource path", 404, "not_found", ascii(get("/io/switchboard/server/web/switchboard.js"))),
                refused("static", "http", "POST to an asset", 405, "method_not_allowed", ascii(request("POST", "/switchboard.js", "text/plain", "x"))),
                accepted("static", "a traversal in the query string serves the asset, nothing else", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        Wire.Answer a = w.send(get("/switchboard.global.js?../../../etc/passwd")).answer();
                        assertThat(a.status()).isEqualTo(200);
                        assertThat(a.headers().get("content-type")).startsWith("application/javascript");
                        assertThat(a.body()).doesNotContain("root:");
                    }
                }));
    }

    /** {@code method path} with raw body bytes. */
    static byte[] body(String method, String path, String contentType, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: "
                + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n"));
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
