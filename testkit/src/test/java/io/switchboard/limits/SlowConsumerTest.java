package io.switchboard.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.ResourceLeakDetector;
import io.switchboard.core.auth.Namespace;
import io.switchboard.core.message.Publication;
import io.switchboard.testkit.RawWebSocket;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The slow-consumer policy under a flood: clients that stop reading are cut ({@code 4409}) once their queue
 * passes the outbound bound, the bytes queued on the server stay within that bound per client, and clients
 * that keep reading get every message, in order, on time. On a "latest value" channel slow clients are not
 * cut: they skip to the newest message.
 */
class SlowConsumerTest {
    /**
     * The suite runs with paranoid leak detection, which records a stack trace at every retain and release:
     * tens of microseconds per delivery, a thousand times what production pays. Latency is measured at
     * Netty's default level, as deployed; the other tests keep watching for leaks.
     */
    private static ResourceLeakDetector.Level suiteLevel;

    @BeforeAll
    static void productionLeakDetection() {
        suiteLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }

    @AfterAll
    static void restoreLeakDetection() {
        ResourceLeakDetector.setLevel(suiteLevel);
    }

    private static final int BOUND = 256 * 1024;
    private static final Pattern T = Pattern.compile("\"t\":(\\d+)");
    /** An offset with the character after it, so that one cut off at the end of a read is not taken. */
    private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)[,}]");
    private static final String PAD = "x".repeat(1000);

    @Test
    void two_hundred_clients_that_stop_reading_are_cut_and_fast_clients_keep_every_message_with_p99_under_50ms()
            throws Exception {
        int slowCount = 200;
        int messages = 2500;
        try (TestServer server = TestServer.start(c -> c.withLimits(c.limits().withOutboundBytes(BOUND)))) {
            List<RawWebSocket> slow = new ArrayList<>();
            List<FastClient> fast = new ArrayList<>();
            try {
                for (int i = 0; i < slowCount; i++) {
                    slow.add(RawWebSocket.connect(server.port(), 4096).send("{\"op\":\"subscribe\",\"channel\":\"flood\"}"));
                }
                for (int i = 0; i < 5; i++) fast.add(FastClient.connect(server, "flood"));
                await().until(() -> server.server().hub().subscribers("flood") == slowCount + 5);

                PeakPending peak = new PeakPending(server);
                peak.start();
                publish(server, "flood", messages, 500);
                for (FastClient f : fast) f.awaitCount(messages);
                peak.stop();

                await().untilAsserted(() -> assertThat(server.server().metrics().registry()
                        .find("switchboard.slow.cuts").tag("door", "ws").counter().count()).isEqualTo(slowCount));
                assertThat(server.server().metrics().errorCount("ws", 4409)).isEqualTo(slowCount);
                await().until(() -> server.server().hub().subscribers("flood") == 5);

                Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
                for (FastClient f : fast) {
                    assertThat(f.outOfOrder).as("every message once, in order").isZero();
                    all.add(f.latency);
                }
                long p99 = all.getValueAtPercentile(99);
                System.out.printf("slow-consumer flood: fast p50 %.2f ms, p99 %.2f ms, max %.2f ms; peak queued %d KiB%n",
                        all.getValueAtPercentile(50) / 1e6, p99 / 1e6, all.getMaxValue() / 1e6, peak.max.get() / 1024);
                assertThat(p99).as("fast clients' p99 publish→receive").isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
                // Each slow client may have one bound queued plus what was in flight when it was cut.
                assertThat(peak.max.get()).as("bytes queued on the server, all clients").isLessThan((long) slowCount * 2 * BOUND);
            } finally {
                for (RawWebSocket s : slow) s.close();
                for (FastClient f : fast) f.close();
            }
        }
    }

    @Test
    void a_slow_client_of_a_latest_value_channel_is_not_cut_and_ends_with_the_newest_message() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withLimits(c.limits().withOutboundBytes(BOUND))
                .withHub(c.hub().withNamespaces(List.of(Namespace.latestValue("ticker-*"), Namespace.clientPublish("*")))));
             RawWebSocket slow = RawWebSocket.connect(server.port(), 4096)) {
            slow.send("{\"op\":\"subscribe\",\"channel\":\"ticker-eur\"}");
            await().until(() -> server.server().hub().subscribers("ticker-eur") == 1);
            int messages = 2000;
            publish(server, "ticker-eur", messages, 0);

            assertThat(server.server().metrics().errorCount("ws", 4409)).as("not cut").isZero();
            await().untilAsserted(() -> assertThat(server.server().metrics().registry().find("switchboard.slow.skipped")
                    .tag("door", "ws").counter()).isNotNull());
            // Now read: offsets rise, skip (the dropped ones), and end with the newest message.
            byte[] buf = new byte[64 * 1024];
            StringBuilder seen = new StringBuilder();
            long last = 0;
            long received = 0;
            while (last < messages) {
                int n = slow.input().read(buf);
                assertThat(n).as("still connected").isPositive();
                seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                Matcher m = OFFSET.matcher(seen);
                int end = 0;
                while (m.find()) {
                    long offset = Long.parseLong(m.group(1));
                    if (offset == 0) continue; // the subscribed reply: the channel was empty
                    assertThat(offset).as("never backwards, never twice").isGreaterThan(last);
                    last = offset;
                    received++;
                    end = m.end();
                }
                seen.delete(0, end);
            }
            assertThat(received).as("some older messages were skipped").isLessThan(messages);
            assertThat(server.server().hub().subscribers("ticker-eur")).isEqualTo(1);
        }
    }

    /** Publishes {@code n} messages in-process at {@code perSecond} (0: as fast as possible), each stamped with its send time. */
    private static void publish(TestServer server, String channel, int n, int perSecond) {
        long start = System.nanoTime();
        List<CompletionStage<?>> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (perSecond > 0) {
                long due = start + i * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
            }
            byte[] data = ("{\"t\":" + System.nanoTime() + ",\"pad\":\"" + PAD + "\"}").getBytes(StandardCharsets.UTF_8);
            pending.add(server.server().hub().publish(new Publication(channel, "tick", data, null)));
        }
        for (CompletionStage<?> p : pending) p.toCompletableFuture().join();
    }

    /** A WebSocket client that keeps reading and records each message's publish→receive time as it arrives. */
    private static final class FastClient implements WebSocket.Listener, AutoCloseable {
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final AtomicLong count = new AtomicLong();
        volatile long outOfOrder;
        volatile boolean closed;
        private long lastOffset;
        private final StringBuilder partial = new StringBuilder();
        private WebSocket ws;

        static FastClient connect(TestServer server, String channel) {
            FastClient c = new FastClient();
            c.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(server.ws("/ws"), c).join();
            c.ws.sendText("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}", true).join();
            return c;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (text.contains("\"type\":\"message\"")) {
                    Matcher t = T.matcher(text);
                    Matcher o = OFFSET.matcher(text);
                    if (t.find() && o.find()) {
                        latency.recordValue(Math.max(0, now - Long.parseLong(t.group(1))));
                        long offset = Long.parseLong(o.group(1));
                        if (offset != lastOffset + 1) outOfOrder++;
                        lastOffset = offset;
                        count.incrementAndGet();
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed = true;
            return null;
        }

        void awaitCount(int n) {
            await().atMost(Duration.ofSeconds(30)).failFast("a fast client was closed", () -> closed)
                    .until(() -> count.get() >= n);
        }

        @Override
        public void close() {
            ws.abort();
        }
    }

    /** Samples the bytes queued on every server connection while a flood runs, keeping the largest total. */
    private static final class PeakPending {
        final AtomicLong max = new AtomicLong();
        private final TestServer server;
        private volatile boolean running = true;
        private final Thread thread;

        PeakPending(TestServer server) {
            this.server = server;
            this.thread = new Thread(this::sample, "peak-pending");
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        private void sample() {
            while (running) {
                AtomicLong total = new AtomicLong();
                server.server().context().connections().forEach(ch -> {
                    ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
                    if (out != null) total.addAndGet(out.totalPendingWriteBytes());
                });
                max.accumulateAndGet(total.get(), Math::max);
                LockSupport.parkNanos(5_000_000);
            }
        }
    }
}
