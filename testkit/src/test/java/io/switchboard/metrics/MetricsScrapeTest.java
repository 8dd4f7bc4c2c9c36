package io.switchboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} scraped as Prometheus would, before and after traffic: the key series exist and move
 * as connections open, messages flow and clients misbehave.
 */
class MetricsScrapeTest {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$");

    @Test
    void the_key_series_move_as_traffic_flows() {
        try (TestServer server = TestServer.start()) {
            Map<String, Double> before = scrape(server);
            assertThat(before).containsKeys("switchboard_messages_published_total", "switchboard_messages_delivered_total",
                    "switchboard_received_bytes_total", "switchboard_sent_bytes_total", "switchboard_channels",
                    "switchboard_subscriptions", "switchboard_netty_direct_used_bytes",
                    "switchboard_publish_to_write_seconds_count", "switchboard_connections_idle_closed_total");
            assertThat(before.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"));
            assertThat(before.keySet()).anyMatch(k -> k.startsWith("jvm_gc_"));
            assertThat(before.get("switchboard_subscriptions")).isZero();

            try (WsRecorder ws = WsRecorder.connect(server.ws("/ws"));
                 SseRecorder sse = SseRecorder.open(server.http("/sse?channel=scores"))) {
                ws.awaitType("welcome");
                ws.send("{\"op\":\"subscribe\",\"channel\":\"scores\"}").awaitType("subscribed");
                await().until(() -> server.server().hub().subscribers("scores") == 2);
                for (int i = 1; i <= 5; i++) server.publish("scores", "{\"n\":" + i + "}");
                for (int i = 1; i <= 5; i++) ws.awaitType("message");
                server.send(HttpRequest.newBuilder(server.http("/history?channel=bad%20name")).GET().build());

                // Series computed at scrape time must survive a GC (Micrometer holds their functions weakly).
                System.gc();
                Map<String, Double> during = scrape(server);
                assertThat(during.get("switchboard_connections{door=\"ws\"}")).isEqualTo(1);
                assertThat(during.get("switchboard_connections{door=\"sse\"}")).isEqualTo(1);
                assertThat(during.get("switchboard_channels")).isEqualTo(1);
                assertThat(during.get("switchboard_subscriptions")).isEqualTo(2);
                assertThat(during.get("switchboard_messages_published_total") - before.get("switchboard_messages_published_total"))
                        .isEqualTo(5);
                await().untilAsserted(() -> assertThat(scrape(server).get("switchboard_messages_delivered_total")
                        - before.get("switchboard_messages_delivered_total")).isEqualTo(10));
                assertThat(during.get("switchboard_publish_to_write_seconds_count")
                        - before.get("switchboard_publish_to_write_seconds_count")).isGreaterThanOrEqualTo(5);
                assertThat(during.keySet()).anyMatch(k -> k.startsWith("switchboard_publish_to_write_seconds_bucket{"));
                assertThat(during.get("switchboard_sent_bytes_total")).isGreaterThan(before.get("switchboard_sent_bytes_total") + 5 * 10);
                assertThat(during.get("switchboard_received_bytes_total")).isGreaterThan(before.get("switchboard_received_bytes_total"));
                assertThat(during.get("switchboard_errors_total{code=\"400\",door=\"history\"}")).isEqualTo(1);
            }
            await().untilAsserted(() -> {
                Map<String, Double> after = scrape(server);
                assertThat(after.get("switchboard_connections{door=\"ws\"}")).isZero();
                assertThat(after.get("switchboard_connections{door=\"sse\"}")).isZero();
                assertThat(after.get("switchboard_subscriptions")).isZero();
            });
        }
    }

    /** Scrapes {@code /metrics} into series → value, the series named with its labels as written. */
    static Map<String, Double> scrape(TestServer server) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.http("/metrics")).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        Map<String, Double> out = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a Prometheus sample line: %s", line).isTrue();
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }
}
