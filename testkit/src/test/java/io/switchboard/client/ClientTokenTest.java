package io.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client with a token against a server that verifies tokens and has no open namespace: over every
 * fetch-based transport a client whose token allows {@code private-*} reads a private channel and
 * publishes to it (its messages carry its user as {@code from}); without the token it is refused with 401.
 */
class ClientTokenTest {
    @RegisterExtension
    static final TestServer server = TestServer.start(c -> c.withHub(c.hub().withNamespaces(List.of())));

    @Test
    void aClientWithATokenReadsAndPublishesWhereItAllowsAndOneWithoutIsRefused() throws Exception {
        String token = TestServer.token("ann", List.of("private-*"), List.of("private-*"));
        try (BrowserScripts.Run node = BrowserScripts.run("client-node-token.mjs", server.http("").toString(), token)) {
            JsonNode refused = ClientTransportsTest.json(node.awaitLine(l -> l.startsWith("REFUSED "), 60));
            assertThat(refused.path("status").asInt()).isEqualTo(401);
            node.awaitLine("READY", 30);
            List<String> names = List.of("sse", "stream", "longpoll", "poll");
            for (String t : names) server.publish("private-" + t, "{\"from\":\"server\"}");

            JsonNode result = ClientTransportsTest.json(node.awaitLine(l -> l.startsWith("RESULT "), 60));
            for (String t : names) {
                List<String> got = new ArrayList<>();
                result.path(t).forEach(m -> got.add(m.path("event").asText() + "/" + m.path("from").asText("")));
                assertThat(got).as(t).containsExactlyInAnyOrder("from-node/ann", "message/"); // the API publish has no from
            }
        }
    }
}
