package io.switchboard.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.codec.Json;
import io.switchboard.testkit.PollClient;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /poll}: immediate answers, cursors over several channels, sessions, and resuming. */
class PollTest {
    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_first_poll_answers_at_once_with_no_messages_the_latest_cursor_and_a_session() {
        server.publish("news", "1");
        server.publish("news", "2");
        PollClient client = PollClient.poll(server, "news", "sport");

        PollClient.Answer a = client.poll(0);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("content-type")).isEqualTo("application/json; charset=utf-8");
        assertThat(a.header("cache-control")).isEqualTo("no-store");
        assertThat(a.json().get("messages")).isEmpty();
        String[] slots = a.json().get("cursor").textValue().split(",");
        assertThat(slots).hasSize(2);
        assertThat(slots[0]).endsWith(":2");
        assertThat(slots[1]).endsWith(":0");
        assertThat(a.json().get("session").textValue()).matches("[A-Za-z0-9_-]{22}");
    }

    @Test
    void polls_with_the_returned_cursor_get_every_message_once_in_order_across_channels() {
        PollClient client = PollClient.poll(server, "news", "sport");
        client.poll(0);
        String session = client.session();
        List<String> sent = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 3; i++) {
                String ch = i % 2 == 0 ? "news" : "sport";
                server.publish(ch, "{\"round\":" + round + ",\"i\":" + i + "}");
                sent.add(ch + "/" + round + "/" + i);
            }
            PollClient.Answer a = client.poll(0);
            assertThat(a.json().get("messages")).hasSize(3);
            assertThat(client.session()).as("the session lives across polls").isEqualTo(session);
        }
        List<String> got = new ArrayList<>();
        for (JsonNode m : client.messages()) {
            got.add(m.get("channel").textValue() + "/" + m.at("/data/round").asInt() + "/" + m.at("/data/i").asInt());
        }
        assertThat(got).isEqualTo(sent);
        assertThat(client.poll(0).json().get("messages")).isEmpty();
    }

    @Test
    void a_poll_with_since_and_no_session_replays_from_history() {
        String first = Json.parse(server.publish("news", "1").body().getBytes()).get("epoch").textValue();
        server.publish("news", "2");
        server.publish("news", "3");
        PollClient client = PollClient.poll(server, "news").since(first + ":1");

        PollClient.Answer a = client.poll(0);

        assertThat(client.messages()).extracting(m -> m.get("data").asInt()).containsExactly(2, 3);
        assertThat(a.json().get("cursor").textValue()).isEqualTo(first + ":3");
    }

    @Test
    void an_answer_lost_on_the_way_is_served_again_when_the_client_repeats_its_old_cursor() {
        PollClient client = PollClient.poll(server, "news");
        client.poll(0);
        String oldCursor = client.cursor();
        server.publish("news", "\"lost\"");
        client.poll(0); // pretend this answer never reached the page

        // Same session, the cursor from before: the session must not assume the client has it.
        PollClient again = PollClient.poll(server, "news").since(oldCursor);
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.http("/poll?channel=news&since="
                + oldCursor + "&session=" + client.session())).GET().build());

        JsonNode body = Json.parse(r.body().getBytes());
        assertThat(body.get("messages")).extracting(m -> m.get("data").asText()).containsExactly("lost");
        assertThat(body.get("session").textValue()).isEqualTo(client.session());
        assertThat(again.cursor()).isEqualTo(oldCursor);
    }

    @Test
    void an_unknown_epoch_is_answered_with_a_gap_and_the_latest_cursor() {
        server.publish("news", "1");
        PollClient client = PollClient.poll(server, "news").since("nosuchepoch:5");

        PollClient.Answer a = client.poll(0);

        JsonNode gap = a.json().get("messages").get(0);
        assertThat(gap.get("type").textValue()).isEqualTo("gap");
        assertThat(gap.get("channel").textValue()).isEqualTo("news");
        assertThat(a.json().get("cursor").textValue()).isEqualTo(gap.get("epoch").textValue() + ":1");
    }

    @Test
    void an_unknown_session_id_starts_a_fresh_session() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(
                server.http("/poll?channel=news&session=AAAAAAAAAAAAAAAAAAAAAA")).GET().build());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.parse(r.body().getBytes()).get("session").textValue()).isNotEqualTo("AAAAAAAAAAAAAAAAAAAAAA");
    }

    @Test
    void an_idle_session_expires_and_lets_go_of_its_channels() {
        server.close();
        try (TestServer quick = TestServer.start(c -> c.withSessions(c.sessions().withIdleTimeout(Duration.ofMillis(300))))) {
            PollClient client = PollClient.poll(quick, "news");
            client.poll(0);
            assertThat(quick.server().hub().subscribers("news")).isEqualTo(1);
            assertThat(quick.server().context().sessions().size()).isEqualTo(1);

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(
                    () -> quick.server().context().sessions().size() == 0 && quick.server().hub().subscribers("news") == 0);
            String expired = client.session();
            client.poll(0);
            assertThat(client.session()).isNotEqualTo(expired);
        }
    }

    @Test
    void a_session_whose_queue_overflows_while_nobody_polls_resumes_from_history_with_nothing_lost() {
        server.close();
        try (TestServer small = TestServer.start(c -> c.withSessions(c.sessions().withQueueBytes(1000)))) {
            PollClient client = PollClient.poll(small, "news");
            client.poll(0);
            for (int i = 0; i < 40; i++) small.publish("news", "{\"n\":" + i + ",\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}");
            double overflows = small.server().metrics().registry().counter("switchboard.sessions.overflows").count();
            assertThat(overflows).isEqualTo(1);
            assertThat(small.server().hub().subscribers("news")).as("an overflowed session lets go").isZero();

            // Each answer carries at most the queue bound; the client polls on until it has caught up.
            int polls = 0;
            do {
                client.poll(0);
                polls++;
            } while (client.messages().size() < 40 && polls < 20);

            assertThat(polls).as("answers are bounded too").isGreaterThan(1);
            assertThat(client.messages()).extracting(m -> m.at("/data/n").asInt())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 40).boxed().toList());
            assertThat(small.server().hub().subscribers("news")).isEqualTo(1);
        }
    }
}
