package io.switchboard.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.server.limit.LimitsConfig;
import io.switchboard.testkit.RawHttp;
import io.switchboard.testkit.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The connection gate: the node's connection limit ({@code 503}), the limit per address and the rate of
 * new connections per address ({@code 429}). Refused connections are answered over HTTP, counted, and do
 * not disturb admitted ones.
 */
class ConnectionLimitsTest {
    private static final String HEALTHZ = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

    @Test
    void past_the_node_limit_a_new_connection_is_answered_503_and_a_freed_slot_is_taken_again() throws Exception {
        try (TestServer server = start(l -> l.withMaxConnections(3))) {
            List<Socket> held = open(server, 3, "127.0.0.1");
            try {
                RawHttp.Answer refused = RawHttp.exchange(server.port(), HEALTHZ, null);
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.body()).contains("\"error\":\"unavailable\"");
                assertThat(refused.headers()).containsEntry("retry-after", "1");
                assertThat(server.server().metrics().errorCount("http", 503)).isEqualTo(1);
                assertThat(answer(held.get(0)).status()).as("admitted connections are still served").isEqualTo(200);

                held.remove(0).close();
                await().untilAsserted(() -> assertThat(server.server().gate().open()).isEqualTo(2));
                assertThat(RawHttp.exchange(server.port(), HEALTHZ, null).status()).isEqualTo(200);
            } finally {
                closeAll(held);
            }
        }
    }

    @Test
    void past_the_limit_per_address_that_address_is_answered_429_and_other_addresses_are_not() throws Exception {
        try (TestServer server = start(l -> l.withMaxConnectionsPerIp(2))) {
            List<Socket> held = open(server, 2, "127.0.0.1");
            try {
                RawHttp.Answer refused = RawHttp.exchange(server.port(), HEALTHZ, null);
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.body()).contains("\"error\":\"rate_limited\"").contains("2 connections");

                try (Socket other = connectFrom(server, "127.0.0.2")) {
                    assertThat(answer(other).status()).as("another address has its own count").isEqualTo(200);
                }
            } finally {
                closeAll(held);
            }
            await().untilAsserted(() -> assertThat(RawHttp.exchange(server.port(), HEALTHZ, null).status()).isEqualTo(200));
            // Addresses with nothing open and a full bucket are forgotten by the sweep.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(server.server().gate().addresses()).isZero());
        }
    }

    @Test
    void an_address_connecting_faster_than_its_rate_is_answered_429_until_its_bucket_refills() throws Exception {
        try (TestServer server = start(l -> l.withMaxConnectionsPerIp(0).withConnectsPerSecondPerIp(5))) {
            int ok = 0;
            RawHttp.Answer last = null;
            for (int i = 0; i < 8; i++) {
                last = RawHttp.exchange(server.port(), HEALTHZ, null);
                if (last.status() == 200) ok++;
            }
            assertThat(ok).as("a burst of the rate is let through").isBetween(5, 6);
            assertThat(last.status()).isEqualTo(429);
            assertThat(last.body()).contains("too many new connections");
            assertThat(server.server().metrics().errorCount("http", 429)).isGreaterThanOrEqualTo(2);

            await().atMost(Duration.ofSeconds(3))
                    .untilAsserted(() -> assertThat(RawHttp.exchange(server.port(), HEALTHZ, null).status()).isEqualTo(200));
        }
    }

    @Test
    void the_default_node_limit_follows_the_file_descriptor_limit() {
        int max = LimitsConfig.DEFAULT.effectiveMaxConnections();
        var os = (com.sun.management.UnixOperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        assertThat(max).isEqualTo((int) Math.min(Integer.MAX_VALUE, os.getMaxFileDescriptorCount() - LimitsConfig.FD_RESERVE));
    }

    static TestServer start(UnaryOperator<LimitsConfig> limits) {
        return TestServer.start(c -> c.withLimits(limits.apply(c.limits())));
    }

    /** Opens {@code n} connections from {@code source}, each proven admitted by one answered request. */
    private static List<Socket> open(TestServer server, int n, String source) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = connectFrom(server, source);
            sockets.add(s);
            assertThat(answer(s).status()).isEqualTo(200);
        }
        return sockets;
    }

    static Socket connectFrom(TestServer server, String source) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    /** Sends a keep-alive /healthz on {@code s} and reads the answer. */
    static RawHttp.Answer answer(Socket s) throws IOException {
        s.getOutputStream().write(HEALTHZ.getBytes(StandardCharsets.US_ASCII));
        return RawHttp.read(s.getInputStream());
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket s : sockets) s.close();
    }
}
