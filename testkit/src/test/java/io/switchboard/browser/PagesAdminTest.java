package io.switchboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The landing page and the admin dashboard in headless Chromium. The landing page links the pages (not the
 * demo's on a server without it), its snippets name this server and its figures come from {@code /metrics}. The dashboard refuses a wrong API
 * key (which then shows as an {@code api 401}), and with the right one its numbers move: messages
 * published through the server API and an SSE subscriber appear in the figures and charts.
 */
class PagesAdminTest {
    @Test
    void landingPageAndAdminDashboardShowTheServersNumbers() throws Exception {
        Path shots = PageScripts.screenshots();
        try (TestServer server = TestServer.start(c -> c.withDemo(true));
             TestServer plain = TestServer.start();
             BrowserScripts.Run run = BrowserScripts.run("pages-admin.mjs", server.http("").toString(), shots.toString(),
                     server.apiKey(), plain.http("").toString())) {
            JsonNode result = PageScripts.result(run, 40);

            assertThat(result.path("problems")).as("no script errors in the pages").isEmpty();
            JsonNode landing = result.path("landing");
            assertThat(landing.path("links").toString()).isEqualTo("[\"/lab\",\"/demo/chat\",\"/admin\"]");
            assertThat(landing.path("snippet").asText()).contains("curl -s -X POST " + server.http("/api/publish"));
            assertThat(landing.path("published").asText()).matches("\\d+");
            assertThat(landing.path("overflow").asInt()).isLessThanOrEqualTo(390);
            assertThat(landing.path("withoutDemo").toString()).as("without the demo, no link to its pages")
                    .contains("\"/admin\"").doesNotContain("/lab", "/demo/chat");

            JsonNode admin = result.path("admin");
            assertThat(admin.path("refused").asText()).isEqualTo("That API key was refused (401).");
            assertThat(admin.path("published").asLong()).isGreaterThanOrEqualTo(admin.path("before").asLong() + 12);
            assertThat(admin.path("connections").asInt()).isPositive();
            assertThat(admin.path("channels").asInt()).isPositive();
            assertThat(admin.path("legend").toString()).contains("\"sse: 1\"");
            assertThat(admin.path("errors").toString()).contains("api 401");
            assertThat(admin.path("lines").asInt()).as("chart lines drawn").isGreaterThanOrEqualTo(3);
            assertThat(admin.path("keyStored").asBoolean()).isTrue();
            assertThat(admin.path("keyAfterSignOut").isNull()).as("signing out forgets the key").isTrue();
            assertThat(admin.path("overflow").asInt()).isLessThanOrEqualTo(390);
            assertThat(server.server().metrics().errorCount("api", 401)).as("the wrong key was counted").isEqualTo(1);
        }
        PageScripts.assertScreenshots(shots, "admin");
        PageScripts.assertScreenshots(shots, "landing");
    }
}
