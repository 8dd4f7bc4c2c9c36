package io.switchboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Transport Lab in headless Chromium against the real server, with the demo on and no other rule
 * letting clients publish: every one of the eight panes connects with its technique, the page's
 * publisher (its button and its ticker) reaches all of them, and the ranking table shows each with a
 * plausible latency and request count, fast pushes ahead of polling; each pane draws its traffic.
 */
class PagesLabTest {
    private static final List<String> TECHNIQUES = List.of("websocket", "sse", "stream", "iframe", "longpoll", "jsonp", "poll", "http");

    @Test
    void everyPaneReceivesWhatTheLabPublishesAndTheTableRanksThem() throws Exception {
        Path shots = PageScripts.screenshots();
        try (TestServer server = TestServer.start(c -> c.withHub(c.hub().withNamespaces(List.of())).withDemo(true));
             BrowserScripts.Run lab = BrowserScripts.run("pages-lab.mjs", server.http("").toString(), shots.toString())) {
            lab.awaitLine("CONNECTED", 30);
            JsonNode result = PageScripts.result(lab, 40);

            assertThat(result.path("problems")).as("no script errors in the page").isEmpty();
            List<String> seen = new ArrayList<>();
            for (JsonNode row : result.path("table")) {
                String t = row.path("technique").asText();
                seen.add(t);
                assertThat(row.path("state").asText()).as(t).isEqualTo("connected");
                assertThat(row.path("messages").asInt()).as(t).isGreaterThanOrEqualTo(16);
                assertThat(row.path("requests").asInt()).as(t + " made requests").isPositive();
                assertThat(row.path("p50").asText()).as(t).matches("\\d+(\\.\\d)? m?s");
                assertThat(result.path("diagrams").path(t).asInt()).as(t + " draws arrows").isPositive();
            }
            assertThat(seen).containsExactlyInAnyOrderElementsOf(TECHNIQUES);

            for (JsonNode f : result.path("figures")) {
                String t = f.path("technique").asText();
                double p50 = f.path("p50").asDouble(), p99 = f.path("p99").asDouble();
                assertThat(p50).as(t + " p50 ms").isPositive().isLessThan(5000);
                assertThat(p99).as(t + " p99 ms").isGreaterThanOrEqualTo(p50).isLessThan(10000);
                assertThat(f.path("bytes").asLong() / f.path("messages").asDouble()).as(t + " bytes per message")
                        .isGreaterThan(50).isLessThan(20_000);
                int requests = f.path("requests").asInt();
                switch (t) {
                    // One connection carries everything (a reconnect at most).
                    case "websocket", "sse", "stream", "iframe" -> assertThat(requests).as(t).isBetween(1, 3);
                    // One request per answer: at least one more than the answers that carried messages.
                    case "longpoll", "jsonp", "poll", "http" -> assertThat(requests).as(t).isGreaterThanOrEqualTo(2);
                    default -> throw new AssertionError(t);
                }
            }
            JsonNode figures = result.path("figures");
            double fastest = figures.get(0).path("p50").asDouble();
            double slowest = figures.get(figures.size() - 1).path("p50").asDouble();
            assertThat(slowest).as("ranked by median latency").isGreaterThanOrEqualTo(fastest);
            assertThat(List.of("poll", "http")).as("a poller is last: it waits for its next request")
                    .contains(figures.get(figures.size() - 1).path("technique").asText());
            assertThat(result.path("overflow").asInt()).as("no sideways scrolling on a phone").isLessThanOrEqualTo(390);
        }
        PageScripts.assertScreenshots(shots, "lab");
    }
}
