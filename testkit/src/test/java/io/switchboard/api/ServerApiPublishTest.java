package io.switchboard.api;

import static io.switchboard.api.Api.fieldNames;
import static io.switchboard.api.Api.ok;
import static io.switchboard.api.Api.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.message.ItemJson;
import io.switchboard.core.message.Message;
import io.switchboard.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /api/publish} and {@code POST /api/batch} on a real server, checked through the Hub's subscribers. */
class ServerApiPublishTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();

    private static JsonNode publish(String body) {
        return ok(server.send(post(server, "/api/publish", body)));
    }

    @Test
    void publishAnswersThePositionAndDeliversTheMessage() throws Exception {
        try (InProcessSubscriber sub = InProcessSubscriber.subscribe(server.server().hub(), "news")) {
            double published = server.server().metrics().registry().get("switchboard.messages.published").counter().count();

            JsonNode first = publish("{\"channel\":\"news\",\"event\":\"update\",\"data\":{\"b\":1,\"a\":[true,null]}}");
            assertThat(fieldNames(first)).containsExactly("channel", "epoch", "offset");
            assertThat(first.get("channel").asText()).isEqualTo("news");
            assertThat(first.get("offset").asLong()).isEqualTo(1);
            assertThat(first.get("epoch").asText()).matches("[A-Za-z0-9_-]{1,16}");

            JsonNode second = publish("{\"channel\":\"news\",\"data\":\"plain\"}");
            assertThat(second.get("offset").asLong()).isEqualTo(2);
            assertThat(second.get("epoch").asText()).isEqualTo(first.get("epoch").asText());

            Message m1 = sub.next();
            assertThat(m1.event()).isEqualTo("update");
            assertThat(new String(m1.data(), StandardCharsets.UTF_8)).isEqualTo("{\"b\":1,\"a\":[true,null]}");
            assertThat(m1.epoch()).isEqualTo(first.get("epoch").asText());
            Message m2 = sub.next();
            assertThat(m2.event()).as("default event").isEqualTo("message");
            assertThat(new String(m2.data(), StandardCharsets.UTF_8)).isEqualTo("\"plain\"");
            assertThat(m2.from()).isNull();
            assertThat(server.server().metrics().registry().get("switchboard.messages.published").counter().count())
                    .isEqualTo(published + 2);
        }
    }

    @Test
    void dataMayBeAnyJsonValueAndKeepsNumbersExact() throws Exception {
        try (InProcessSubscriber sub = InProcessSubscriber.subscribe(server.server().hub(), "values")) {
            String[] data = {"null", "0", "-12.5", "1E+400", "1E-400", "123456789012345678901234567890", "true",
                    "\"\"", "[]", "{}", "\"caf\u00e9 \\u2603\""};
            String[] stored = {"null", "0", "-12.5", "1E+400", "1E-400", "123456789012345678901234567890", "true",
                    "\"\"", "[]", "{}", "\"caf\u00e9 \u2603\""};
            for (String d : data) publish("{\"channel\":\"values\",\"data\":" + d + "}");
            for (String expected : stored) {
                assertThat(new String(sub.next().data(), StandardCharsets.UTF_8)).isEqualTo(expected);
            }
        }
    }

    @Test
    void publishToSeveralChannelsAnswersEachPositionInOrder() throws Exception {
        try (InProcessSubscriber sub = InProcessSubscriber.subscribe(server.server().hub(), "multi-a", "multi-c")) {
            publish("{\"channel\":\"multi-c\",\"data\":0}");
            JsonNode r = publish("{\"channels\":[\"multi-a\",\"multi-b\",\"multi-c\"],\"event\":\"tick\",\"data\":{\"n\":1}}");
            assertThat(fieldNames(r)).containsExactly("results");
            JsonNode results = r.get("results");
            assertThat(results).hasSize(3);
            assertThat(results.get(0).get("channel").asText()).isEqualTo("multi-a");
            assertThat(results.get(0).get("offset").asLong()).isEqualTo(1);
            assertThat(results.get(1).get("channel").asText()).isEqualTo("multi-b");
            assertThat(results.get(2).get("channel").asText()).isEqualTo("multi-c");
            assertThat(results.get(2).get("offset").asLong()).isEqualTo(2);
            for (JsonNode each : results) assertThat(fieldNames(each)).containsExactly("channel", "epoch", "offset");

            assertThat(sub.next().offset()).isEqualTo(1); // multi-c's first
            Message a = sub.next();
            Message c = sub.next();
            assertThat(java.util.List.of(a.channel(), c.channel())).containsExactlyInAnyOrder("multi-a", "multi-c");
            assertThat(a.event()).isEqualTo("tick");
            assertThat(a.data()).isEqualTo(c.data());
        }
    }

    @Test
    void batchPublishesGoodItemsInOrderAndAnswersBadOnesInPlace() throws Exception {
        try (InProcessSubscriber sub = InProcessSubscriber.subscribe(server.server().hub(), "batch-1")) {
            double refused = server.server().metrics().errorCount("api", 400);
            double tooLarge = server.server().metrics().errorCount("api", 413);
            String big = "\"" + "x".repeat(64 * 1024) + "\"";
            String body = "[{\"channel\":\"batch-1\",\"data\":1},"
                    + "{\"channel\":\"bad channel\",\"data\":2},"
                    + "{\"channels\":[\"batch-1\",\"batch-2\"],\"event\":\"both\",\"data\":3},"
                    + "{\"channel\":\"batch-1\"},"
                    + "7,"
                    + "{\"channel\":\"batch-1\",\"data\":" + big + "},"
                    + "{\"channel\":\"batch-1\",\"event\":\"sb:gap\",\"data\":4},"
                    + "{\"channel\":\"batch-1\",\"event\":\"last\",\"data\":5}]";
            JsonNode r = ok(server.send(post(server, "/api/batch", body)));
            assertThat(fieldNames(r)).containsExactly("results");
            JsonNode results = r.get("results");
            assertThat(results).hasSize(8);
            assertThat(results.get(0).get("offset").asLong()).isEqualTo(1);
            assertThat(fieldNames(results.get(0))).containsExactly("channel", "epoch", "offset");
            assertError(results.get(1), "bad_channel");
            assertThat(results.get(2).get("results")).hasSize(2);
            assertThat(results.get(2).get("results").get(0).get("offset").asLong()).isEqualTo(2);
            assertThat(results.get(2).get("results").get(1).get("channel").asText()).isEqualTo("batch-2");
            assertError(results.get(3), "bad_field");
            assertThat(results.get(3).get("reason").asText()).contains("data");
            assertError(results.get(4), "bad_json");
            assertError(results.get(5), "too_large");
            assertError(results.get(6), "bad_event");
            assertThat(results.get(7).get("offset").asLong()).isEqualTo(3);

            assertThat(sub.next().offset()).isEqualTo(1);
            assertThat(sub.next().event()).isEqualTo("both");
            assertThat(sub.next().event()).isEqualTo("last");
            assertThat(server.server().metrics().errorCount("api", 400)).isEqualTo(refused + 4);
            assertThat(server.server().metrics().errorCount("api", 413)).isEqualTo(tooLarge + 1);
        }
    }

    @Test
    void historyItemsAreTheMessagesOwnBytes() throws Exception {
        try (InProcessSubscriber sub = InProcessSubscriber.subscribe(server.server().hub(), "raw")) {
            publish("{\"channel\":\"raw\",\"event\":\"e\",\"data\":{\"z\":1,\"a\":2}}");
            Message m = sub.next();
            String body = server.apiGet("/api/channels/raw/history").body();
            assertThat(body).isEqualTo("{\"messages\":[" + new String(m.encoded(ItemJson.FORMAT), StandardCharsets.UTF_8)
                    + "],\"cursor\":\"" + m.epoch() + ":1\"}");
        }
    }

    private static void assertError(JsonNode n, String code) {
        assertThat(fieldNames(n)).containsExactly("error", "reason");
        assertThat(n.get("error").asText()).isEqualTo(code);
        assertThat(n.get("reason").asText()).isNotBlank();
    }
}
