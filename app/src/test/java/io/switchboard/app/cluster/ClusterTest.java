package io.switchboard.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.codec.Json;
import io.switchboard.testkit.PollClient;
import io.switchboard.testkit.RedisProcess;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.StreamRecorder;
import io.switchboard.testkit.Tokens;
import io.switchboard.testkit.WebhookReceiver;
import io.switchboard.testkit.WsRecorder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three nodes, each its own process ({@code switchboard serve --broker redis://…}, as deployed), on one
 * redis-server, through what a cluster lives through. The tests run in order on the one cluster (a node's
 * JVM start is most of a test's time): delivery across nodes, Redis killed and restarted, presence across
 * nodes and a node killed (A), then a node killed while its clients move to another (B).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    private static final String CHANNEL = "everyone";
    private static final int MESSAGES = 1_000;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static RedisProcess redis;
    private static WebhookReceiver webhooks;
    private static List<NodeProcess> nodes;

    @BeforeAll
    static void startCluster() {
        redis = RedisProcess.start();
        webhooks = WebhookReceiver.start();
        // A short node TTL, so a killed node's members go within 2 s; history that holds every test message;
        // every node's webhooks to one receiver, which must get each member change once.
        nodes = NodeProcess.start(redis.uri(), 3, "--redis-node-ttl", "1500ms", "--history-size", "2000",
                "--webhook-url", webhooks.url().toString(), "--webhook-secret", "cluster-webhook-secret");
    }

    @AfterAll
    static void stopCluster() {
        if (nodes != null) nodes.forEach(NodeProcess::close);
        redis.close();
        webhooks.close();
    }

    @Test
    @Order(1)
    void a_thousand_messages_published_on_A_reach_every_door_on_B_and_C_in_order_and_once() {
        NodeProcess a = nodes.get(0);
        List<Door> doors = new ArrayList<>();
        try {
            for (NodeProcess n : nodes.subList(1, 3)) doors.addAll(Door.everyDoor(n, CHANNEL));
            for (NodeProcess n : nodes.subList(1, 3)) {
                Awaitility.await().atMost(DEADLINE).until(() -> subscribers(n, CHANNEL) == 6);
            }
            // Two nodes got subscribers of the channel; the cluster got one: one channel_occupied webhook.
            Awaitility.await().atMost(DEADLINE).until(() -> channelEvents(CHANNEL).size() == 1);
            assertThat(channelEvents(CHANNEL)).containsExactly("channel_occupied");

            for (int i = 0; i < MESSAGES; i++) {
                assertThat(a.publish(CHANNEL, "{\"n\":" + i + "}").statusCode()).isEqualTo(200);
            }

            Map<String, List<JsonNode>> got = new LinkedHashMap<>();
            for (Door d : doors) got.put(d.name(), d.awaitMessages(MESSAGES, DEADLINE));
            List<Integer> expected = IntStream.range(0, MESSAGES).boxed().toList();
            for (Map.Entry<String, List<JsonNode>> e : got.entrySet()) {
                assertThat(e.getValue()).as(e.getKey() + ": all, in order, once")
                        .extracting(m -> m.at("/data/n").asInt()).containsExactlyElementsOf(expected);
                assertThat(e.getValue()).as(e.getKey() + ": offsets").extracting(m -> m.get("offset").asLong())
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, MESSAGES).asLongStream().boxed().toList());
            }
        } finally {
            doors.forEach(Door::close);
        }
    }

    @Test
    @Order(2)
    void redis_killed_and_restarted_mid_stream_loses_no_acknowledged_message_doubles_none_and_says_gap_once() {
        NodeProcess a = nodes.get(0);
        NodeProcess b = nodes.get(1);
        String ch = "through-an-outage";
        int total = 400;
        List<Door> doors = Door.everyDoor(b, ch);
        List<Integer> acknowledged = new CopyOnWriteArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicReference<String> refusal = new AtomicReference<>();
        try {
            Awaitility.await().atMost(DEADLINE).until(() -> subscribers(b, ch) == 6);
            // The publisher retries each message until Redis takes it (as a backend would on a 503).
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < total; i++) {
                    int n = i;
                    Awaitility.await().atMost(DEADLINE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> {
                        HttpResponse<String> r = a.publish(ch, "{\"n\":" + n + "}");
                        if (r.statusCode() == 200) return true;
                        refused.incrementAndGet();
                        refusal.set(r.statusCode() + " " + r.body());
                        return false;
                    });
                    acknowledged.add(n);
                }
            });
            Awaitility.await().atMost(DEADLINE).until(() -> acknowledged.size() >= 150);
            redis.kill();
            Awaitility.await().atMost(DEADLINE).until(() -> status(a, "/readyz") == 503 && status(b, "/readyz") == 503);
            Awaitility.await().atMost(DEADLINE).until(() -> refused.get() > 0);
            assertThat(refusal.get()).startsWith("503 ").contains("\"error\":\"unavailable\"", "Redis at 127.0.0.1:" + redis.port());
            redis.restart();
            Awaitility.await().atMost(DEADLINE).until(() -> status(a, "/readyz") == 200 && status(b, "/readyz") == 200);
            publishing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

            // A message Redis acknowledged in the instant before it was killed may not have reached node B's
            // subscription; Redis comes back empty, so that loss is covered by the gap every client gets.
            // Such messages may only be the last ones of the old epoch, right before the gap; every other
            // acknowledged message must arrive. The loss is the node's, the same on every door.
            int expected = total;
            for (Door d : doors) {
                try {
                    d.awaitMessages(expected, DEADLINE);
                } catch (AssertionError timedOut) {
                    // fewer arrived: which ones is checked below
                }
                List<JsonNode> items = d.items();
                List<JsonNode> messages = d.messages();
                String why = d.name() + ": " + items.size() + " items";
                // In order; no position twice.
                assertThat(messages).as(why).extracting(m -> m.at("/data/n").asInt()).isSorted();
                assertThat(messages).as(why).extracting(m -> m.get("epoch").asText() + ":" + m.get("offset").asLong())
                        .doesNotHaveDuplicates();
                // Redis came back empty: a new epoch, announced by exactly one gap just before its first message.
                List<Integer> gaps = IntStream.range(0, items.size()).filter(i -> "gap".equals(items.get(i).path("type").asText()))
                        .boxed().toList();
                assertThat(gaps).as(why + ": one gap").hasSize(1);
                int g = gaps.get(0);
                String before = items.get(g - 1).get("epoch").asText();
                assertThat(items.subList(0, g)).as(why).allMatch(m -> m.get("epoch").asText().equals(before));
                assertThat(items.subList(g, items.size())).as(why).allMatch(m -> !m.get("epoch").asText().equals(before));
                assertThat(items.get(g + 1).get("offset").asLong()).as(why + ": the new epoch from its start").isEqualTo(1);
                int lastBefore = items.get(g - 1).at("/data/n").asInt();
                int firstAfter = items.get(g + 1).at("/data/n").asInt();
                java.util.Set<Integer> got = new java.util.HashSet<>();
                messages.forEach(m -> got.add(m.at("/data/n").asInt()));
                List<Integer> lost = acknowledged.stream().filter(n -> !got.contains(n)).toList();
                assertThat(lost).as(why + ": acknowledged, not delivered: only in the gap, at most the few in flight")
                        .hasSizeLessThanOrEqualTo(5).allMatch(n -> n > lastBefore && n < firstAfter);
                expected = Math.min(expected, messages.size());
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            doors.forEach(Door::close);
        }
    }

    @Test
    @Order(3)
    void a_user_on_A_is_listed_on_C_and_leaves_within_the_bound_when_A_is_killed() {
        NodeProcess a = nodes.get(0);
        NodeProcess c = nodes.get(2);
        String ch = "presence-lobby";
        try (WsRecorder ann = WsRecorder.connect(a.ws("/ws?token=" + token("ann")));
             WsRecorder cid = WsRecorder.connect(c.ws("/ws?token=" + token("cid")))) {
            ann.send("{\"op\":\"subscribe\",\"channel\":\"" + ch + "\"}").awaitType("subscribed");
            cid.send("{\"op\":\"subscribe\",\"channel\":\"" + ch + "\"}").awaitType("subscribed");
            Awaitility.await().atMost(DEADLINE).until(() -> members(c, ch).equals(List.of("ann", "cid")));
            assertThat(members(a, ch)).containsExactly("ann", "cid");
            // Three nodes hear of each join; only the node that made it sends the webhook event.
            Awaitility.await().atMost(DEADLINE).until(() -> memberEvents(ch).size() == 2);

            long killed = System.nanoTime();
            a.kill();
            JsonNode leave = cid.awaitItem(i -> "leave".equals(i.path("type").asText()));
            long tookMs = (System.nanoTime() - killed) / 1_000_000;
            assertThat(leave.get("user").asText()).isEqualTo("ann");
            // --redis-node-ttl 1500ms: gone within 4/3 of it (2 s), plus a little for the test's own steps.
            assertThat(tookMs).isLessThan(2_000 + 1_000);
            assertThat(members(c, ch)).containsExactly("cid");
            // B and C both look for dead nodes; ann's leave is one event, from whichever dropped her.
            Awaitility.await().atMost(DEADLINE).until(() -> memberEvents(ch).size() == 3);
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(DEADLINE).until(() -> memberEvents(ch).size() == 3);
            assertThat(memberEvents(ch)).containsExactlyInAnyOrder("member_added ann", "member_added cid", "member_removed ann");
            // Occupied once (by A or C, whichever came first); vacated once, when C's last subscriber leaves.
            assertThat(channelEvents(ch)).containsExactly("channel_occupied");
            cid.close();
            Awaitility.await().atMost(DEADLINE).until(() -> channelEvents(ch).size() == 2);
            assertThat(channelEvents(ch)).containsExactly("channel_occupied", "channel_vacated");
        }
    }

    @Test
    @Order(4)
    void clients_of_a_killed_node_resume_on_another_with_their_cursor_and_lose_nothing() throws Exception {
        NodeProcess b = nodes.get(1);
        NodeProcess c = nodes.get(2);
        String ch = "failover";
        int total = 300;
        WsRecorder ws = WsRecorder.connect(b.ws("/ws"));
        ws.send("{\"op\":\"subscribe\",\"channel\":\"" + ch + "\"}").awaitType("subscribed");
        SseRecorder sse = SseRecorder.open(b.http("/sse?channel=" + ch));
        StreamRecorder stream = StreamRecorder.ndjson(b.port(), "/stream?channel=" + ch);
        stream.awaitItem("open");
        PollClient longPoll = PollClient.poll(b.baseUrl(), ch);
        longPoll.poll(0);
        longPoll.start(25);
        List<AutoCloseable> open = new ArrayList<>(List.of(ws, sse, stream, longPoll));
        try {
            Awaitility.await().atMost(DEADLINE).until(() -> subscribers(b, ch) == 4);
            publish(c, ch, 0, 100);
            b.kill();
            publish(c, ch, 100, 200); // while B's clients are away: only history has these

            // Each client takes what it got from B and comes back on C from its own position, while C publishes.
            CompletableFuture<Void> live = CompletableFuture.runAsync(() -> publish(c, ch, 200, total));
            List<JsonNode> wsGot = new ArrayList<>(ws.drain().stream().filter(ClusterTest::isMessage).toList());
            String wsSince = last(wsGot);
            WsRecorder ws2 = WsRecorder.connect(c.ws("/ws"));
            open.add(ws2);
            ws2.send("{\"op\":\"subscribe\",\"channel\":\"" + ch + "\",\"since\":\"" + wsSince + "\"}").awaitType("subscribed");
            SseRecorder sse2 = SseRecorder.open(c.http("/sse?channel=" + ch + "&since=" + sse.lastEventId()));
            open.add(sse2);
            StreamRecorder stream2 = StreamRecorder.ndjson(c.port(), "/stream?channel=" + ch + "&since=" + stream.cursor(List.of(ch)));
            open.add(stream2);
            PollClient longPoll2 = PollClient.poll(c.baseUrl(), ch).since(longPoll.cursor()).start(25);
            open.add(longPoll2);
            live.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

            while (wsGot.stream().filter(ClusterTest::isMessage).count() < total) wsGot.add(ws2.awaitType("message"));
            Map<String, List<JsonNode>> got = new LinkedHashMap<>();
            got.put("ws", wsGot);
            got.put("sse", concat(sseMessages(sse, 0), sseMessages(sse2, total - sseMessages(sse, 0).size())));
            got.put("stream", concat(stream.items(), stream2.awaitItems(ClusterTest::isMessage,
                    total - (int) stream.items().stream().filter(ClusterTest::isMessage).count(), DEADLINE)));
            got.put("long-poll", concat(longPoll.messages(), longPoll2.awaitMessages(total - longPoll.messages().size(), DEADLINE)));
            List<Integer> expected = IntStream.range(0, total).boxed().toList();
            for (Map.Entry<String, List<JsonNode>> e : got.entrySet()) {
                assertThat(e.getValue().stream().filter(ClusterTest::isMessage).toList()).as(e.getKey() + ": all, in order, once")
                        .extracting(m -> m.at("/data/n").asInt()).containsExactlyElementsOf(expected);
                assertThat(e.getValue()).as(e.getKey() + ": no gap").noneMatch(i -> "gap".equals(i.path("type").asText()));
            }
        } finally {
            for (AutoCloseable cl : open) cl.close();
        }
    }

    private static List<JsonNode> sseMessages(SseRecorder sse, int atLeast) {
        if (atLeast > 0) sse.awaitEvents(e -> e.event().equals("message"), atLeast, DEADLINE);
        List<JsonNode> out = new ArrayList<>();
        for (SseRecorder.Event e : sse.events()) {
            if (e.event().equals("message") || e.event().equals("sb:gap")) out.add(e.json());
        }
        return out;
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        List<JsonNode> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String last(List<JsonNode> messages) {
        JsonNode m = messages.get(messages.size() - 1);
        return m.get("epoch").asText() + ":" + m.get("offset").asLong();
    }

    private static boolean isMessage(JsonNode item) {
        return "message".equals(item.path("type").textValue());
    }

    private static void publish(NodeProcess node, String channel, int from, int to) {
        for (int i = from; i < to; i++) {
            assertThat(node.publish(channel, "{\"n\":" + i + "}").statusCode()).isEqualTo(200);
        }
    }

    private static int status(NodeProcess node, String path) {
        return node.get(path).statusCode();
    }

    private static String token(String user) {
        return Tokens.hs256(NodeProcess.TOKEN_SECRET, user, List.of("presence-*"), List.of(), null,
                Instant.now().plusSeconds(3600), null);
    }

    /** The channel_occupied and channel_vacated events the webhook receiver got for {@code channel}, in order. */
    private static List<String> channelEvents(String channel) {
        return webhooks.events().stream()
                .filter(e -> e.path("name").asText().startsWith("channel_") && channel.equals(e.path("channel").asText()))
                .map(e -> e.path("name").asText()).toList();
    }

    /** The member events the webhook receiver got for {@code channel}, as {@code "NAME USER"}. */
    private static List<String> memberEvents(String channel) {
        return webhooks.events().stream()
                .filter(e -> e.path("name").asText().startsWith("member_") && channel.equals(e.path("channel").asText()))
                .map(e -> e.path("name").asText() + " " + e.path("user").asText()).toList();
    }

    private static List<String> members(NodeProcess node, String channel) {
        List<String> users = new ArrayList<>();
        json(node.apiGet("/api/channels/" + channel + "/presence").body()).path("members")
                .forEach(m -> users.add(m.get("user").asText()));
        return users;
    }

    static int subscribers(NodeProcess n, String channel) {
        return json(n.apiGet("/api/channels/" + channel).body()).path("subscribers").asInt();
    }

    static JsonNode json(String body) {
        return Json.parse(body.getBytes(StandardCharsets.UTF_8));
    }
}
