package io.switchboard.testkit;

import io.switchboard.core.auth.Namespace;
import io.switchboard.core.broker.Broker;
import io.switchboard.core.broker.MemoryBroker;
import io.switchboard.core.presence.PresenceStore;
import io.switchboard.core.time.Clock;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.auth.TokenConfig;
import io.switchboard.server.SwitchboardServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Switchboard node on 127.0.0.1, port 0, with a random API key, plus a JDK {@link HttpClient}
 * for talking to it. Close it at the end of the test, or let JUnit do it for a whole class:
 * {@code @RegisterExtension static final TestServer server = TestServer.start();}.
 */
public final class TestServer implements AutoCloseable, AfterAllCallback {
    /** The HS256 secret every test server verifies client tokens with. */
    public static final String TOKEN_SECRET = "test-token-secret-of-at-least-32-bytes!";

    private final SwitchboardServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(SwitchboardServer server) {
        this.server = server;
    }

    public static TestServer start() {
        return start(c -> c);
    }

    /** Starts with the test defaults changed by {@code tweak} (host and port stay loopback and 0). */
    public static TestServer start(UnaryOperator<ServerConfig> tweak) {
        return start(tweak, null);
    }

    /** Starts on {@code broker} (null: the in-memory default), which the server then owns and closes. */
    public static TestServer start(UnaryOperator<ServerConfig> tweak, Broker broker) {
        return start(tweak, broker, null);
    }

    /**
     * Starts on {@code broker} and {@code presence} (null: the in-memory defaults), which the server then owns
     * and closes; e.g. one node of many on Redis.
     */
    public static TestServer start(UnaryOperator<ServerConfig> tweak, Broker broker, PresenceStore presence) {
        ServerConfig base = ServerConfig.defaults("test-key-" + UUID.randomUUID())
                .withPort(0).withShutdownGrace(Duration.ofSeconds(1));
        // An open dev server: clients may publish to any channel they may read. Tests of the publishing
        // rules set their own namespaces.
        base = base.withHub(base.hub().withNamespaces(List.of(Namespace.clientPublish("*"))))
                .withTokens(TokenConfig.NONE.withSecret(TOKEN_SECRET));
        // Every test client comes from 127.0.0.1, so the per-address limits are off; the rest stay at their
        // defaults. Tests of the per-address limits set them.
        base = base.withLimits(base.limits().withMaxConnectionsPerIp(0).withConnectsPerSecondPerIp(0));
        ServerConfig config = tweak.apply(base);
        try {
            Clock clock = Clock.system();
            if (broker == null) broker = new MemoryBroker(clock, SwitchboardServer.access(config)::history);
            return new TestServer(presence == null ? SwitchboardServer.start(config, broker, clock)
                    : SwitchboardServer.start(config, broker, presence, clock));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public SwitchboardServer server() {
        return server;
    }

    public String apiKey() {
        return server.config().apiKey();
    }

    public int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:PORT} + path */
    public URI http(String pathAndQuery) {
        return URI.create(server.baseUrl() + pathAndQuery);
    }

    /** {@code ws://127.0.0.1:PORT} + path ({@code wss://} when the server has TLS) */
    public URI ws(String pathAndQuery) {
        String scheme = server.config().tls().enabled() ? "wss" : "ws";
        return URI.create(scheme + "://127.0.0.1:" + port() + pathAndQuery);
    }

    public HttpClient httpClient() {
        return http;
    }

    /**
     * A client token for this server: {@code sub} (null for none), the {@code channels} and {@code publish}
     * patterns, valid for an hour.
     */
    public static String token(String sub, List<String> channels, List<String> publish) {
        return Tokens.hs256(TOKEN_SECRET, sub, channels, publish, null, java.time.Instant.now().plusSeconds(3600), null);
    }

    /** POSTs JSON to the server API with the API key and returns the answer. */
    public HttpResponse<String> api(String path, String json) {
        return send(HttpRequest.newBuilder(http(path)).header("Authorization", "Bearer " + apiKey())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** GETs from the server API with the API key. */
    public HttpResponse<String> apiGet(String path) {
        return send(HttpRequest.newBuilder(http(path)).header("Authorization", "Bearer " + apiKey()).GET().build());
    }

    /** Publishes {@code dataJson} to {@code channel} through the server API; fails the test unless 200. */
    public HttpResponse<String> publish(String channel, String dataJson) {
        HttpResponse<String> r = api("/api/publish", "{\"channel\":\"" + channel + "\",\"data\":" + dataJson + "}");
        if (r.statusCode() != 200) throw new AssertionError("publish failed: " + r.statusCode() + " " + r.body());
        return r;
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("request to " + request.uri() + " failed", e);
        }
    }

    /** As a class-level extension: the class's tests are done. */
    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        server.close();
    }
}
