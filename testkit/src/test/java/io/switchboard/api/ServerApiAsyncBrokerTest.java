package io.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.time.Clock;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.DeferredBroker;
import io.switchboard.testkit.RawHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server API on a Broker that answers later, from its own thread, or fails: answers are written
 * when the Broker answers, no event loop waits meanwhile, and failures become counted {@code 503}s.
 */
class ServerApiAsyncBrokerTest {
    static final String KEY = "async-test-key";
    DeferredBroker broker;
    SwitchboardServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        broker = new DeferredBroker();
        server = SwitchboardServer.start(ServerConfig.defaults(KEY).withPort(0).withShutdownGrace(Duration.ofSeconds(1)),
                broker, Clock.system());
    }

    @AfterEach
    void stop() {
        broker.release();
        server.close();
    }

    private HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(10)).GET().build();
    }

    private HttpResponse<String> send(HttpRequest r) throws Exception {
        return client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersArriveWhenTheBrokerAnswersAndNoEventLoopWaits() throws Exception {
        broker.hold();
        CompletableFuture<HttpResponse<String>> publish = client.sendAsync(post("/api/publish",
                "{\"channel\":\"slow\",\"data\":1}"), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> history = client.sendAsync(get("/api/channels/slow/history"),
                HttpResponse.BodyHandlers.ofString());

        await().atMost(Duration.ofSeconds(5)).until(() -> broker.calls.get() == 2); // both are waiting on the broker
        // One fresh connection per event loop: accepted round-robin, so every loop must answer one,
        // including the loops holding the pending requests.
        int loops = server.context().loops().size();
        for (int i = 0; i < loops + 1; i++) {
            RawHttp.Answer r = RawHttp.get(server.port(), "/api/channels", KEY);
            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(publish).isNotDone();
        assertThat(history).isNotDone();

        broker.release();
        HttpResponse<String> published = publish.get(5, TimeUnit.SECONDS);
        assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
        JsonNode position = Api.JSON.readTree(published.body());
        assertThat(position.get("offset").asLong()).isEqualTo(1);
        HttpResponse<String> read = history.get(5, TimeUnit.SECONDS);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(Api.JSON.readTree(read.body()).get("cursor").asText()).matches(".+:[01]");
        assertThat(server.metrics().registry().get("switchboard.messages.published").counter().count()).isEqualTo(1);
    }

    @Test
    void aBrokerFailureIsACounted503AndTheNextRequestWorks() throws Exception {
        broker.down(channel -> channel.startsWith("down-"));
        for (HttpRequest r : new HttpRequest[] {post("/api/publish", "{\"channel\":\"down-1\",\"data\":1}"),
                post("/api/publish", "{\"channels\":[\"down-1\",\"down-2\"],\"data\":1}"),
                get("/api/channels/down-1"), get("/api/channels/down-1/history")}) {
            double before = server.metrics().errorCount("api", 503);
            HttpResponse<String> answer = send(r);
            assertThat(answer.statusCode()).as(r.uri() + " " + answer.body()).isEqualTo(503);
            assertThat(answer.body()).startsWith("{\"error\":\"unavailable\",\"reason\":\"").doesNotContain("at io.")
                    .doesNotContain("connection to the broker lost");
            assertThat(server.metrics().errorCount("api", 503)).isEqualTo(before + 1);
        }
        assertThat(send(post("/api/publish", "{\"channel\":\"up-1\",\"data\":1}")).statusCode()).isEqualTo(200);
    }

    @Test
    void partialFailuresAreAnsweredPerChannelAndPerItem() throws Exception {
        broker.down(channel -> channel.startsWith("down-"));
        double before = server.metrics().errorCount("api", 503);

        HttpResponse<String> multi = send(post("/api/publish", "{\"channels\":[\"up-1\",\"down-1\"],\"data\":1}"));
        assertThat(multi.statusCode()).isEqualTo(200);
        JsonNode results = Api.JSON.readTree(multi.body()).get("results");
        assertThat(results.get(0).get("channel").asText()).isEqualTo("up-1");
        assertThat(results.get(0).get("offset").asLong()).isEqualTo(1);
        assertThat(results.get(1).get("channel").asText()).isEqualTo("down-1");
        assertThat(results.get(1).get("error").asText()).isEqualTo("unavailable");

        HttpResponse<String> batch = send(post("/api/batch",
                "[{\"channel\":\"down-1\",\"data\":1},{\"channel\":\"up-1\",\"data\":2}]"));
        assertThat(batch.statusCode()).isEqualTo(200);
        JsonNode items = Api.JSON.readTree(batch.body()).get("results");
        assertThat(items.get(0).get("error").asText()).isEqualTo("unavailable");
        assertThat(items.get(1).get("offset").asLong()).isEqualTo(2);
        assertThat(server.metrics().errorCount("api", 503)).isEqualTo(before + 2);
    }
}
