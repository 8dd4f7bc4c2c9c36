package io.switchboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testkit.BrowserScripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the page tests share: where screenshots go (test artifacts), and the scripts' RESULT lines. */
final class PageScripts {
    private PageScripts() {}

    /** {@code testkit/target/screenshots/}, created when missing. */
    static Path screenshots() throws IOException {
        return Files.createDirectories(BrowserScripts.repoRoot().resolve("testkit/target/screenshots"));
    }

    /** Waits for the script's {@code RESULT <json>} line and parses it. */
    static JsonNode result(BrowserScripts.Run run, int seconds) throws Exception {
        String line = run.awaitLine(l -> l.startsWith("RESULT "), seconds);
        return new ObjectMapper().readTree(line.substring("RESULT ".length()));
    }

    /** Both screenshots of {@code page} were written, as PNG files of some size. */
    static void assertScreenshots(Path dir, String page) throws IOException {
        for (String width : new String[] {"desktop", "phone"}) {
            Path png = dir.resolve(page + "-" + width + ".png");
            assertThat(png).exists();
            assertThat(Files.size(png)).as(png.toString()).isGreaterThan(5_000);
        }
    }
}
