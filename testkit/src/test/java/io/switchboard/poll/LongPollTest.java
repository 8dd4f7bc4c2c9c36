package io.switchboard.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.codec.Json;
import io.switchboard.testkit.PollClient;
import io.switchboard.testkit.RawHttp;
import io.switchboard.testkit.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /poll?…&wait=S}: parked until a message or S seconds, one request per session, clean exits. */
class LongPollTest {
    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_parked_poll_is_answered_by_the_next_publish() throws Exception {
        PollClient client = PollClient.poll(server, "news");
        client.poll(0);
        CompletableFuture<PollClient.Answer> parked = CompletableFuture.supplyAsync(() -> client.poll(30));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> parkedPolls() == 1);
        assertThat(parked).isNotDone();

        server.publish("news", "{\"hello\":1}");

        PollClient.Answer a = parked.get(5, TimeUnit.SECONDS);
        assertThat(a.json().get("messages")).extracting(m -> m.at("/data/hello").asInt()).containsExactly(1);
        assertThat(parkedPolls()).isZero();
    }

    @Test
    void a_parked_poll_with_nothing_to_say_answers_empty_after_wait_seconds_with_the_same_cursor() {
        PollClient client = PollClient.poll(server, "news");
        client.poll(0);
        String cursor = client.cursor();
        long start = System.nanoTime();

        PollClient.Answer a = client.poll(1);

        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMillis).isBetween(900L, 4000L);
        assertThat(a.json().get("messages")).isEmpty();
        assertThat(a.json().get("cursor").textValue()).isEqualTo(cursor);
    }

    @Test
    void a_long_poll_with_items_already_waiting_answers_at_once() {
        PollClient client = PollClient.poll(server, "news");
        client.poll(0);
        server.publish("news", "1");
        long start = System.nanoTime();

        PollClient.Answer a = client.poll(30);

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
        assertThat(a.json().get("messages")).hasSize(1);
    }

    @Test
    void a_second_request_on_a_session_that_has_one_attached_is_refused_with_409() throws Exception {
        PollClient client = PollClient.poll(server, "news");
        client.poll(0);
        CompletableFuture<PollClient.Answer> parked = CompletableFuture.supplyAsync(() -> client.poll(30));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> parkedPolls() == 1);

        HttpResponse<String> second = server.send(HttpRequest.newBuilder(client.uri(0)).GET().build());

        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(Json.parse(second.body().getBytes()).get("error").textValue()).isEqualTo("session_busy");
        assertThat(server.server().metrics().errorCount("poll", 409)).isEqualTo(1);
        server.publish("news", "\"still\"");
        assertThat(parked.get(5, TimeUnit.SECONDS).json().get("messages")).hasSize(1);
    }

    @Test
    void a_client_that_goes_away_while_parked_leaves_no_session_and_no_subscription() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET /poll?channel=news&wait=30 HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> parkedPolls() == 1);
            assertThat(server.server().context().sessions().size()).isEqualTo(1);
            assertThat(server.server().hub().subscribers("news")).isEqualTo(1);
        }

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.server().context().sessions().size() == 0
                && server.server().hub().subscribers("news") == 0 && parkedPolls() == 0);
        assertThat(server.server().hub().channels(null)).isEmpty();
    }

    @Test
    void a_request_pipelined_behind_a_parked_poll_releases_it_and_both_are_answered_in_order() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /poll?channel=news&wait=30 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> parkedPolls() == 1);
            long start = System.nanoTime();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            InputStream in = socket.getInputStream();
            RawHttp.Answer first = RawHttp.read(in);
            RawHttp.Answer second = RawHttp.read(in);

            assertThat((System.nanoTime() - start) / 1_000_000).as("not held for the whole wait").isLessThan(5000);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).contains("\"messages\":[]");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).contains("\"status\":\"ok\"");
        }
    }

    @Test
    void a_drain_answers_parked_polls_with_a_503_error_item_and_closes() throws Exception {
        PollClient client = PollClient.poll(server, "news");
        client.poll(0);
        CompletableFuture<PollClient.Answer> parked = CompletableFuture.supplyAsync(() -> client.poll(30));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> parkedPolls() == 1);

        server.close();

        PollClient.Answer a = parked.get(5, TimeUnit.SECONDS);
        JsonNode item = a.json().get("messages").get(0);
        assertThat(item.get("type").textValue()).isEqualTo("error");
        assertThat(item.get("code").asInt()).isEqualTo(503);
        assertThat(a.header("connection")).isEqualTo("close");
    }

    private double parkedPolls() {
        return server.server().metrics().connections("longpoll").get();
    }
}
