package io.switchboard.app;

import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.server.ServerConfig;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every setting {@code switchboard serve} takes, with its one name in three spellings: the config-file
 * key ({@code max-body-bytes}), the flag ({@code --max-body-bytes}) and the environment variable
 * ({@code SWITCHBOARD_MAX_BODY_BYTES}); how its text is parsed; and how it changes a {@link ServerConfig}.
 */
enum Setting {
    HOST("host", "--host", Values::host, (c, v) -> c.withHost((String) v)),
    PORT("port", "--port", Values::port, (c, v) -> c.withPort((Integer) v)),
    // The key is not a ServerConfig change: ConfigLoader builds the config around it.
    API_KEY("api-key", "--api-key", Values::apiKey, (c, v) -> c),
    ALLOWED_ORIGINS("allowed-origins", "--allowed-origin", Values::origins, (c, v) -> c.withAllowedOrigins(strings(v))),
    MAX_BODY_BYTES("max-body-bytes", "--max-body-bytes", Values::bytes, (c, v) -> c.withMaxBodyBytes((Integer) v)),
    MAX_DATA_BYTES("max-data-bytes", "--max-data-bytes", Values::bytes,
            (c, v) -> c.withHub(c.hub().withMaxDataBytes((Integer) v))),
    MAX_SUBSCRIPTIONS("max-subscriptions", "--max-subscriptions", Values::positive,
            (c, v) -> c.withHub(c.hub().withMaxSubscriptions((Integer) v))),
    HEARTBEAT("heartbeat", "--heartbeat", Values::duration, (c, v) -> c.withHeartbeat((Duration) v)),
    HISTORY_SIZE("history-size", "--history-size", Values::nonNegative,
            (c, v) -> c.withHistory(new HistoryPolicy((Integer) v, c.history().maxAge()))),
    HISTORY_AGE("history-age", "--history-age", Values::duration,
            (c, v) -> c.withHistory(new HistoryPolicy(c.history().size(), (Duration) v))),
    SESSION_IDLE("session-idle", "--session-idle", Values::duration,
            (c, v) -> c.withSessions(c.sessions().withIdleTimeout((Duration) v))),
    SESSION_QUEUE_BYTES("session-queue-bytes", "--session-queue-bytes", Values::bytes,
            (c, v) -> c.withSessions(c.sessions().withQueueBytes((Integer) v))),
    STREAM_MAX_BYTES("stream-max-bytes", "--stream-max-bytes", Values::bytes,
            (c, v) -> c.withSessions(c.sessions().withStreamBytes((Integer) v))),
    TOKEN_SECRET("token-secret", "--token-secret", Values::tokenSecret,
            (c, v) -> c.withTokens(c.tokens().withSecret((String) v))),
    TOKEN_PUBLIC_KEY("token-public-key", "--token-public-key", Values::file,
            (c, v) -> c.withTokens(c.tokens().withPublicKeyFile((Path) v))),
    TOKEN_JWKS("token-jwks", "--token-jwks", Values::file, (c, v) -> c.withTokens(c.tokens().withJwksFile((Path) v))),
    TOKEN_SKEW("token-skew", "--token-skew", Values::skew, (c, v) -> c.withTokens(c.tokens().withSkew((Duration) v))),
    WEBHOOK_URLS("webhook-urls", "--webhook-url", Values::webhookUrls,
            (c, v) -> c.withWebhooks(c.webhooks().withUrls(uris(v)))),
    // A credential: its parser never repeats it, and ServerConfig.toString leaves it out.
    WEBHOOK_SECRET("webhook-secret", "--webhook-secret", Values::webhookSecret,
            (c, v) -> c.withWebhooks(c.webhooks().withSecret((String) v))),
    WEBHOOK_CLIENT_PUBLISHES("webhook-client-publishes", "--webhook-client-publishes", Values::bool,
            (c, v) -> c.withWebhooks(c.webhooks().withIncludeClientPublishes((Boolean) v))),
    PRESENCE_GRACE("presence-grace", "--presence-grace", Values::grace,
            (c, v) -> c.withHub(c.hub().withPresenceGrace((Duration) v))),
    DEMO("demo", "--demo", Values::bool, (c, v) -> c.withDemo((Boolean) v)),
    DISABLED_DOORS("disabled-doors", "--disable-door", Values::doors, (c, v) -> c.withDisabledDoors(Set.copyOf(strings(v)))),
    TLS_CERT("tls-cert", "--tls-cert", Values::file, (c, v) -> c.withTls(c.tls().withCertFile((Path) v))),
    TLS_KEY("tls-key", "--tls-key", Values::file, (c, v) -> c.withTls(c.tls().withKeyFile((Path) v))),
    MAX_CONNECTIONS("max-connections", "--max-connections", Values::nonNegative,
            (c, v) -> c.withLimits(c.limits().withMaxConnections((Integer) v))),
    MAX_CONNECTIONS_PER_IP("max-connections-per-ip", "--max-connections-per-ip", Values::nonNegative,
            (c, v) -> c.withLimits(c.limits().withMaxConnectionsPerIp((Integer) v))),
    CONNECTS_PER_SECOND_PER_IP("connects-per-second-per-ip", "--connects-per-second-per-ip", Values::nonNegative,
            (c, v) -> c.withLimits(c.limits().withConnectsPerSecondPerIp((Integer) v))),
    MESSAGES_PER_SECOND("messages-per-second", "--messages-per-second", Values::nonNegative,
            (c, v) -> c.withLimits(c.limits().withMessagesPerSecond((Integer) v, c.limits().messageBurst()))),
    MESSAGE_BURST("message-burst", "--message-burst", Values::nonNegative,
            (c, v) -> c.withLimits(c.limits().withMessagesPerSecond(c.limits().messagesPerSecond(), (Integer) v))),
    MAX_URL_BYTES("max-url-bytes", "--max-url-bytes", Values::bytes,
            (c, v) -> c.withLimits(c.limits().withMaxUrlBytes((Integer) v))),
    MAX_HEADER_BYTES("max-header-bytes", "--max-header-bytes", Values::bytes,
            (c, v) -> c.withLimits(c.limits().withMaxHeaderBytes((Integer) v))),
    REQUEST_TIMEOUT("request-timeout", "--request-timeout", Values::duration,
            (c, v) -> c.withLimits(c.limits().withRequestTimeout((Duration) v))),
    IDLE_TIMEOUT("idle-timeout", "--idle-timeout", Values::duration,
            (c, v) -> c.withLimits(c.limits().withIdleTimeout((Duration) v))),
    OUTBOUND_BYTES("outbound-bytes", "--outbound-bytes", Values::bytes,
            (c, v) -> c.withLimits(c.limits().withOutboundBytes((Integer) v))),
    SOCKET_SEND_BUFFER("socket-send-buffer", "--socket-send-buffer", Values::bytesOrZero,
            (c, v) -> c.withLimits(c.limits().withSocketSendBuffer((Integer) v))),
    ACCESS_LOG("access-log", "--access-log", Values::bool, (c, v) -> c.withAccessLog((Boolean) v)),
    // Not ServerConfig changes: the broker is chosen around the server (ConfigLoader.Loaded#redis).
    BROKER("broker", "--broker", Values::broker, (c, v) -> c),
    REDIS_NODE_TTL("redis-node-ttl", "--redis-node-ttl", Values::duration, (c, v) -> c),
    // Last, so that namespaces that leave a history setting out take the server-wide one already set.
    NAMESPACES("namespaces", "--namespaces", NamespaceSpec::parseAll, (c, v) -> c.withHub(c.hub().withNamespaces(
            ((List<?>) v).stream().map(n -> ((NamespaceSpec) n).toNamespace(c.history())).toList())));

    /** The environment variable that names the config file; it is not a setting itself. */
    static final String CONFIG_ENV = "SWITCHBOARD_CONFIG";

    private final String key;
    private final String flag;
    private final Function<String, ?> parser;
    private final BiFunction<ServerConfig, Object, ServerConfig> apply;

    Setting(String key, String flag, Function<String, ?> parser, BiFunction<ServerConfig, Object, ServerConfig> apply) {
        this.key = key;
        this.flag = flag;
        this.parser = parser;
        this.apply = apply;
    }

    /** The config-file key, e.g. {@code max-body-bytes}. */
    String key() {
        return key;
    }

    /** The command-line flag, e.g. {@code --max-body-bytes}. */
    String flag() {
        return flag;
    }

    /** The environment variable, e.g. {@code SWITCHBOARD_MAX_BODY_BYTES}. */
    String env() {
        return "SWITCHBOARD_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** Structured: a YAML list of maps in the file, the same as JSON text in a flag or the environment. */
    boolean isStructured() {
        return this == NAMESPACES;
    }

    boolean isList() {
        return this == ALLOWED_ORIGINS || this == WEBHOOK_URLS || this == DISABLED_DOORS;
    }

    /** Parses {@code raw}; a bad value is a {@link ConfigException} whose message starts with {@code where}. */
    Object parse(String raw, String where) {
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    ServerConfig applyTo(ServerConfig config, Object value) {
        return apply.apply(config, value);
    }

    static Setting byKey(String key) {
        for (Setting s : values()) if (s.key.equals(key)) return s;
        return null;
    }

    static String knownKeys() {
        return Arrays.stream(values()).map(Setting::key).collect(Collectors.joining(", "));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object v) {
        return (List<String>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<URI> uris(Object v) {
        return (List<URI>) v;
    }
}
