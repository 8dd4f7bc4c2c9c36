package io.switchboard.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.auth.Namespace;
import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/protocol.md promises that its examples run as written. Every {@code curl} line of its {@code sh}
 * blocks is run by bash against a real server (host, port and key substituted) while messages are
 * published to {@code news}: each must answer without an error, and the ones that wait or stream must
 * deliver a message. Streams are stopped after 3 seconds.
 */
class DocsCurlExamplesTest {
    @RegisterExtension
    // As the docs say to start it: pages may publish to news without a token, and nowhere else.
    static final TestServer server = TestServer.start(c -> c.withHub(c.hub().withNamespaces(List.of(Namespace.clientPublish("news")))));

    static Stream<String> curlLines() throws IOException {
        List<String> out = new ArrayList<>();
        boolean inSh = false;
        for (String line : Files.readAllLines(BrowserScripts.repoRoot().resolve("docs/protocol.md"))) {
            if (line.startsWith("```")) {
                inSh = !inSh && line.equals("```sh");
                continue;
            }
            if (inSh && line.startsWith("curl ")) out.add(line);
        }
        return out.stream();
    }

    @Test
    void the_docs_show_a_curl_line_for_every_door_a_terminal_can_use() throws IOException {
        List<String> lines = curlLines().toList();
        for (String door : List.of("/sse?", "/poll?", "wait=", "/jsonp?", "/stream?", "/history?", "/send", "/api/publish")) {
            assertThat(lines).as(door).anyMatch(l -> l.contains(door));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("curlLines")
    void runs_as_written(String line) throws Exception {
        String command = line.replace("127.0.0.1:8080", "127.0.0.1:" + server.port()).replace("dev-key", server.apiKey());
        Path output = Files.createTempFile("curl", ".out");
        try {
            // Streams never end on their own: they get 3 seconds, enough to see a message.
            Process p = new ProcessBuilder("timeout", "3", "bash", "-c", command)
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean streams = line.contains("/stream?") || line.contains("/sse?");
            if (streams || line.contains("wait=")) {
                // Once the example is subscribed (parked or streaming), give it something to receive.
                org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS)
                        .until(() -> server.server().hub().subscribers("news") > 0);
                server.publish("news", "{\"text\":\"for the docs\"}");
            }
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(out).as(line).isNotBlank().doesNotContain("\"error\"");
            if (streams) {
                assertThat(p.exitValue()).as("a stream runs until stopped").isEqualTo(124);
                assertThat(out).contains("for the docs");
            } else {
                assertThat(p.exitValue()).as(line).isZero();
            }
            if (line.contains("wait=")) assertThat(out).contains("for the docs");
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
