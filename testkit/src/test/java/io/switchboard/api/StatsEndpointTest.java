package io.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/stats}: the admin page's numbers, the same counters {@code /metrics} exposes, behind the
 * API key.
 */
class StatsEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestServer server = TestServer.start();

    private static JsonNode stats() throws Exception {
        HttpResponse<String> r = server.apiGet("/api/stats");
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void needsTheApiKey() {
        double before = server.server().metrics().errorCount("api", 401);
        HttpResponse<String> none = server.send(HttpRequest.newBuilder(server.http("/api/stats")).GET().build());
        assertThat(none.statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = server.send(HttpRequest.newBuilder(server.http("/api/stats"))
                .header("Authorization", "Bearer nope").GET().build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(server.server().metrics().errorCount("api", 401)).isEqualTo(before + 2);
        HttpResponse<String> post = server.api("/api/stats", "{}");
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void countsWhatMetricsCounts() throws Exception {
        JsonNode before = stats();
        String token = TestServer.token("ada", List.of("presence-*"), List.of());
        try (SseRecorder sse = SseRecorder.open(
                server.http("/sse?channel=stats-news&channel=presence-stats&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))) {
            for (int i = 0; i < 3; i++) server.publish("stats-news", "{\"i\":" + i + "}");
            sse.awaitEvent(e -> e.data().contains("\"i\":2"));
            // The member is added as the subscription lands; the numbers say so once it has.
            await().atMost(Duration.ofSeconds(5)).until(() -> stats().path("presence").toString().contains("\"members\":1"));
            JsonNode after = stats();
            assertThat(after.path("published").asLong()).isEqualTo(before.path("published").asLong() + 3);
            assertThat(after.path("delivered").asLong()).isGreaterThanOrEqualTo(before.path("delivered").asLong() + 3);
            assertThat(after.path("connections").path("sse").asLong()).isEqualTo(before.path("connections").path("sse").asLong() + 1);
            assertThat(after.path("channels").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(after.path("subscribers").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(after.path("presence").toString()).contains("{\"channel\":\"presence-stats\",\"members\":1}");
            assertThat(after.path("time").asLong()).isGreaterThanOrEqualTo(before.path("time").asLong());
            String metrics = server.send(HttpRequest.newBuilder(server.http("/metrics")).GET().build()).body();
            assertThat(metrics).contains("switchboard_messages_published_total " + after.path("published").asLong() + ".0");
        }
        server.send(HttpRequest.newBuilder(server.http("/history?channel=bad%20name")).GET().build());
        JsonNode errors = stats().path("errors");
        assertThat(errors.toString()).contains("{\"door\":\"history\",\"code\":400,\"count\":");
    }
}
