package io.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.auth.Namespace;
import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's JavaScript client example runs as written in Chromium: the page receives what it published. */
class ReadmeClientExampleTest {
    @TempDir
    Path dir;

    @Test
    void readmeClientExampleReceivesItsOwnPublish() throws Exception {
        String readme = Files.readString(BrowserScripts.repoRoot().resolve("README.md"));
        int section = readme.indexOf("## The JavaScript client");
        assertThat(section).as("README has the client section").isPositive();
        int start = readme.indexOf("```js\n", section) + "```js\n".length();
        String snippet = readme.substring(start, readme.indexOf("```", start));
        assertThat(snippet).contains("/switchboard.js").contains("subscribe(").contains("publish(");
        // As the README says to start it: pages may publish to news, and nowhere else.
        assertThat(readme).contains("--namespaces '[{\"pattern\":\"news\",\"client-publish\":true}]'");
        try (TestServer server = TestServer.start(c -> c.withHub(c.hub().withNamespaces(List.of(Namespace.clientPublish("news")))))) {
            Path file = dir.resolve("snippet.js");
            Files.writeString(file, snippet.replace("127.0.0.1:8080", "127.0.0.1:" + server.port()));
            try (BrowserScripts.Run page = BrowserScripts.run("client-readme.mjs", server.http("").toString(), file.toString())) {
                page.awaitLine("RAN", 60);
                page.awaitLine("CONSOLE [\"update\",{\"text\":\"hi from the page\"}]", 30);
            }
        }
    }
}
