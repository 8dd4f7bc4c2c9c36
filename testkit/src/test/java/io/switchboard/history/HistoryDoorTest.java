package io.switchboard.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.server.codec.Json;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /history} on a real server: public reads of one channel's history, no API key. */
class HistoryDoorTest {
        // A short history, so that an old position falls out of it.
    @RegisterExtension
    static final TestServer server = TestServer.start(c -> c.withHistory(new HistoryPolicy(5, Duration.ofMinutes(10))));

    static HttpResponse<String> get(String pathAndQuery) {
        return get(pathAndQuery, b -> b);
    }

    static HttpResponse<String> get(String pathAndQuery, UnaryOperator<HttpRequest.Builder> tweak) {
        return server.send(tweak.apply(HttpRequest.newBuilder(server.http(pathAndQuery)).GET()).build());
    }

    /** The 200 answer's JSON, checked for the headers every answer has. */
    static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private static String epochAfterPublishing(String channel, int n) {
        String epoch = null;
        for (int i = 1; i <= n; i++) {
            String body = server.publish(channel, "{\"n\":" + i + "}").body();
            epoch = Json.parse(body.getBytes(StandardCharsets.UTF_8)).get("epoch").asText();
        }
        return epoch;
    }

    private static List<Long> offsets(JsonNode history) {
        List<Long> out = new ArrayList<>();
        for (JsonNode m : history.get("messages")) out.add(m.get("offset").asLong());
        return out;
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    @Test
    void withoutSinceGivesTheNewestOldestFirstWithoutAnApiKey() {
        String epoch = epochAfterPublishing("h-new", 4);
        JsonNode all = ok(get("/history?channel=h-new"));
        assertThat(fieldNames(all)).containsExactly("messages", "cursor");
        assertThat(offsets(all)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(all.get("cursor").asText()).isEqualTo(epoch + ":4");
        JsonNode item = all.get("messages").get(0);
        assertThat(fieldNames(item)).containsExactly("type", "channel", "event", "data", "epoch", "offset", "ts");
        assertThat(item.get("data").toString()).isEqualTo("{\"n\":1}");

        assertThat(offsets(ok(get("/history?channel=h-new&limit=2")))).containsExactly(3L, 4L);
        assertThat(offsets(ok(get("/history?channel=h-new&since=&limit=1")))).containsExactly(4L);
        assertThat(offsets(ok(get("/history?channel=h-new&since=-&limit=1")))).containsExactly(4L);
        assertThat(offsets(ok(get("/history?channel=h-new&limit=1&t=1764000000000"))))
                .as("a cache-busting t= is ignored").containsExactly(4L);
    }

    @Test
    void sameBodyAsTheServerApi() {
        epochAfterPublishing("h-same", 3);
        for (String q : List.of("", "?limit=2")) {
            String api = server.apiGet("/api/channels/h-same/history" + q).body();
            String door = get("/history?channel=h-same" + (q.isEmpty() ? "" : "&" + q.substring(1))).body();
            assertThat(door).isEqualTo(api);
        }
    }

    @Test
    void sinceGivesWhatCameAfterUpToTheLimit() {
        String epoch = epochAfterPublishing("h-since", 4);
        JsonNode after = ok(get("/history?channel=h-since&since=" + epoch + ":1"));
        assertThat(offsets(after)).containsExactly(2L, 3L, 4L);
        assertThat(after.get("cursor").asText()).isEqualTo(epoch + ":4");

        JsonNode limited = ok(get("/history?channel=h-since&since=" + epoch + ":1&limit=2"));
        assertThat(offsets(limited)).containsExactly(2L, 3L);
        assertThat(limited.get("cursor").asText()).as("the last one returned").isEqualTo(epoch + ":3");

        JsonNode upToDate = ok(get("/history?channel=h-since&since=" + epoch + ":4"));
        assertThat(upToDate.get("messages")).isEmpty();
        assertThat(upToDate.get("cursor").asText()).isEqualTo(epoch + ":4");
    }

    @Test
    void anEmptyChannelIsEmptyAtOffsetZero() {
        JsonNode empty = ok(get("/history?channel=h-empty"));
        assertThat(empty.get("messages")).isEmpty();
        assertThat(empty.get("cursor").asText()).endsWith(":0");
    }

    @Test
    void aPositionThatCannotBeServedIsOneGapItemAndTheLatestCursor() {
        String epoch = epochAfterPublishing("h-gap", 8); // only 4..8 are kept
        for (String since : List.of("unknownEpoch:3", epoch + ":1", epoch + ":99")) {
            JsonNode gap = ok(get("/history?channel=h-gap&since=" + since));
            assertThat(gap.get("messages").toString()).as("since %s", since).isEqualTo(
                    "[{\"type\":\"gap\",\"channel\":\"h-gap\",\"epoch\":\"" + epoch + "\",\"offset\":8}]");
            assertThat(gap.get("cursor").asText()).isEqualTo(epoch + ":8");
        }
        assertThat(offsets(ok(get("/history?channel=h-gap&since=" + epoch + ":3")))).containsExactly(4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void answersCarryCorsHeadersForAnAllowedOrigin() {
        epochAfterPublishing("h-cors", 1);
        HttpResponse<String> r = get("/history?channel=h-cors", b -> b.header("Origin", "http://localhost:5173"));
        ok(r);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:5173");
        assertThat(r.headers().allValues("Vary")).contains("origin");

        HttpResponse<String> evil = get("/history?channel=h-cors", b -> b.header("Origin", "https://evil.example"));
        ok(evil); // public data; the browser just may not show it to that page
        assertThat(evil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void restrictedChannelsAreRefused401WithoutTokenAnd403WithOne() {
        for (String channel : List.of("private-h", "presence-h")) {
            double before401 = server.server().metrics().errorCount("history", 401);
            HttpResponse<String> none = get("/history?channel=" + channel);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(Json.parse(none.body().getBytes(StandardCharsets.UTF_8)).get("error").asText()).isEqualTo("unauthorized");
            assertThat(server.server().metrics().errorCount("history", 401)).isEqualTo(before401 + 1);

            double before403 = server.server().metrics().errorCount("history", 403);
            String token = TestServer.token("u", List.of("other-*"), List.of());
            HttpResponse<String> query = get("/history?channel=" + channel + "&token=" + token);
            assertThat(query.statusCode()).isEqualTo(403);
            assertThat(Json.parse(query.body().getBytes(StandardCharsets.UTF_8)).get("error").asText()).isEqualTo("forbidden");
            assertThat(query.body()).doesNotContain(token);
            HttpResponse<String> header = get("/history?channel=" + channel, b -> b.header("Authorization", "Bearer " + token));
            assertThat(header.statusCode()).isEqualTo(403);
            assertThat(header.body()).doesNotContain(token);
            assertThat(server.server().metrics().errorCount("history", 403)).isEqualTo(before403 + 2);
        }
    }
}
