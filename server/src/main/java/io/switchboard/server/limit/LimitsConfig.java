package io.switchboard.server.limit;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * How much any one client, address or the whole node may take. Every limit has a safe default; {@code 0}
 * turns a count limit off. Refusals are answered as PROTOCOL.md says and counted in metrics.
 *
 * @param maxConnections        open connections on this node; past it a new connection is answered {@code 503}
 *                              (0: the process's file-descriptor limit less a reserve of {@value #FD_RESERVE})
 * @param maxConnectionsPerIp   open connections from one address (5,000; 0: no limit); past it {@code 429}.
 *                              Behind a proxy every client shares its address: raise or turn off
 * @param connectsPerSecondPerIp new connections per second from one address (200, with a burst of as many);
 *                              past it {@code 429}
 * @param messagesPerSecond     WebSocket frames and HTTP requests per second on one connection (1,000, with a
 *                              burst of {@code messageBurst}); past it WebSocket closes {@code 4429} and HTTP
 *                              answers {@code 429}. The server API ({@code /api/}) is not limited
 * @param messageBurst          how many messages may come at once before the rate applies (2,000): a flood
 *                              is cut within a few thousand frames while a busy game or chat client never
 *                              notices
 * @param maxUrlBytes           request line length (8 KiB); past it {@code 414}
 * @param maxHeaderBytes        all request headers together (16 KiB); past it {@code 431}
 * @param requestTimeout        time a request's headers and body may take to arrive once it has begun (10 s);
 *                              past it {@code 408} and close: trickled ("slowloris") requests hold nothing long
 * @param idleTimeout           a connection with nothing read or written for this long is closed (120 s).
 *                              Must be longer than the heartbeat (the server's
 *                              own pings keep live connections active); long-polls hold at most a second less.
 *                              So only dead or abandoned keep-alive connections reach it; WebSockets also close
 *                              {@code 4408} after two silent heartbeats
 * @param outboundBytes         bytes queued to one slow connection before the slow-consumer policy acts (1 MiB):
 *                              ordered channels cut the session ({@code 4409}, SSE/stream {@code error} 409),
 *                              "latest value" channels drop older queued messages instead
 * @param socketSendBuffer      the kernel's send buffer per connection ({@code SO_SNDBUF}, 128 KiB; 0: the OS
 *                              default, which on Linux grows to 4 MiB per connection). Bytes there are past
 *                              the server's reach: a fixed size bounds kernel memory per client and lets the
 *                              outbound bound see a stalled client within a few hundred kilobytes
 */
public record LimitsConfig(int maxConnections, int maxConnectionsPerIp, int connectsPerSecondPerIp,
                           int messagesPerSecond, int messageBurst, int maxUrlBytes, int maxHeaderBytes,
                           Duration requestTimeout, Duration idleTimeout, int outboundBytes, int socketSendBuffer) {
    /** File descriptors kept back from {@link #maxConnections} for the listener, logs, jars and Redis. */
    public static final int FD_RESERVE = 256;

    public static final LimitsConfig DEFAULT = new LimitsConfig(0, 5_000, 200, 1_000, 2_000, 8 * 1024, 16 * 1024,
            Duration.ofSeconds(10), Duration.ofSeconds(120), 1024 * 1024, 128 * 1024);

    /** No count or rate limit (sizes and timeouts as the defaults): for tests and benchmarks that open many connections at once. */
    public static final LimitsConfig UNLIMITED = new LimitsConfig(Integer.MAX_VALUE, 0, 0, 0, 0, 8 * 1024, 16 * 1024,
            Duration.ofSeconds(10), Duration.ofSeconds(120), 1024 * 1024, 128 * 1024);

    public LimitsConfig {
        if (maxConnections < 0 || maxConnectionsPerIp < 0 || connectsPerSecondPerIp < 0 || messagesPerSecond < 0
                || messageBurst < 0) {
            throw new IllegalArgumentException("connection and rate limits must be >= 0");
        }
        if (maxUrlBytes < 256) throw new IllegalArgumentException("maxUrlBytes must be >= 256");
        if (maxHeaderBytes < 1024) throw new IllegalArgumentException("maxHeaderBytes must be >= 1024");
        if (requestTimeout == null || requestTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("requestTimeout must be >= 100ms");
        }
        if (idleTimeout == null || idleTimeout.compareTo(Duration.ofSeconds(2)) < 0) {
            throw new IllegalArgumentException("idleTimeout must be >= 2s");
        }
        if (outboundBytes < 16 * 1024) throw new IllegalArgumentException("outboundBytes must be >= 16 KiB");
        if (socketSendBuffer != 0 && socketSendBuffer < 4096) {
            throw new IllegalArgumentException("socketSendBuffer must be 0 (OS default) or >= 4 KiB");
        }
    }

    /** {@link #maxConnections}, with 0 resolved against this process's file-descriptor limit. */
    public int effectiveMaxConnections() {
        if (maxConnections > 0) return maxConnections;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long fds = unix.getMaxFileDescriptorCount();
            if (fds > FD_RESERVE * 2L) return (int) Math.min(Integer.MAX_VALUE, fds - FD_RESERVE);
        }
        return 100_000;
    }

    public LimitsConfig withMaxConnections(int v) {
        return new LimitsConfig(v, maxConnectionsPerIp, connectsPerSecondPerIp, messagesPerSecond, messageBurst, maxUrlBytes, maxHeaderBytes, requestTimeout, idleTimeout, outboundBytes, socketSendBuffer);
    }

    public LimitsConfig withMaxConnectionsPerIp(int v) {
        return new LimitsConfig(maxConnections, v, connectsPerSecondPerIp, messagesPerSecond, messageBurst, maxUrlBytes, maxHeaderBytes, requestTimeout, idleTimeout, outboundBytes, socketSendBuffer);
    }

    public LimitsConfig withConnectsPerSecondPerIp(int v) {
        return new LimitsConfig(maxConnections, maxConnectionsPerIp, v, messagesPerSecond, messageBurst, maxUrlBytes, maxHeaderBytes, requestTimeout, idleTimeout, outboundBytes, socketSendBuffer);
    }

    public LimitsConfig withMessagesPerSecond(int rate, int burst) {
        return new LimitsConfig(maxConnections, maxConnectionsPerIp, connectsPerSecondPerIp, rate, burst, maxUrlBytes, maxHeaderBytes, requestTimeout, idleTimeout, outboundBytes, socketSendBuffer);
    }

    public LimitsConfig withMaxUrlBytes(int v) {
        return new LimitsConfig(maxConnections, maxConnectionsPerIp, connectsPerSecondPerIp, messagesPerSecond, messageBurst, v, maxHeaderBytes, requestTimeout, idleTimeout, outboundBytes, socketSendBuffer);
    }

    public LimitsConfig withMaxHeaderBytes(int v) {
        return new LimitsConfig(maxConnections, maxConnectionsPerIp, connectsPerSecondPerIp, messagesPerSecond, messageBurst, maxUrlBytes, v, requestTimeout, idleTimeout, outboundBytes, socketSendBuffer);
    }

    public LimitsConfig withRequestTimeout(Duration v) {
        return new LimitsConfig(maxConnections, maxConnectionsPerIp, connectsPerSecondPerIp, messagesPerSecond, messageBurst, maxUrlBytes, maxHeaderBytes, v, idleTimeout, outboundBytes, socketSendBuffer);
    }

    public LimitsConfig withIdleTimeout(Duration v) {
        return new LimitsConfig(maxConnections, maxConnectionsPerIp, connectsPerSecondPerIp, messagesPerSecond, messageBurst, maxUrlBytes, maxHeaderBytes, requestTimeout, v, outboundBytes, socketSendBuffer);
    }

    public LimitsConfig withSocketSendBuffer(int v) {
        return new LimitsConfig(maxConnections, maxConnectionsPerIp, connectsPerSecondPerIp, messagesPerSecond, messageBurst, maxUrlBytes, maxHeaderBytes, requestTimeout, idleTimeout, outboundBytes, v);
    }

    public LimitsConfig withOutboundBytes(int v) {
        return new LimitsConfig(maxConnections, maxConnectionsPerIp, connectsPerSecondPerIp, messagesPerSecond, messageBurst, maxUrlBytes, maxHeaderBytes, requestTimeout, idleTimeout, v, socketSendBuffer);
    }
}
