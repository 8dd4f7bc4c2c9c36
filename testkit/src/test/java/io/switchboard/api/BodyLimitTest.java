package io.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.RawHttp;
import io.switchboard.testkit.TestServer;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Request bodies over the 1 MiB limit get {@code 413 too_large}, whether or not their size is known upfront. */
class BodyLimitTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();
    static final int LIMIT = 1024 * 1024;

    /** A well-formed publish a little over the body limit. */
    static byte[] oversized() {
        byte[] body = new byte[LIMIT + 100];
        Arrays.fill(body, (byte) ' ');
        byte[] head = "{\"channel\":\"big\",\"data\":1}".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, body, 0, head.length);
        return body;
    }

    @Test
    void bodyWithContentLengthOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        double before = server.server().metrics().errorCount("http", 413);
        byte[] body = oversized();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            // Head only: the answer must come although the body is never sent.
            socket.getOutputStream().write(("POST /api/publish HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + server.apiKey() + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            RawHttp.Answer r = RawHttp.read(socket.getInputStream());
            assertTooLarge(r.status(), r.body());
            assertThat(r.headers().get("connection")).isEqualTo("close");
            // The server ends its side after the answer, yet still takes (and drops) what the client sends.
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
        }
        assertThat(server.server().metrics().errorCount("http", 413)).isEqualTo(before + 1);
        assertStillServes();
    }

    @Test
    void bodyWithContentLengthOverTheLimitSentWhole() {
        double before = server.server().metrics().errorCount("http", 413);
        HttpResponse<String> r = server.send(Api.request(server, "/api/publish")
                .POST(HttpRequest.BodyPublishers.ofByteArray(oversized())).build());
        assertTooLarge(r.statusCode(), r.body());
        assertThat(server.server().metrics().errorCount("http", 413)).isEqualTo(before + 1);
        assertStillServes();
    }

    @Test
    void chunkedBodyOverTheLimitIsRefused() {
        double before = server.server().metrics().errorCount("http", 413);
        // An InputStream body has no known length: the JDK client sends it chunked.
        HttpResponse<String> r = server.send(Api.request(server, "/api/publish")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(oversized()))).build());
        assertTooLarge(r.statusCode(), r.body());
        assertThat(server.server().metrics().errorCount("http", 413)).isEqualTo(before + 1);
        assertStillServes();
    }

    @Test
    void bodyJustUnderTheLimitIsRead() {
        byte[] body = Arrays.copyOf(oversized(), LIMIT);
        HttpResponse<String> r = server.send(Api.request(server, "/api/publish")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static void assertTooLarge(int status, String text) {
        assertThat(status).as(text).isEqualTo(413);
        JsonNode body;
        try {
            body = Api.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
        assertThat(Api.fieldNames(body)).containsExactly("error", "reason");
        assertThat(body.get("error").asText()).isEqualTo("too_large");
        assertThat(text).doesNotContain(server.apiKey()).doesNotContain("at io.");
    }

    private static void assertStillServes() {
        assertThat(server.publish("after-413", "1").statusCode()).isEqualTo(200);
    }
}
