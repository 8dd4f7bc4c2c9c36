package io.switchboard.server;

import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.core.hub.HubConfig;
import io.switchboard.server.auth.TokenConfig;
import io.switchboard.server.http.DisabledDoors;
import io.switchboard.server.limit.LimitsConfig;
import io.switchboard.server.webhook.WebhookConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the network layer needs to know, as one immutable value. Defaults live in
 * {@link #defaults()}; only the {@code app} module reads files, environment and flags to build one.
 *
 * @param host             address to bind (default 127.0.0.1)
 * @param port             port to bind; 0 picks a free one (default 8080)
 * @param apiKey           the server API's Bearer key; never null here (the app generates one when absent)
 * @param allowedOrigins   origins allowed beyond no-Origin, the server's own and localhost/127.0.0.1
 * @param maxBodyBytes     largest HTTP request body and WebSocket frame (1 MiB)
 * @param heartbeat        silence after which WebSocket and SSE send a heartbeat (25 s)
 * @param sseRetry         the {@code retry:} an SSE stream opens with (2 s)
 * @param shutdownGrace    how long a graceful stop waits for clients to leave (3 s; with thread shutdown a stop ends within 5 s)
 * @param history          history kept per channel (100 messages, 10 minutes)
 * @param hub              the Hub's limits
 * @param sessions         the HTTP doors' sessions and stream caps
 * @param tokens           which client tokens are accepted (none by default)
 * @param webhooks         where server events are POSTed ({@link WebhookConfig#NONE}: nowhere)
 * @param disabledDoors    doors this server does not offer ({@link DisabledDoors#NAMES}; none by default)
 * @param tls              certificate and key for https/wss ({@link TlsConfig#NONE}: plain HTTP)
 * @param limits           connection, rate, size, timeout and slow-consumer limits ({@link LimitsConfig#DEFAULT})
 * @param demo             the demo pages ({@code /lab}, {@code /demo/chat}) with their demo-only token endpoint
 *                         and client publishing on {@code demo-*} channels ({@code web.Demo}); off by default
 * @param accessLog        one log line per HTTP request and WebSocket session ({@code http.AccessLog}); on by default
 */
public record ServerConfig(String host, int port, String apiKey, List<String> allowedOrigins, int maxBodyBytes,
                           Duration heartbeat, Duration sseRetry, Duration shutdownGrace, HistoryPolicy history,
                           HubConfig hub, HttpSessionConfig sessions, TokenConfig tokens,
                           WebhookConfig webhooks, Set<String> disabledDoors, TlsConfig tls,
                           LimitsConfig limits, boolean demo, boolean accessLog) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535: " + port);
        if (apiKey == null || apiKey.isEmpty()) throw new IllegalArgumentException("apiKey must be set");
        allowedOrigins = List.copyOf(allowedOrigins);
        if (maxBodyBytes <= 0) throw new IllegalArgumentException("maxBodyBytes must be > 0");
        requirePositive(heartbeat, "heartbeat");
        requirePositive(sseRetry, "sseRetry");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(webhooks, "webhooks");
        disabledDoors = Set.copyOf(disabledDoors);
        disabledDoors.forEach(DisabledDoors::check);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(limits, "limits");
        // The server writes at least every heartbeat on long-lived connections, which keeps them active.
        if (limits.idleTimeout().compareTo(heartbeat) <= 0) {
            throw new IllegalArgumentException("the idle timeout must be longer than the heartbeat");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be > 0");
    }

    /** The defaults of PROTOCOL.md, with the given API key. */
    public static ServerConfig defaults(String apiKey) {
        return new ServerConfig("127.0.0.1", 8080, apiKey, List.of(), 1024 * 1024, Duration.ofSeconds(25),
                Duration.ofSeconds(2), Duration.ofSeconds(3), HistoryPolicy.DEFAULT, HubConfig.DEFAULT,
                HttpSessionConfig.DEFAULT, TokenConfig.NONE, WebhookConfig.NONE, Set.of(), TlsConfig.NONE,
                LimitsConfig.DEFAULT, false, true);
    }

    public ServerConfig withHost(String v) {
        return new ServerConfig(v, port, apiKey, allowedOrigins, maxBodyBytes, heartbeat, sseRetry, shutdownGrace, history, hub, sessions, tokens, webhooks, disabledDoors, tls, limits, demo, accessLog);
    }

    public ServerConfig withPort(int v) {
        return new ServerConfig(host, v, apiKey, allowedOrigins, maxBodyBytes, heartbeat, sseRetry, shutdownGrace, history, hub, sessions, tokens, webhooks, disabledDoors, tls, limits, demo, accessLog);
    }

    public ServerConfig withAllowedOrigins(List<String> v) {
        return new ServerConfig(host, port, apiKey, v, maxBodyBytes, heartbeat, sseRetry, shutdownGrace, history, hub, sessions, tokens, webhooks, disabledDoors, tls, limits, demo, accessLog);
    }

    public ServerConfig withMaxBodyBytes(int v) {
        return new ServerConfig(host, port, apiKey, allowedOrigins, v, heartbeat, sseRetry, shutdownGrace, history, hub, sessions, tokens, webhooks, disabledDoors, tls, limits, demo, accessLog);
    }

    public ServerConfig withHeartbeat(Duration v) {
        return new ServerConfig(host, port, apiKey, allowedOrigins, maxBodyBytes, v, sseRetry, shutdownGrace, history, hub, sessions, tokens, webhooks, disabledDoors, tls, limits, demo, accessLog);
    }

    public ServerConfig withSseRetry(Duration v) {
        return new ServerConfig(host, port, apiKey, allowedOrigins, maxBodyBytes, heartbeat, v, shutdownGrace, history, hub, sessions, tokens, webhooks, disabledDoors, tls, limits, demo, accessLog);
    }

    public ServerConfig withShutdownGrace(Duration v) {
        return new ServerConfig(host, port, apiKey, allowedOrigins, maxBodyBytes, heartbeat, sseRetry, v, history, hub, sessions, tokens, webhooks, disabledDoors, tls, limits, demo, accessLog);
    }

    public ServerConfig withHistory(HistoryPolicy v) {
        return new ServerConfig(host, port, apiKey, allowedOrigins, maxBodyBytes, heartbeat, sseRetry, shutdownGrace, v, hub, sessions, tokens, webhooks, disabledDoors, tls, limits, demo, accessLog);
    }

    public ServerConfig withHub(HubConfig v) {
        return new ServerConfig(host, port, apiKey, allowedOrigins, maxBodyBytes, heartbeat, sseRetry, shutdownGrace, history, v, sessions, tokens, webhooks, disabledDoors, tls, limits, demo, accessLog);
    }

    public ServerConfig withSessions(HttpSessionConfig v) {
        return new ServerConfig(host, port, apiKey, allowedOrigins, maxBodyBytes, heartbeat, sseRetry, shutdownGrace, history, hub, v, tokens, webhooks, disabledDoors, tls, limits, demo, accessLog);
    }

    public ServerConfig withTokens(TokenConfig v) {
        return new ServerConfig(host, port, apiKey, allowedOrigins, maxBodyBytes, heartbeat, sseRetry, shutdownGrace, history, hub, sessions, v, webhooks, disabledDoors, tls, limits, demo, accessLog);
    }

    public ServerConfig withWebhooks(WebhookConfig v) {
        return new ServerConfig(host, port, apiKey, allowedOrigins, maxBodyBytes, heartbeat, sseRetry, shutdownGrace, history, hub, sessions, tokens, v, disabledDoors, tls, limits, demo, accessLog);
    }

    public ServerConfig withDisabledDoors(Set<String> v) {
        return new ServerConfig(host, port, apiKey, allowedOrigins, maxBodyBytes, heartbeat, sseRetry, shutdownGrace, history, hub, sessions, tokens, webhooks, v, tls, limits, demo, accessLog);
    }

    public ServerConfig withTls(TlsConfig v) {
        return new ServerConfig(host, port, apiKey, allowedOrigins, maxBodyBytes, heartbeat, sseRetry, shutdownGrace, history, hub, sessions, tokens, webhooks, disabledDoors, v, limits, demo, accessLog);
    }

    public ServerConfig withLimits(LimitsConfig v) {
        return new ServerConfig(host, port, apiKey, allowedOrigins, maxBodyBytes, heartbeat, sseRetry, shutdownGrace, history, hub, sessions, tokens, webhooks, disabledDoors, tls, v, demo, accessLog);
    }

    public ServerConfig withDemo(boolean v) {
        return new ServerConfig(host, port, apiKey, allowedOrigins, maxBodyBytes, heartbeat, sseRetry, shutdownGrace, history, hub, sessions, tokens, webhooks, disabledDoors, tls, limits, v, accessLog);
    }

    public ServerConfig withAccessLog(boolean v) {
        return new ServerConfig(host, port, apiKey, allowedOrigins, maxBodyBytes, heartbeat, sseRetry, shutdownGrace, history, hub, sessions, tokens, webhooks, disabledDoors, tls, limits, demo, v);
    }

    @Override
    public String toString() {
        // Never print the API key or the token secret.
        return "ServerConfig[host=" + host + ", port=" + port + ", allowedOrigins=" + allowedOrigins
                + ", maxBodyBytes=" + maxBodyBytes + ", heartbeat=" + heartbeat + ", sseRetry=" + sseRetry
                + ", shutdownGrace=" + shutdownGrace + ", history=" + history + ", hub=" + hub + ", sessions=" + sessions
                + ", tokens=" + tokens + ", webhooks=" + webhooks + ", disabledDoors=" + disabledDoors + ", tls=" + tls + ", limits=" + limits + ", demo=" + demo + ", accessLog=" + accessLog + "]"; // both leave their secrets out
    }
}
