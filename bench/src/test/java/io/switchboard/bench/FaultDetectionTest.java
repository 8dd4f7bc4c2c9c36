package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.switchboard.bench.baseline.BaselineServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generator against a real server (the baseline) that is made to misbehave: it drops message 5,
 * sends message 7 twice and holds message 10 back until 11 has gone. Every subscriber, WebSocket and
 * SSE alike, must report exactly one loss, one duplicate and one reordering.
 */
class FaultDetectionTest {
    static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = Net.group(2, "test-bench");
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Rewrites the published stream of publisher 0: drops 5, duplicates 7, swaps 10 and 11. */
    static final class Faults implements UnaryOperator<List<byte[]>> {
        private byte[] held;

        @Override
        public synchronized List<byte[]> apply(List<byte[]> bodies) {
            List<byte[]> out = new ArrayList<>();
            for (byte[] body : bodies) {
                String text = new String(body, StandardCharsets.UTF_8);
                if (text.contains("\"bm\":[0,5,")) continue;
                if (text.contains("\"bm\":[0,7,")) out.add(body);
                if (text.contains("\"bm\":[0,10,")) {
                    held = body;
                    continue;
                }
                out.add(body);
                if (text.contains("\"bm\":[0,11,")) out.add(held);
            }
            return out;
        }
    }

    @Test
    void injectedLossDuplicateAndReorderingAreDetectedOnEveryConnection() throws Exception {
        try (BaselineServer server = BaselineServer.start("127.0.0.1", 0, 1, new Faults())) {
            Target target = Target.of("baseline", "127.0.0.1", server.port(), null);
            Scenario s = new Scenario("faults", List.of(Door.WS, Door.SSE), 20, 1, 1, List.of(40.0), 1, false, 100, false, 100, 0);
            Map<String, Object> r = new ScenarioRunner(group, target, new SourceAddresses(1000), null).run(s, "t1");

            assertThat(r.get("ready")).isEqualTo(20);
            assertThat((long) r.get("published")).isGreaterThanOrEqualTo(12);
            assertThat(r.get("lost")).isEqualTo(20L);
            assertThat(r.get("duplicated")).isEqualTo(20L);
            assertThat(r.get("reordered")).isEqualTo(20L);
            assertThat(r.get("connectionsWithFaults")).isEqualTo(20);
        }
    }

    @Test
    void aFaithfulServerShowsNoFaults() throws Exception {
        try (BaselineServer server = BaselineServer.start("127.0.0.1", 0, 1, null)) {
            Target target = Target.of("baseline", "127.0.0.1", server.port(), null);
            Scenario s = new Scenario("clean", List.of(Door.WS, Door.SSE), 20, 2, 2, List.of(40.0), 1, false, 100, false, 100, 0);
            Map<String, Object> r = new ScenarioRunner(group, target, new SourceAddresses(1000), null).run(s, "t2");

            assertThat(r.get("ready")).isEqualTo(20);
            assertThat(r.get("lost")).isEqualTo(0L);
            assertThat(r.get("duplicated")).isEqualTo(0L);
            assertThat(r.get("reordered")).isEqualTo(0L);
            assertThat((long) r.get("received")).isEqualTo((long) r.get("expectedDeliveries")).isGreaterThan(0);
            assertThat(r.get("errors")).isEqualTo(Map.of());
        }
    }
}
