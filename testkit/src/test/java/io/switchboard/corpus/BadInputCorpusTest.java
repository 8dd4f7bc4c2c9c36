package io.switchboard.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.message.Publication;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.LeakWatch;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus (issue #9): hostile and broken inputs on every door, one server for all of them.
 * Each row asserts the documented answer (status and error code, or WebSocket close code / error frame);
 * then the runner checks that the refusal was counted, that nothing was left behind (connections, door
 * gauges, HTTP sessions, Hub subscriptions back to the baseline) and that a WebSocket subscriber opened
 * before the corpus still gets a publish. At the end, Netty's paranoid leak detector must have found no
 * leaked buffer ({@link LeakWatch}).
 *
 * <p>The rows live by door in {@link WsCases}, {@link StreamingDoorCases}, {@link RequestDoorCases} and
 * {@link WireCases}.
 */
class BadInputCorpusTest {
    /** Small enough that oversized inputs are cheap; data must fit in a body. */
    static final int MAX_BODY = 64 * 1024;
    static final int MAX_DATA = 8 * 1024;
    private static final String BYSTANDER = "bystander";

    private static LeakWatch leaks;
    private static TestServer server;
    private static WsRecorder bystander;
    private static final AtomicInteger published = new AtomicInteger();

    @BeforeAll
    static void start() {
        leaks = LeakWatch.start();
        server = TestServer.start(c -> c.withMaxBodyBytes(MAX_BODY)
                .withHub(c.hub().withMaxDataBytes(MAX_DATA))
                // Long enough for the rows that trickle a request over 2 s, short enough for the slowloris rows.
                .withLimits(c.limits().withRequestTimeout(Duration.ofSeconds(3)))
                // Sessions that a served row opens (a poll) go quickly once the row is done.
                .withSessions(c.sessions().withIdleTimeout(Duration.ofMillis(300))));
        bystander = WsRecorder.connect(server.ws("/ws"));
        assertThat(bystander.next().path("type").asText()).isEqualTo("welcome");
        bystander.send("{\"op\":\"subscribe\",\"channel\":\"" + BYSTANDER + "\",\"id\":\"b\"}");
        assertThat(bystander.awaitType("subscribed").path("channel").asText()).isEqualTo(BYSTANDER);
    }

    @AfterAll
    static void stop() {
        if (bystander != null) bystander.close();
        if (server != null) server.close();
        leaks.assertNoLeaks();
    }

    static Stream<Case> corpus() {
        return Stream.of(WsCases.all(), StreamingDoorCases.all(), RequestDoorCases.all(), WireCases.all())
                .flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileInput(Case c) {
        try {
            check(c);
        } catch (Exception | AssertionError e) {
            throw new AssertionError(c + ": " + e, e); // the row's name, whichever check failed
        }
    }

    /** Runs one row: its probe, then the checks every row shares. */
    private static void check(Case c) throws Exception {
        SwitchboardServer s = server.server();
        Map<Integer, Double> before = new HashMap<>();
        if (c.counted() != null) {
            for (int status : c.counted().statuses()) before.put(status, s.metrics().errorCount(c.counted().door(), status));
        }

        c.probe().run(server);

        if (c.counted() != null) {
            await("refusal counted").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(rise(c, before)).as("refusals counted under %s %s", c.counted().door(), c.counted().statuses())
                            .isEqualTo(c.counted().times()));
        }
        assertNothingLeftBehind();
        assertBystanderServed();
    }

    private static double rise(Case c, Map<Integer, Double> before) {
        double sum = 0;
        for (var e : before.entrySet()) {
            sum += server.server().metrics().errorCount(c.counted().door(), e.getKey()) - e.getValue();
        }
        return sum;
    }

    /** Only the bystander remains: one connection, one WebSocket, no stream, no HTTP session, one subscription. */
    private static void assertNothingLeftBehind() {
        SwitchboardServer s = server.server();
        await("nothing left behind").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
            assertThat(bystander.isClosed()).as("the bystander was closed").isFalse();
            assertThat(s.context().connections().size()).as("open connections").isEqualTo(1);
            assertThat(s.metrics().connections("ws").get()).as("WebSocket sessions").isEqualTo(1);
            assertThat(s.metrics().connections("sse").get()).as("SSE streams").isZero();
            assertThat(s.metrics().connections("longpoll").get()).as("parked long-polls").isZero();
            assertThat(s.context().sessions().size()).as("HTTP sessions").isZero();
            assertThat(s.hub().channels("")).as("channels with subscribers").isEqualTo(Map.of(BYSTANDER, 1));
        });
    }

    /** The subscriber opened before the corpus still receives what is published, and is answered. */
    private static void assertBystanderServed() {
        int n = published.incrementAndGet();
        bystander.send("{\"op\":\"ping\",\"id\":\"p" + n + "\"}");
        bystander.awaitItem(i -> ("p" + n).equals(i.path("ref").asText()));
        server.server().hub().publish(new Publication(BYSTANDER, "message",
                ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8), null)).toCompletableFuture().join();
        bystander.awaitItem(i -> "message".equals(i.path("type").asText()) && i.path("data").path("n").asInt() == n);
    }
}
