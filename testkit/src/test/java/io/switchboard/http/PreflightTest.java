package io.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.codec.Json;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CORS preflights ({@code OPTIONS}) on the browser doors: answered before each door's own method check,
 * {@code 204} with what a page may send for allowed origins, {@code 403} (counted) for the rest.
 */
class PreflightTest {
    static final String PAGE = "http://localhost:5173";
    @RegisterExtension
    static final TestServer server = TestServer.start();

    static HttpResponse<String> options(String path, String origin, String method) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        if (origin != null) {
            b.header("Origin", origin).header("Access-Control-Request-Method", method)
                    .header("Access-Control-Request-Headers", "authorization, content-type");
        }
        return server.send(b.build());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/send, POST", "/poll, GET", "/history, GET", "/sse, GET", "/jsonp, GET"})
    void anAllowedOriginGets204WithWhatItMaySend(String path, String method) {
        HttpResponse<String> r = options(path + "?channel=x", PAGE, method);

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(PAGE);
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue(method + ", OPTIONS");
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
                .contains("Authorization", "Content-Type", "Last-Event-ID");
        assertThat(r.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(r.headers().allValues("Vary")).contains("origin");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("Content-Length")).as("a 204 has none").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/send, send", "/poll, poll", "/history, history", "/sse, sse", "/jsonp, jsonp"})
    void aDisallowedOriginGets403AndIsCounted(String path, String door) {
        double before = server.server().metrics().errorCount(door, 403);
        HttpResponse<String> r = options(path, "https://evil.example", "POST");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(Json.parse(r.body().getBytes(StandardCharsets.UTF_8)).get("error").asText()).isEqualTo("forbidden");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(server.server().metrics().errorCount(door, 403)).isEqualTo(before + 1);
    }

    @Test
    void withoutOriginItIsAPlain204ListingTheMethods() {
        HttpResponse<String> r = options("/send", null, null);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST, OPTIONS");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void aPageCanPreflightThenUseTheDoorOnOneConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String host = "Host: 127.0.0.1:" + server.port() + "\r\nOrigin: " + PAGE + "\r\n";
            for (int i = 0; i < 2; i++) {
                out.write(("OPTIONS /send HTTP/1.1\r\n" + host + "Access-Control-Request-Method: POST\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String preflight = head(in);
                assertThat(preflight).startsWith("HTTP/1.1 204").doesNotContainIgnoringCase("content-length")
                        .doesNotContainIgnoringCase("connection: close");

                String body = "{\"op\":\"ping\",\"id\":" + i + "}";
                out.write(("POST /send HTTP/1.1\r\n" + host + "Content-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String answer = head(in);
                assertThat(answer).startsWith("HTTP/1.1 200");
                int length = Integer.parseInt(answer.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
                String json = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                assertThat(json).startsWith("{\"type\":\"pong\",\"ref\":" + i + ",");
            }
        }
    }

    /** Reads an answer's head, up to and including the blank line. */
    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed inside the answer's head: " + head);
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void doorsStillRefuseOtherMethodsAndServeTheirOwn() {
        for (String path : List.of("/poll", "/sse", "/history", "/jsonp")) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.http(path + "?channel=x"))
                    .header("Origin", PAGE).DELETE().build());
            assertThat(r.statusCode()).as(path).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).as(path).hasValue("GET");
        }
        try (SseRecorder sse = SseRecorder.open(server.http("/sse?channel=pre"), b -> b.header("Origin", PAGE))) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.header("Access-Control-Allow-Origin")).isEqualTo(PAGE);
        }
    }
}
