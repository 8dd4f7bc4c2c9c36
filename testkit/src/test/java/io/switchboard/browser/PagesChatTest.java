package io.switchboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo chat in headless Chromium, two people in two browser contexts on different transports (ada on
 * the WebSocket, bob long-polling), then cy on SSE: each gets a demo token for a nickname, sees the others
 * arrive in the presence list, sees ada typing, gets the messages, and cy, joining late, gets them from
 * history; when bob leaves, he leaves ada's list.
 */
class PagesChatTest {
    @Test
    void twoWindowsChatWithPresenceTypingAndHistory() throws Exception {
        Path shots = PageScripts.screenshots();
        try (TestServer server = TestServer.start(c -> c.withHub(c.hub().withNamespaces(List.of())
                .withPresenceGrace(Duration.ofMillis(200))).withDemo(true));
             BrowserScripts.Run chat = BrowserScripts.run("pages-chat.mjs", server.http("").toString(), shots.toString())) {
            JsonNode result = PageScripts.result(chat, 50);

            assertThat(result.path("problems")).as("no script errors in the pages").isEmpty();
            List<String> conversation = List.of("ada: hello bob", "bob: hi ada, over long-polling");
            assertThat(texts(result.path("ada").path("lines"))).isEqualTo(conversation);
            assertThat(texts(result.path("bob").path("lines"))).isEqualTo(conversation);
            assertThat(texts(result.path("cy").path("lines"))).as("history on join").isEqualTo(conversation);
            assertThat(result.path("bob").path("typingSeen").asText()).isEqualTo("ada is typing…");
            assertThat(texts(result.path("cy").path("members"))).containsExactlyInAnyOrder("ada", "bob", "cy (you)");
            assertThat(texts(result.path("ada").path("members"))).as("bob left").containsExactlyInAnyOrder("ada (you)", "cy");
            assertThat(result.path("cy").path("overflow").asInt()).as("no sideways scrolling on a phone").isLessThanOrEqualTo(390);
            // Typing went to its own channel: the room's history holds the conversation only.
            assertThat(server.apiGet("/api/channels/presence-demo-chat-test/history").body())
                    .contains("\"from\":\"ada\"", "\"from\":\"bob\"").doesNotContain("\"event\":\"typing\"");
        }
        PageScripts.assertScreenshots(shots, "chat");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
