package io.switchboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's promise, in a real browser: its curl publish, run as written (host, port and key
 * substituted), reaches a {@code new EventSource('/sse?channel=news')} and a {@code new WebSocket('/ws')}
 * subscriber in headless Chromium.
 */
class BrowserQuickstartTest {

    @Test
    void readmeCurlPublishReachesEventSourceAndWebSocketInChromium() throws Exception {
        String curl = readmeCurlPublish();
        try (TestServer server = TestServer.start();
             BrowserScripts.Run browser = BrowserScripts.run("quickstart.mjs", server.http("").toString())) {
            browser.awaitLine("READY", 30);

            String command = curl.replace("127.0.0.1:8080", "127.0.0.1:" + server.port())
                    .replace("dev-key", server.apiKey());
            Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String answer = new String(p.getInputStream().readAllBytes());
            assertThat(p.exitValue()).isZero();
            JsonNode position = new ObjectMapper().readTree(answer);
            assertThat(position.path("channel").asText()).isEqualTo("news");
            assertThat(position.path("offset").asLong()).isEqualTo(1);

            JsonNode got = new ObjectMapper().readTree(browser.awaitLine(l -> l.startsWith("{"), 20));
            for (String door : List.of("sse", "ws")) {
                JsonNode item = got.path(door);
                assertThat(item.path("type").asText()).as(door).isEqualTo("message");
                assertThat(item.path("channel").asText()).as(door).isEqualTo("news");
                assertThat(item.path("event").asText()).as(door).isEqualTo("update");
                assertThat(item.path("data").path("text").asText()).as(door).isEqualTo("hello");
                assertThat(item.path("epoch").asText()).as(door).isEqualTo(position.path("epoch").asText());
                assertThat(item.path("offset").asLong()).as(door).isEqualTo(1);
            }
        }
    }

    /** The README's {@code curl … /api/publish …} line, so the test fails when the README drifts. */
    private static String readmeCurlPublish() throws Exception {
        Path readme = BrowserScripts.repoRoot().resolve("README.md");
        return Files.readAllLines(readme).stream()
                .map(String::trim)
                .filter(l -> l.startsWith("curl ") && l.contains("/api/publish"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no curl publish line"));
    }
}
