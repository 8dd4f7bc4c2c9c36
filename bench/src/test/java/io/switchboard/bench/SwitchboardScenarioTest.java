package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.switchboard.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny real scenario against a real Switchboard on port 0: subscribers on every door (WebSocket, SSE,
 * HTTP streaming, long-poll; 25 each) on one channel, up to 200 messages over the server API; nothing may be lost,
 * duplicated or reordered, and the latency histogram and report must be filled.
 */
class SwitchboardScenarioTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();

    @Test
    void everyDoorGetsEveryMessageOnceInOrder(@TempDir Path dir) throws Exception {
        EventLoopGroup group = Net.group(2, "test-bench");
        try {
            Target target = Target.of("switchboard", "127.0.0.1", server.port(), server.apiKey());
            Scenario s = new Scenario("tiny", List.of(Door.values()), 100, 1, 1, List.of(100.0), 2, false, 100, false, 100, 0);
            ServerProbe self = new ServerProbe(ProcessHandle.current().pid());
            Map<String, Object> r = new ScenarioRunner(group, target, new SourceAddresses(1000), self).run(s, "t3");

            assertThat(r.get("ready")).isEqualTo(100);
            // At most 200 (2 s at 100/s); fewer when a busy machine slows the cold server's answers, since
            // the publisher waits for each answer. What matters here is that each one reached everybody.
            assertThat((long) r.get("published")).isBetween(1L, 200L);
            assertThat(r.get("lost")).isEqualTo(0L);
            assertThat(r.get("duplicated")).isEqualTo(0L);
            assertThat(r.get("reordered")).isEqualTo(0L);
            assertThat((long) r.get("received")).isEqualTo(100 * (long) r.get("published"));
            @SuppressWarnings("unchecked")
            Map<String, Object> step = ((List<Map<String, Object>>) r.get("steps")).get(0);
            @SuppressWarnings("unchecked")
            Map<String, Object> latency = (Map<String, Object>) step.get("latency");
            assertThat((long) latency.get("count")).isEqualTo(100 * (long) r.get("published"));
            assertThat((double) latency.get("p99Ms")).isPositive();
            assertThat(r.get("errors")).isEqualTo(Map.of());

            Path run = dir.resolve("run.json");
            Main.write(run, List.of(r));
            HtmlReport.write(dir.resolve("report"), List.of(run), "test");
            String html = Files.readString(dir.resolve("report/index.html"));
            assertThat(html).contains("<svg", "<polyline", "tiny").doesNotContain("<script", "http://cdn", "https://");
            assertThat(Files.readString(dir.resolve("report/results.json"))).contains("\"lost\" : 0");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
