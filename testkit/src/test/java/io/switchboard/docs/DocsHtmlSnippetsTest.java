package io.switchboard.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/protocol.md's {@code <script>} examples (WebSocket, SSE, JSONP, forever iframe) run as written in headless Chromium,
 * on a page of the server's origin: a message published to {@code news} is logged by the page.
 */
class DocsHtmlSnippetsTest {
    static Stream<String> htmlSnippets() throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder block = null;
        for (String line : Files.readAllLines(BrowserScripts.repoRoot().resolve("docs/protocol.md"))) {
            if (block == null && line.equals("```html")) {
                block = new StringBuilder();
            } else if (block != null && line.startsWith("```")) {
                out.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        for (String door : List.of("/ws", "/sse?", "/jsonp?", "/iframe?")) {
            assertThat(out).as("a page snippet for " + door).anyMatch(snippet -> snippet.contains(door));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "snippet {index}")
    @MethodSource("htmlSnippets")
    void runs_as_written_and_logs_a_published_message(String snippet) throws Exception {
        try (TestServer server = TestServer.start()) {
            Path file = Files.createTempFile("snippet", ".html");
            Files.writeString(file, snippet.replace("127.0.0.1:8080", "127.0.0.1:" + server.port()));
            try (BrowserScripts.Run page = BrowserScripts.run("docs-snippet.mjs", server.http("").toString(), file.toString())) {
                page.awaitLine("READY", 30);
                Awaitility.await().atMost(10, TimeUnit.SECONDS)
                        .until(() -> server.server().hub().subscribers("news") > 0);

                server.publish("news", "{\"text\":\"for the docs\"}");

                String logged = page.awaitLine(l -> l.startsWith("CONSOLE ") && l.contains("for the docs")
                        || l.startsWith("PAGEERROR"), 15);
                assertThat(logged).startsWith("CONSOLE ").contains("\"type\":\"message\"", "\"channel\":\"news\"");
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
