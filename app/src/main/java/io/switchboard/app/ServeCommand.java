package io.switchboard.app;

import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard serve}: loads the config, starts a node, prints {@code listening on http://HOST:PORT}
 * when it accepts connections and runs until {@link #stop} or SIGTERM (a JVM shutdown hook), which stop it
 * gracefully. Exit codes: 0 after a stop, 1 when the server cannot start, 2 for a bad setting.
 *
 * <p>Numeric options are taken as text and parsed by {@link Values}, so a flag, an environment variable
 * and a config-file key give the same error for the same bad value.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Runs a Switchboard node until stopped (SIGTERM or Ctrl-C stop it gracefully).",
                "Every option can also be set by a SWITCHBOARD_* environment variable (e.g. SWITCHBOARD_PORT)"
                        + " or a key of the --config file (e.g. port); flags win over the environment,"
                        + " which wins over the file."})
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default: 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on; 0 picks a free one (default: 8080).")
    String port;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Bearer key of the server API (default: a random key, printed once at start).")
    String apiKey;

    @Option(names = "--allowed-origin", paramLabel = "ORIGIN", split = ",",
            description = "A page origin allowed to open WebSockets and read CORS answers, e.g."
                    + " https://app.example.com (repeatable; * allows any).")
    List<String> allowedOrigins;

    @Option(names = "--disable-door", paramLabel = "NAME", split = ",",
            description = "A door this server does not offer: ws, sse, stream, longpoll, poll, jsonp, iframe, send or"
                    + " history (repeatable; it answers 404). For deployments and clients' fallback tests.")
    List<String> disabledDoors;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file of settings (keys named like these options).")
    String configFile;

    @Option(names = "--max-body-bytes", paramLabel = "SIZE",
            description = "Largest HTTP request body or WebSocket frame (default: 1MiB).")
    String maxBodyBytes;

    @Option(names = "--max-data-bytes", paramLabel = "SIZE", description = "Largest message data, encoded (default: 64KiB).")
    String maxDataBytes;

    @Option(names = "--max-subscriptions", paramLabel = "N", description = "Channels per session or request (default: 100).")
    String maxSubscriptions;

    @Option(names = "--heartbeat", paramLabel = "DURATION", description = "Heartbeat after this much silence (default: 25s).")
    String heartbeat;

    @Option(names = "--history-size", paramLabel = "N", description = "Messages kept per channel (default: 100).")
    String historySize;

    @Option(names = "--history-age", paramLabel = "DURATION", description = "Oldest message kept (default: 10m).")
    String historyAge;

    @Option(names = "--session-idle", paramLabel = "DURATION",
            description = "How long an HTTP-door session (polling, streams) lives with no request attached (default: 60s).")
    String sessionIdle;

    @Option(names = "--session-queue-bytes", paramLabel = "SIZE",
            description = "Items an HTTP-door session holds between requests; past it the client resumes from history (default: 1MiB).")
    String sessionQueueBytes;

    @Option(names = "--stream-max-bytes", paramLabel = "SIZE",
            description = "Bytes after which /stream and /iframe end their answer and the client reconnects (default: 1MiB).")
    String streamMaxBytes;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Connections this node holds; past it new ones get 503 (default: 0 = the file-descriptor limit less 256).")
    String maxConnections;

    @Option(names = "--max-connections-per-ip", paramLabel = "N",
            description = "Connections from one address; past it 429 (default: 5000; 0 = no limit; raise behind a proxy).")
    String maxConnectionsPerIp;

    @Option(names = "--connects-per-second-per-ip", paramLabel = "N",
            description = "New connections a second from one address; past it 429 (default: 200; 0 = no limit).")
    String connectsPerSecondPerIp;

    @Option(names = "--messages-per-second", paramLabel = "N",
            description = "WebSocket frames and HTTP requests a second per connection; past it 4429/429 (default: 1000; 0 = no limit).")
    String messagesPerSecond;

    @Option(names = "--message-burst", paramLabel = "N",
            description = "Messages a connection may send at once before the rate applies (default: 2000).")
    String messageBurst;

    @Option(names = "--max-url-bytes", paramLabel = "SIZE",
            description = "Longest request line; past it 414 (default: 8KiB).")
    String maxUrlBytes;

    @Option(names = "--max-header-bytes", paramLabel = "SIZE",
            description = "Largest request headers; past it 431 (default: 16KiB).")
    String maxHeaderBytes;

    @Option(names = "--request-timeout", paramLabel = "DURATION",
            description = "Time a request may take to arrive once begun; past it 408 (default: 10s).")
    String requestTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
            description = "A connection with nothing read or written for this long is closed (default: 120s).")
    String idleTimeout;

    @Option(names = "--outbound-bytes", paramLabel = "SIZE",
            description = "Bytes queued to one slow client before it is cut (4409) or skips ahead on latest-value channels (default: 1MiB).")
    String outboundBytes;

    @Option(names = "--socket-send-buffer", paramLabel = "SIZE",
            description = "Kernel send buffer per connection (default: 128KiB; 0 = the OS default).")
    String socketSendBuffer;

    @Option(names = "--access-log", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "One line per HTTP request and WebSocket session on stderr (logger switchboard.access; default: true).")
    String accessLog;

    @Option(names = "--token-secret", paramLabel = "SECRET",
            description = "Secret of HS256 client tokens, at least 32 bytes (prefer SWITCHBOARD_TOKEN_SECRET or the file:"
                    + " command lines are visible to other users).")
    String tokenSecret;

    @Option(names = "--token-public-key", paramLabel = "FILE",
            description = "PEM file with the public key (or certificate) of RS256/ES256 client tokens.")
    String tokenPublicKey;

    @Option(names = "--token-jwks", paramLabel = "FILE",
            description = "JWKS file with the public keys of RS256/ES256 client tokens, chosen by the token's kid.")
    String tokenJwks;

    @Option(names = "--token-skew", paramLabel = "DURATION",
            description = "How far a token's exp and nbf may be off this server's clock (default: 10s; at most 5m).")
    String tokenSkew;
    @Option(names = "--webhook-url", paramLabel = "URL", split = ",",
            description = "An http(s) URL that receives signed, batched POSTs of server events: sessions, channels"
                    + " occupied/vacated, presence members (repeatable; needs --webhook-secret).")
    List<String> webhookUrls;

    @Option(names = "--webhook-secret", paramLabel = "SECRET",
            description = "Key of the X-Switchboard-Signature HMAC-SHA256 of each webhook POST"
                    + " (prefer SWITCHBOARD_WEBHOOK_SECRET or the config file: command lines are visible).")
    String webhookSecret;

    @Option(names = "--webhook-client-publishes", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "Also send client_publish events to the webhooks (default: false).")
    String webhookClientPublishes;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain (leaf first): serve https:// and wss:// instead of plain HTTP; needs --tls-key.")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (PKCS#8, unencrypted) of --tls-cert.")
    String tlsKey;

    @Option(names = "--presence-grace", paramLabel = "DURATION",
            description = "How long a presence member whose last connection left stays before it leaves (default: 3s).")
    String presenceGrace;

    @Option(names = "--demo", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "The demo pages /lab and /demo/chat, their token endpoint /demo/token and client publishing"
                    + " on demo-* channels (default: true; set false in production).")
    String demo;

    @Option(names = "--broker", paramLabel = "URL",
            description = "memory (one node, the default), or the Redis that many nodes share: redis://HOST:PORT,"
                    + " rediss://HOST:PORT (TLS) or redis-sentinel://HOST:PORT/?sentinelMasterId=NAME (see docs/redis.md).")
    String broker;

    @Option(names = "--redis-node-ttl", paramLabel = "DURATION",
            description = "With a Redis broker: how long a node that stops (crash, lost network) keeps its presence"
                    + " members; they are gone within 4/3 of it (default: 10s).")
    String redisNodeTtl;

    @Option(names = "--namespaces", paramLabel = "JSON",
            description = "Per-pattern channel settings as JSON, e.g. '[{\"pattern\":\"chat-*\",\"client-publish\":true}]'"
                    + " (keys: pattern, history-size, history-age, presence, client-publish, max-subscribers, max-data-bytes).")
    String namespaces;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile SwitchboardServer server;
    private volatile boolean stopRequested;

    ServeCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() {
        ConfigLoader.Loaded loaded;
        try {
            loaded = ConfigLoader.load(flags(), configFile, env);
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        }
        loaded.warnings().forEach(log::warn);
        ServerConfig config = loaded.config();
        log.info("starting Switchboard {} with {}", Main.Version.number(), config); // toString leaves the key out
        SwitchboardServer started;
        RedisWiring redis = null;
        if (loaded.redis() != null) log.info("broker: {}", loaded.redis().where());
        if (loaded.redis() != null) {
            try {
                redis = RedisWiring.connect(loaded.redis(), config);
            } catch (RuntimeException e) {
                err.println("error: cannot connect to " + loaded.redis().where() + ": " + describe(e));
                err.flush();
                return 1;
            }
        }
        try {
            started = redis == null ? SwitchboardServer.start(config) : redis.start(config);
        } catch (Exception e) { // Netty rethrows bind failures (checked IOExceptions) undeclared
            if (redis != null) redis.close();
            err.println("error: cannot listen on " + config.host() + ":" + config.port() + ": " + describe(e));
            err.flush();
            return 1;
        }
        server = started;
        if (stopRequested) { // stop() ran before the server existed
            started.close();
            return 0;
        }
        Thread hook = new Thread(this::stop, "switchboard-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        if (loaded.apiKeyGenerated()) out.println("api key: " + config.apiKey());
        out.println("listening on " + started.baseUrl());
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is what stopped us; nothing to remove
        }
        return 0;
    }

    /**
     * Stops the node gracefully (stop accepting, WebSockets close 4503, streams end) and returns when it
     * has stopped; then {@link #call} returns 0. Safe to call more than once and from any thread; the
     * shutdown hook calls it on SIGTERM and the JVM waits for it.
     */
    void stop() {
        stopRequested = true;
        SwitchboardServer s = server;
        if (s != null) {
            log.info("stopping");
            s.close();
            log.info("stopped");
        }
        stopped.countDown();
    }

    /** The settings given as flags (package-private for tests of the flag spellings). */
    Settings flags() {
        Settings.Builder b = Settings.builder();
        flag(b, Setting.HOST, host);
        flag(b, Setting.PORT, port);
        flag(b, Setting.API_KEY, apiKey);
        flag(b, Setting.ALLOWED_ORIGINS, allowedOrigins == null ? null : String.join(",", allowedOrigins));
        flag(b, Setting.MAX_BODY_BYTES, maxBodyBytes);
        flag(b, Setting.MAX_DATA_BYTES, maxDataBytes);
        flag(b, Setting.MAX_SUBSCRIPTIONS, maxSubscriptions);
        flag(b, Setting.HEARTBEAT, heartbeat);
        flag(b, Setting.HISTORY_SIZE, historySize);
        flag(b, Setting.HISTORY_AGE, historyAge);
        flag(b, Setting.SESSION_IDLE, sessionIdle);
        flag(b, Setting.SESSION_QUEUE_BYTES, sessionQueueBytes);
        flag(b, Setting.STREAM_MAX_BYTES, streamMaxBytes);
        flag(b, Setting.MAX_CONNECTIONS, maxConnections);
        flag(b, Setting.MAX_CONNECTIONS_PER_IP, maxConnectionsPerIp);
        flag(b, Setting.CONNECTS_PER_SECOND_PER_IP, connectsPerSecondPerIp);
        flag(b, Setting.MESSAGES_PER_SECOND, messagesPerSecond);
        flag(b, Setting.MESSAGE_BURST, messageBurst);
        flag(b, Setting.MAX_URL_BYTES, maxUrlBytes);
        flag(b, Setting.MAX_HEADER_BYTES, maxHeaderBytes);
        flag(b, Setting.REQUEST_TIMEOUT, requestTimeout);
        flag(b, Setting.IDLE_TIMEOUT, idleTimeout);
        flag(b, Setting.OUTBOUND_BYTES, outboundBytes);
        flag(b, Setting.SOCKET_SEND_BUFFER, socketSendBuffer);
        flag(b, Setting.ACCESS_LOG, accessLog);
        flag(b, Setting.TOKEN_SECRET, tokenSecret);
        flag(b, Setting.TOKEN_PUBLIC_KEY, tokenPublicKey);
        flag(b, Setting.TOKEN_JWKS, tokenJwks);
        flag(b, Setting.TOKEN_SKEW, tokenSkew);
        flag(b, Setting.WEBHOOK_URLS, webhookUrls == null ? null : String.join(",", webhookUrls));
        flag(b, Setting.WEBHOOK_SECRET, webhookSecret);
        flag(b, Setting.WEBHOOK_CLIENT_PUBLISHES, webhookClientPublishes);
        flag(b, Setting.TLS_CERT, tlsCert);
        flag(b, Setting.TLS_KEY, tlsKey);
        flag(b, Setting.PRESENCE_GRACE, presenceGrace);
        flag(b, Setting.DEMO, demo);
        flag(b, Setting.BROKER, broker);
        flag(b, Setting.REDIS_NODE_TTL, redisNodeTtl);
        flag(b, Setting.NAMESPACES, namespaces);
        flag(b, Setting.DISABLED_DOORS, disabledDoors == null ? null : String.join(",", disabledDoors));
        return b.build();
    }

    private static void flag(Settings.Builder b, Setting setting, String raw) {
        if (raw != null) b.parse(setting, raw, setting.flag());
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m.replace('\n', ' ');
    }
}
