package io.switchboard.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.event.ServerEvent;
import io.switchboard.core.event.ServerEvent.Type;
import io.switchboard.server.metrics.Metrics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook sender against real local HTTP receivers: signing, batching, retries, bounds, shutdown. */
class WebhookSenderTest {
    private static final String SECRET = "s3cret-for-tests";

    private final Metrics metrics = new Metrics();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) c.close(); // senders first, then receivers
    }

    private WebhookReceiver receiver() {
        WebhookReceiver r = WebhookReceiver.start();
        toClose.add(r);
        return r;
    }

    private Webhooks sender(UnaryOperator<WebhookConfig> tune, URI... urls) {
        return sender(metrics, tune, urls);
    }

    private Webhooks sender(Metrics metrics, UnaryOperator<WebhookConfig> tune, URI... urls) {
        Webhooks w = WebhookSender.start(tune.apply(WebhookConfig.NONE.withUrls(List.of(urls)).withSecret(SECRET)),
                metrics, () -> 1_700_000_000_000L);
        toClose.add(0, w);
        return w;
    }

    private static ServerEvent joined(int n) {
        return new ServerEvent(Type.MEMBER_ADDED, 1000 + n, "presence-room", "u" + n, null,
                ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static List<Integer> numbers(List<JsonNode> events) {
        return events.stream().map(e -> e.get("info").get("n").asInt()).toList();
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i <= to; i++) r.add(i);
        return r;
    }

    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private double count(String name) {
        return metrics.registry().get(name).counter().count();
    }

    private double queued() {
        return metrics.registry().get(WebhookMeters.QUEUED).gauge().value();
    }

    @Test
    void aPostIsSignedOverItsExactBytesAndAWrongSecretDoesNotVerify() throws Exception {
        WebhookReceiver r = receiver();
        Webhooks w = sender(c -> c, r.url());

        w.emit(new ServerEvent(Type.MEMBER_ADDED, 1001, "presence-room", "ann", null,
                "{\"name\":\"Ann\",\"tags\":[1,2]}".getBytes(StandardCharsets.UTF_8)));
        w.emit(new ServerEvent(Type.SESSION_CONNECTED, 1002, null, null, "s1", null));
        await().atMost(Duration.ofSeconds(5)).until(() -> r.posts().size() == 1);

        WebhookReceiver.Post p = r.posts().get(0);
        assertThat(new String(p.body(), StandardCharsets.UTF_8)).isEqualTo("{\"time_ms\":1700000000000,\"events\":["
                + "{\"name\":\"member_added\",\"time_ms\":1001,\"channel\":\"presence-room\",\"user\":\"ann\","
                + "\"info\":{\"name\":\"Ann\",\"tags\":[1,2]}},"
                + "{\"name\":\"session_connected\",\"time_ms\":1002,\"session\":\"s1\"}]}");
        assertThat(p.contentType()).isEqualTo("application/json");
        assertThat(p.signature()).isEqualTo(hmac(SECRET, p.body()));
        assertThat(p.signature()).isNotEqualTo(hmac("wrong-secret", p.body()));
        byte[] tampered = p.body().clone();
        tampered[tampered.length - 2] = ' ';
        assertThat(p.signature()).isNotEqualTo(hmac(SECRET, tampered));
        assertThat(p.deliveryId()).matches("[0-9a-f-]{36}");
        await().atMost(Duration.ofSeconds(5)).until(() -> count(WebhookMeters.BATCHES) == 1);
        assertThat(count(WebhookMeters.EVENTS)).isEqualTo(2);
    }

    @Test
    void aBurstLeavesInBatchesOfAtMostFiftyInOrder() {
        WebhookReceiver r = receiver();
        Webhooks w = sender(c -> c, r.url());

        for (int i = 1; i <= 120; i++) w.emit(joined(i));
        await().atMost(Duration.ofSeconds(5)).until(() -> r.delivered().size() == 120);

        List<WebhookReceiver.Post> posts = r.posts();
        assertThat(posts).extracting(p -> p.events().size()).containsExactly(50, 50, 20);
        assertThat(numbers(r.delivered())).isEqualTo(range(1, 120));
        assertThat(posts).extracting(WebhookReceiver.Post::deliveryId).doesNotHaveDuplicates();
    }

    @Test
    void aLoneEventLeavesAboutTheBatchDelayAfterIt() {
        WebhookReceiver r = receiver();
        Webhooks w = sender(c -> c, r.url());
        w.emit(joined(1)); // warms up the HTTP client, so the timing below is the sender's own
        await().atMost(Duration.ofSeconds(5)).until(() -> r.posts().size() == 1);

        long emitted = System.nanoTime();
        w.emit(joined(2));
        await().atLeast(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> r.posts().size() == 2);
        assertThat(Duration.ofNanos(r.posts().get(1).atNanos() - emitted)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(numbers(r.delivered())).containsExactly(1, 2);
    }

    @Test
    void aFailedBatchIsRetriedAsIsAndLaterBatchesWaitBehindIt() {
        WebhookReceiver r = receiver().answer(500, 500);
        Webhooks w = sender(c -> c.withBatchSize(5).withRetry(Duration.ofMillis(20), Duration.ofMillis(100)), r.url());

        for (int i = 1; i <= 10; i++) w.emit(joined(i)); // two batches: 1-5 and 6-10
        await().atMost(Duration.ofSeconds(5)).until(() -> r.delivered().size() == 10);

        List<WebhookReceiver.Post> posts = r.posts();
        assertThat(posts).extracting(WebhookReceiver.Post::status).containsExactly(500, 500, 200, 200);
        WebhookReceiver.Post first = posts.get(0);
        for (WebhookReceiver.Post retry : posts.subList(1, 3)) {
            assertThat(retry.deliveryId()).isEqualTo(first.deliveryId());
            assertThat(retry.body()).isEqualTo(first.body());
            assertThat(retry.signature()).isEqualTo(first.signature());
        }
        assertThat(posts.get(3).deliveryId()).isNotEqualTo(first.deliveryId());
        assertThat(numbers(posts.get(2).events())).isEqualTo(range(1, 5));
        assertThat(numbers(r.delivered())).isEqualTo(range(1, 10));
        await().atMost(Duration.ofSeconds(5)).until(() -> count(WebhookMeters.BATCHES) == 2);
        assertThat(count(WebhookMeters.FAILED)).isEqualTo(2);
        assertThat(count(WebhookMeters.DROPPED)).isZero();
    }

    @Test
    void aReceiverThatNeverRecoversKeepsItsBacklogBoundedAndDropsTheOldest() {
        WebhookReceiver r = receiver().answerAlways(500);
        int bound = 100;
        WebhookSender w = (WebhookSender) sender(c -> c.withQueueSize(bound).withBatchSize(10)
                .withRetry(Duration.ofMillis(5), Duration.ofMillis(20)), r.url());

        int emitted = 5_000;
        for (int i = 1; i <= emitted; i++) {
            w.emit(joined(i));
            if (i % 50 == 0) { // in steps the batcher keeps up with, so that every drop is a trim of the backlog
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5))
                        .until(() -> w.waitingToBeBatched() == 0);
                assertThat(queued()).isLessThanOrEqualTo(bound);
            }
        }
        assertThat(count(WebhookMeters.DROPPED) + queued()).isEqualTo(emitted);
        assertThat(count(WebhookMeters.DROPPED)).isGreaterThanOrEqualTo(emitted - bound);
        await().atMost(Duration.ofSeconds(5)).until(() -> count(WebhookMeters.FAILED) >= 3);
        assertThat(count(WebhookMeters.EVENTS)).isZero();

        // When it does recover it gets what was kept, in order, and nothing else is lost: the newest events
        // (and maybe the one old batch whose POST was under way when the backlog was trimmed).
        r.answerAlways(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> queued() == 0);
        List<Integer> got = numbers(r.delivered());
        assertThat(got.size() + count(WebhookMeters.DROPPED)).isEqualTo(emitted);
        assertThat(got).isSorted().doesNotHaveDuplicates().endsWith(range(emitted - 79, emitted).toArray(Integer[]::new));
    }

    @Test
    void aBurstFasterThanBatchingIsDroppedAtTheQueueAndCounted() {
        WebhookReceiver r = receiver().answerAlways(500);
        int bound = 100;
        WebhookSender w = (WebhookSender) sender(c -> c.withQueueSize(bound).withBatchSize(10)
                .withRetry(Duration.ofMillis(5), Duration.ofMillis(20)), r.url());

        int emitted = 20_000;
        for (int i = 1; i <= emitted; i++) {
            w.emit(joined(i));
            // The queue and the backlog are bounded each; a batch or two may be in hand between them.
            if (i % 100 == 0) assertThat(queued()).isLessThanOrEqualTo(2 * bound + 2 * 10);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> w.waitingToBeBatched() == 0 && count(WebhookMeters.DROPPED) + queued() == emitted);
        assertThat(queued()).isLessThanOrEqualTo(bound);
    }

    @Test
    void aHealthyReceiverIsNotHeldBackByAStalledOneNorByARefusingOne() {
        WebhookReceiver healthy = receiver();
        WebhookReceiver stalled = receiver().stall();
        WebhookReceiver gone = WebhookReceiver.start();
        URI refusing = gone.url();
        gone.close(); // nothing listens on its port any more: connections are refused
        Webhooks w = sender(c -> c.withRetry(Duration.ofMillis(20), Duration.ofMillis(100)),
                stalled.url(), refusing, healthy.url());

        for (int i = 1; i <= 120; i++) w.emit(joined(i));
        // Well within the 5 s timeout the stalled receiver's first POST waits for.
        await().atMost(Duration.ofSeconds(3)).until(() -> healthy.delivered().size() == 120);
        assertThat(numbers(healthy.delivered())).isEqualTo(range(1, 120));
        assertThat(stalled.posts()).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> count(WebhookMeters.FAILED) >= 2); // the refusing one retries
    }

    @Test
    void clientPublishesAreLeftOutUnlessEnabled() {
        List<ServerEvent> events = List.of(joined(1),
                new ServerEvent(Type.CLIENT_PUBLISH, 1005, "chat", "u1", "s1",
                        "{\"channel\":\"chat\",\"event\":\"say\",\"data\":{\"text\":\"hi\"}}".getBytes(StandardCharsets.UTF_8)),
                new ServerEvent(Type.MEMBER_REMOVED, 1006, "presence-room", "u1", null, null));

        WebhookReceiver off = receiver();
        Webhooks quiet = sender(c -> c, off.url());
        events.forEach(quiet::emit);
        await().atMost(Duration.ofSeconds(5)).until(() -> off.delivered().size() >= 2);
        assertThat(off.delivered()).extracting(e -> e.get("name").asText()).containsExactly("member_added", "member_removed");

        WebhookReceiver on = receiver();
        Webhooks all = sender(new Metrics(), c -> c.withIncludeClientPublishes(true), on.url());
        events.forEach(all::emit);
        await().atMost(Duration.ofSeconds(5)).until(() -> on.delivered().size() >= 3);
        assertThat(on.delivered()).extracting(e -> e.get("name").asText())
                .containsExactly("member_added", "client_publish", "member_removed");
        JsonNode publish = on.delivered().get(1);
        assertThat(publish.get("item").toString()).isEqualTo("{\"channel\":\"chat\",\"event\":\"say\",\"data\":{\"text\":\"hi\"}}");
        assertThat(publish.get("session").asText()).isEqualTo("s1");
        assertThat(publish.has("info")).isFalse();
    }

    @Test
    void emitNeverBlocksWhileTheReceiverStalls() {
        WebhookReceiver r = receiver().stall();
        Webhooks w = sender(c -> c.withQueueSize(100).withBatchSize(10), r.url());

        // Were emit ever to wait for room, this thread would wait for the stalled receiver: 5 s per batch.
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 1; i <= 200_000; i++) w.emit(joined(i));
        });
        assertThat(count(WebhookMeters.DROPPED)).isGreaterThan(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> count(WebhookMeters.DROPPED) + queued() == 200_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> r.posts().size() == 1); // one POST at a time, waiting
    }

    @Test
    void closeSendsWhatIsQueuedAndLaterEventsAreDropped() {
        WebhookReceiver r = receiver();
        // A long close grace: the first POST of a JVM (connection, class loading) can take a second on a busy machine.
        Webhooks w = WebhookSender.start(WebhookConfig.NONE.withUrls(List.of(r.url())).withSecret(SECRET)
                .withBatchDelay(Duration.ofSeconds(30)), metrics, () -> 0, 10_000);

        for (int i = 1; i <= 3; i++) w.emit(joined(i));
        w.close(); // does not wait the 30 s batch delay: it sends at once, and waits for the answer

        assertThat(numbers(r.delivered())).containsExactly(1, 2, 3);
        assertThat(count(WebhookMeters.DROPPED)).isZero();
        w.emit(joined(4));
        assertThat(count(WebhookMeters.DROPPED)).isEqualTo(1);
        assertThat(r.posts()).hasSize(1);
    }

    @Test
    void closeGivesUpAfterTheGraceAndCountsWhatWasNotSent() {
        WebhookReceiver r = receiver().stall();
        Webhooks w = sender(c -> c, r.url());

        for (int i = 1; i <= 5; i++) w.emit(joined(i));
        await().atMost(Duration.ofSeconds(5)).until(() -> r.posts().size() == 1);
        long start = System.nanoTime();
        w.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(count(WebhookMeters.DROPPED)).isEqualTo(5);
    }

    @Test
    void noUrlsMeansNoSenderAndUrlsWithoutASecretAreRefused() {
        assertThat(WebhookSender.start(WebhookConfig.NONE, metrics, () -> 0)).isSameAs(Webhooks.NONE);
        WebhookConfig unsigned = WebhookConfig.NONE.withUrls(List.of(URI.create("http://127.0.0.1:9/hooks")));
        assertThatThrownBy(() -> WebhookSender.start(unsigned, metrics, () -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret");
    }
}
