package io.switchboard.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/1.0 has no chunked encoding, and proxies such as nginx speak 1.0 upstream unless told otherwise: a
 * 1.0 client of a streaming door gets the body bytes as they are, ended by the connection closing.
 */
class Http10StreamTest {
    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/stream?channel=news", "/sse?channel=news"})
    void a_http_1_0_client_gets_an_unchunked_body_that_ends_with_the_connection(String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> head = new ArrayList<>();
            for (String line; !(line = in.readLine()).isEmpty(); ) head.add(line.toLowerCase());
            assertThat(head.get(0)).startsWith("http/1.1 200");
            assertThat(head).noneMatch(h -> h.startsWith("transfer-encoding")).contains("connection: close");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.server().hub().subscribers("news") == 1);

            server.publish("news", "{\"old\":\"client\"}");

            String line;
            do {
                line = in.readLine();
                assertThat(line).as("a chunk-size line would be hex digits alone").doesNotMatch("[0-9a-f]+");
            } while (!line.contains("\"old\":\"client\""));
        }
    }

    @Test
    void a_http_1_1_client_still_gets_chunks() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /stream?channel=news HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> head = new ArrayList<>();
            for (String line; !(line = in.readLine()).isEmpty(); ) head.add(line.toLowerCase());
            assertThat(head).contains("transfer-encoding: chunked");
        }
    }
}
