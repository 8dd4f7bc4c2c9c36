package io.switchboard.poll;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.PollClient;
import io.switchboard.testkit.TestServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /jsonp}: a script calling the page's callback, safe to run whatever the data holds. */
class JsonpTest {
    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answers_are_a_commented_call_of_the_callback_as_javascript_that_browsers_will_not_sniff() {
        PollClient client = PollClient.jsonp(server, "app.sb._1", "news");
        client.poll(0);
        server.publish("news", "{\"n\":1}");

        PollClient.Answer a = client.poll(0);

        assertThat(a.body()).startsWith("/**/app.sb._1({\"messages\":[{\"type\":\"message\"").endsWith("});");
        assertThat(a.header("content-type")).isEqualTo("application/javascript; charset=utf-8");
        assertThat(a.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(a.header("cache-control")).isEqualTo("no-store");
        assertThat(client.messages()).extracting(m -> m.at("/data/n").asInt()).containsExactly(1);
    }

    @Test
    void data_that_would_break_out_of_a_script_or_a_string_literal_arrives_escaped_and_intact() {
        PollClient client = PollClient.jsonp(server, "cb", "news");
        client.poll(0);
        String nasty = "</script><script>alert(1)</script><!-- & \u2028\u2029";
        server.publish("news", "{\"s\":" + io.switchboard.server.codec.Json.MAPPER.valueToTree(nasty) + "}");

        PollClient.Answer a = client.poll(0);

        assertThat(a.body()).doesNotContain("<", ">", "&", "\u2028", "\u2029");
        assertThat(a.body()).contains("\\u003c/script\\u003e", "\\u0026", "\\u2028", "\\u2029");
        assertThat(client.messages().get(0).at("/data/s").textValue()).isEqualTo(nasty);
    }

    @Test
    void with_wait_it_long_polls() throws Exception {
        PollClient client = PollClient.jsonp(server, "cb", "news");
        client.poll(0);
        CompletableFuture<PollClient.Answer> parked = CompletableFuture.supplyAsync(() -> client.poll(30));
        org.awaitility.Awaitility.await().until(() -> server.server().metrics().connections("longpoll").get() == 1);

        server.publish("news", "2");

        assertThat(parked.get(5, TimeUnit.SECONDS).json().get("messages")).hasSize(1);
    }
}
