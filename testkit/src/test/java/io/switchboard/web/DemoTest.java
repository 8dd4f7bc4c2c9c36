package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testkit.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the demo opens, and only that: clients publish on {@code demo-*} without a token, {@code /demo/token}
 * gives same-origin pages an hour's token for the demo chat rooms and nothing else. Without the demo the same
 * publish is refused. Both servers start with no namespaces of their own, so only the demo's rule is in play.
 */
class DemoTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestServer server = TestServer.start(c -> c.withHub(c.hub().withNamespaces(List.of())).withDemo(true));

    private static HttpResponse<String> post(TestServer s, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.http(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return s.send(b.build());
    }

    private static HttpResponse<String> get(TestServer s, String path) {
        return s.send(HttpRequest.newBuilder(s.http(path)).GET().build());
    }

    private static String clientPublish(String channel) {
        return "{\"op\":\"publish\",\"channel\":\"" + channel + "\",\"event\":\"tick\",\"data\":{\"n\":1}}";
    }

    @Test
    void clientsMayPublishOnDemoChannelsOnlyWhenTheDemoIsOn() {
        assertThat(post(server, "/send", clientPublish("demo-lab")).statusCode()).isEqualTo(200);
        assertThat(post(server, "/send", clientPublish("demo-typing-lobby")).statusCode()).isEqualTo(200);
        assertThat(post(server, "/send", clientPublish("lab")).statusCode()).as("other channels keep their rules").isEqualTo(401);
        assertThat(post(server, "/send", clientPublish("chat-lobby")).statusCode()).isEqualTo(401);
        try (TestServer plain = TestServer.start(c -> c.withHub(c.hub().withNamespaces(List.of())))) {
            assertThat(post(plain, "/send", clientPublish("demo-lab")).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aDemoTokenOpensTheDemoRoomsAndNothingElse() throws Exception {
        HttpResponse<String> r = post(server, "/demo/token", "{\"user\":\"ada\"}", "Origin", server.http("").toString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as("other origins cannot read it").isEmpty();
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("user").asText()).isEqualTo("ada");
        String token = body.path("token").asText();
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.path("sub").asText()).isEqualTo("ada");
        assertThat(claims.path("channels").toString()).isEqualTo("[\"presence-demo-chat-*\"]");
        assertThat(claims.path("publish").toString()).isEqualTo("[\"presence-demo-chat-*\"]");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);
        assertThat(body.path("expires").asLong()).isEqualTo(claims.path("exp").asLong());

        String t = URLEncoder.encode(token, StandardCharsets.UTF_8);
        assertThat(get(server, "/history?channel=presence-demo-chat-lobby&token=" + t).statusCode()).isEqualTo(200);
        assertThat(get(server, "/history?channel=presence-demo-chat-lobby").statusCode()).isEqualTo(401);
        assertThat(get(server, "/history?channel=private-ada&token=" + t).statusCode()).isEqualTo(403);
        assertThat(get(server, "/history?channel=presence-room&token=" + t).statusCode()).isEqualTo(403);
        HttpResponse<String> said = post(server, "/send", "{\"op\":\"publish\",\"channel\":\"presence-demo-chat-lobby\",\"event\":\"say\",\"data\":{\"text\":\"hi\"}}",
                "Authorization", "Bearer " + token);
        assertThat(said.statusCode()).isEqualTo(200);
        assertThat(server.apiGet("/api/channels/presence-demo-chat-lobby/history").body()).contains("\"from\":\"ada\"");
    }

    @Test
    void badTokenRequestsAreRefusedAndCounted() {
        double before400 = server.server().metrics().errorCount("demo", 400);
        for (String body : List.of("{}", "{\"user\":\"\"}", "{\"user\":\"has space\"}", "{\"user\":\"" + "a".repeat(25) + "\"}",
                "{\"user\":7}", "[\"ada\"]", "not json")) {
            HttpResponse<String> r = post(server, "/demo/token", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.body()).as(body).containsAnyOf("\"error\":\"bad_field\"", "\"error\":\"bad_json\"").doesNotContain("token\":");
        }
        assertThat(server.server().metrics().errorCount("demo", 400)).isEqualTo(before400 + 7);

        double before403 = server.server().metrics().errorCount("demo", 403);
        HttpResponse<String> elsewhere = post(server, "/demo/token", "{\"user\":\"ada\"}", "Origin", "https://evil.example");
        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(elsewhere.body()).contains("\"error\":\"forbidden\"").doesNotContain("token\":");
        assertThat(server.server().metrics().errorCount("demo", 403)).isEqualTo(before403 + 1);

        HttpResponse<String> getToken = get(server, "/demo/token?user=ada");
        assertThat(getToken.statusCode()).isEqualTo(405);
        assertThat(getToken.headers().firstValue("Allow")).hasValue("POST");
        assertThat(post(server, "/demo/token", "{\"user\":\"still-works\"}").statusCode()).isEqualTo(200);
    }
}
