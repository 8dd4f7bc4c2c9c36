package io.switchboard.api;

import static io.switchboard.api.Api.fieldNames;
import static io.switchboard.api.Api.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /api/channels}, {@code /api/channels/C} and {@code /api/channels/C/history} on a real server. */
class ServerApiChannelsTest {
        // A short history, so that an old position falls out of it.
    @RegisterExtension
    static final TestServer server = TestServer.start(c -> c.withHistory(new HistoryPolicy(5, Duration.ofMinutes(10))));

    private static String epochAfterPublishing(String channel, int n) {
        String epoch = null;
        for (int i = 1; i <= n; i++) {
            epoch = Api.json(server.publish(channel, "{\"n\":" + i + "}")).get("epoch").asText();
        }
        return epoch;
    }

    private static JsonNode get(String path) {
        return ok(server.apiGet(path));
    }

    private static List<Long> offsets(JsonNode history) {
        List<Long> out = new ArrayList<>();
        for (JsonNode m : history.get("messages")) out.add(m.get("offset").asLong());
        return out;
    }

    @Test
    void channelsListsSubscribedChannelsWithTheirCountsByPrefix() throws Exception {
        var hub = server.server().hub();
        try (InProcessSubscriber one = InProcessSubscriber.subscribe(hub, "room-a", "room-b", "lobby");
             InProcessSubscriber two = InProcessSubscriber.subscribe(hub, "room-a")) {
            JsonNode rooms = get("/api/channels?prefix=room-");
            assertThat(fieldNames(rooms)).containsExactly("channels");
            assertThat(rooms.get("channels").toString())
                    .isEqualTo("[{\"channel\":\"room-a\",\"subscribers\":2},{\"channel\":\"room-b\",\"subscribers\":1}]");
            assertThat(get("/api/channels").get("channels").findValuesAsText("channel"))
                    .contains("lobby", "room-a", "room-b");
            assertThat(get("/api/channels?prefix=nothing-here").get("channels")).isEmpty();

            two.unsubscribe("room-a");
            one.unsubscribe("room-b");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(get("/api/channels?prefix=room-").get("channels").toString())
                            .isEqualTo("[{\"channel\":\"room-a\",\"subscribers\":1}]"));
        }
    }

    @Test
    void channelInfoHasCountsAndLatestPosition() throws Exception {
        String epoch = epochAfterPublishing("info-1", 3);
        InProcessSubscriber sub = InProcessSubscriber.subscribe(server.server().hub(), "info-1");
        try {
            JsonNode info = get("/api/channels/info-1");
            assertThat(fieldNames(info)).containsExactly("channel", "subscribers", "members", "epoch", "offset");
            assertThat(info.get("channel").asText()).isEqualTo("info-1");
            assertThat(info.get("subscribers").asInt()).isEqualTo(1);
            assertThat(info.get("members").asInt()).isZero();
            assertThat(info.get("epoch").asText()).isEqualTo(epoch);
            assertThat(info.get("offset").asLong()).isEqualTo(3);
        } finally {
            sub.close();
        }
        JsonNode empty = get("/api/channels/never-used");
        assertThat(empty.get("subscribers").asInt()).isZero();
        assertThat(empty.get("offset").asLong()).isZero();
    }

    @Test
    void channelNamesInThePathArePercentDecoded() {
        server.publish("a:b@c,d;e=f", "1");
        JsonNode info = get("/api/channels/a%3Ab%40c%2Cd%3Be%3Df");
        assertThat(info.get("channel").asText()).isEqualTo("a:b@c,d;e=f");
        assertThat(info.get("offset").asLong()).isEqualTo(1);
        assertThat(offsets(get("/api/channels/a:b@c,d;e=f/history"))).containsExactly(1L);
    }

    @Test
    void historyWithoutSinceGivesTheNewestOldestFirst() {
        String epoch = epochAfterPublishing("hist-new", 4);
        JsonNode all = get("/api/channels/hist-new/history");
        assertThat(fieldNames(all)).containsExactly("messages", "cursor");
        assertThat(offsets(all)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(all.get("cursor").asText()).isEqualTo(epoch + ":4");
        JsonNode item = all.get("messages").get(0);
        assertThat(fieldNames(item)).containsExactly("type", "channel", "event", "data", "epoch", "offset", "ts");
        assertThat(item.get("type").asText()).isEqualTo("message");
        assertThat(item.get("data").toString()).isEqualTo("{\"n\":1}");

        JsonNode newest = get("/api/channels/hist-new/history?limit=2");
        assertThat(offsets(newest)).containsExactly(3L, 4L);
        assertThat(newest.get("cursor").asText()).isEqualTo(epoch + ":4");
        assertThat(offsets(get("/api/channels/hist-new/history?since=&limit=1"))).containsExactly(4L);
    }

    @Test
    void historySinceGivesWhatCameAfterUpToTheLimit() {
        String epoch = epochAfterPublishing("hist-since", 4);
        JsonNode after = get("/api/channels/hist-since/history?since=" + epoch + ":1");
        assertThat(offsets(after)).containsExactly(2L, 3L, 4L);
        assertThat(after.get("cursor").asText()).isEqualTo(epoch + ":4");

        JsonNode limited = get("/api/channels/hist-since/history?since=" + epoch + ":1&limit=2");
        assertThat(offsets(limited)).containsExactly(2L, 3L);
        assertThat(limited.get("cursor").asText()).as("the last one returned").isEqualTo(epoch + ":3");

        JsonNode upToDate = get("/api/channels/hist-since/history?since=" + epoch + ":4");
        assertThat(upToDate.get("messages")).isEmpty();
        assertThat(upToDate.get("cursor").asText()).isEqualTo(epoch + ":4");
    }

    @Test
    void historyOfAnEmptyChannelIsEmptyAtOffsetZero() {
        JsonNode empty = get("/api/channels/hist-empty/history");
        assertThat(empty.get("messages")).isEmpty();
        assertThat(empty.get("cursor").asText()).endsWith(":0");
    }

    @Test
    void historyThatCannotBeServedIsOneGapItemAndTheLatestCursor() {
        String epoch = epochAfterPublishing("hist-gap", 8); // only 4..8 are kept
        for (String since : List.of(epoch + ":1", "otherEpoch:3", epoch + ":99")) {
            JsonNode gap = get("/api/channels/hist-gap/history?since=" + since);
            assertThat(gap.get("messages").toString()).as("since %s", since).isEqualTo(
                    "[{\"type\":\"gap\",\"channel\":\"hist-gap\",\"epoch\":\"" + epoch + "\",\"offset\":8}]");
            assertThat(gap.get("cursor").asText()).isEqualTo(epoch + ":8");
        }
        // The oldest kept position still recovers.
        assertThat(offsets(get("/api/channels/hist-gap/history?since=" + epoch + ":3"))).containsExactly(4L, 5L, 6L, 7L, 8L);
    }
}
