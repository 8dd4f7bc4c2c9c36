package io.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.broker.MemoryBroker;
import io.switchboard.core.time.Clock;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code /healthz}, {@code /readyz} and {@code /metrics}: open probes for load balancers and Prometheus. */
class HealthRoutesTest {

    private static HttpResponse<String> get(TestServer server, String path) {
        return server.send(HttpRequest.newBuilder(server.http(path)).GET().build());
    }

    @Test
    void healthzAndReadyzAnswerWithoutCredentials() {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> health = get(server, "/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(health.headers().firstValue("Cache-Control")).hasValue("no-store");

            HttpResponse<String> ready = get(server, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"ready\",\"broker\":\"ok\",\"draining\":false}");

            HttpResponse<String> head = server.send(HttpRequest.newBuilder(server.http("/healthz"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void probesRefuseOtherMethods() throws Exception {
        try (TestServer server = TestServer.start()) {
            for (String path : new String[] {"/healthz", "/readyz", "/metrics"}) {
                double before = server.server().metrics().errorCount("http", 405);
                HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.http(path))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
                assertThat(r.statusCode()).as(path).isEqualTo(405);
                JsonNode body = Api.json(r);
                assertThat(body.get("error").asText()).isEqualTo("method_not_allowed");
                assertThat(server.server().metrics().errorCount("http", 405)).isEqualTo(before + 1);
            }
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void readyzSaysNotReadyWhenTheBrokerIsDown() throws Exception {
        MemoryBroker broker = new MemoryBroker(Clock.system());
        ServerConfig config = ServerConfig.defaults("health-key").withPort(0).withShutdownGrace(Duration.ofSeconds(1));
        try (SwitchboardServer server = SwitchboardServer.start(config, broker, Clock.system())) {
            HttpClient client = HttpClient.newHttpClient();
            URI readyz = URI.create(server.baseUrl() + "/readyz");
            assertThat(client.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
            broker.close();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).isEqualTo("{\"status\":\"not_ready\",\"broker\":\"down\",\"draining\":false}");
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as("the process itself still answers").isEqualTo(200);
        }
    }

    @Test
    void metricsIsPrometheusTextAndCountsRefusalsAndPublishes() {
        try (TestServer server = TestServer.start()) {
            server.publish("counted", "1");
            server.publish("counted", "2");
            HttpResponse<String> refused = server.send(HttpRequest.newBuilder(server.http("/api/publish"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(refused.statusCode()).isEqualTo(401);

            HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            String text = metrics.body();
            assertThat(text).contains("# TYPE switchboard_errors_total counter");
            assertThat(Arrays.stream(text.split("\n")).filter(l -> l.startsWith("switchboard_errors_total{"))
                    .filter(l -> l.contains("code=\"401\"") && l.contains("door=\"api\"")))
                    .singleElement().satisfies(l -> assertThat(l).endsWith(" 1.0"));
            assertThat(Arrays.stream(text.split("\n")).filter(l -> l.startsWith("switchboard_messages_published_total")))
                    .singleElement().satisfies(l -> assertThat(l).endsWith(" 2.0"));
            assertThat(text).doesNotContain(server.apiKey());
        }
    }
}
