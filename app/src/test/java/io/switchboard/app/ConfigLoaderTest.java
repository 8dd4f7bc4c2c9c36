package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.auth.Namespace;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.TlsConfig;
import io.switchboard.testkit.SelfSigned;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Where each setting comes from: flag over environment over config file over {@link ServerConfig#defaults}. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    /** One setting's value in each source and what each becomes in the config. */
    record Case(Setting setting, String yaml, String env, String flag, Function<ServerConfig, Object> get,
                Object fromFile, Object fromEnv, Object fromFlag, Object byDefault) {
        @Override
        public String toString() {
            return setting.key();
        }
    }

    /** Real key files for the token key settings, which the loader reads. */
    @TempDir
    static Path keys;

    static final String FILE_SECRET = "file-secret-0123456789abcdefghijklmnop";
    static final String ENV_SECRET = "env-secret-0123456789abcdefghijklmnopq";
    static final String FLAG_SECRET = "flag-secret-0123456789abcdefghijklmno";

    static Stream<Case> everySetting() throws IOException {
        Path[] pems = {KeyFiles.pem(keys.resolve("file.pem")), KeyFiles.pem(keys.resolve("env.pem")), KeyFiles.pem(keys.resolve("flag.pem"))};
        Path[] jwks = {KeyFiles.jwks(keys.resolve("file.json")), KeyFiles.jwks(keys.resolve("env.json")), KeyFiles.jwks(keys.resolve("flag.json"))};
        return Stream.of(
                new Case(Setting.HOST, "10.0.0.1", "10.0.0.2", "10.0.0.3", ServerConfig::host,
                        "10.0.0.1", "10.0.0.2", "10.0.0.3", "127.0.0.1"),
                new Case(Setting.PORT, "1001", "1002", "1003", ServerConfig::port, 1001, 1002, 1003, 8080),
                new Case(Setting.ALLOWED_ORIGINS, "[\"https://file.example\"]", "https://env.example, https://env2.example",
                        "https://flag.example", ServerConfig::allowedOrigins, List.of("https://file.example"),
                        List.of("https://env.example", "https://env2.example"), List.of("https://flag.example"), List.of()),
                new Case(Setting.MAX_BODY_BYTES, "1000", "2KiB", "1MiB", ServerConfig::maxBodyBytes,
                        1000, 2048, 1024 * 1024, 1024 * 1024),
                new Case(Setting.MAX_DATA_BYTES, "100", "200", "300", c -> c.hub().maxDataBytes(), 100, 200, 300, 64 * 1024),
                new Case(Setting.MAX_SUBSCRIPTIONS, "10", "20", "30", c -> c.hub().maxSubscriptions(), 10, 20, 30, 100),
                new Case(Setting.HEARTBEAT, "10s", "500ms", "1m", ServerConfig::heartbeat,
                        Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ofSeconds(25)),
                new Case(Setting.HISTORY_SIZE, "1", "0", "3", c -> c.history().size(), 1, 0, 3, 100),
                new Case(Setting.HISTORY_AGE, "1m", "2h", "3s", c -> c.history().maxAge(),
                        Duration.ofMinutes(1), Duration.ofHours(2), Duration.ofSeconds(3), Duration.ofMinutes(10)),
                new Case(Setting.SESSION_IDLE, "30s", "2m", "500ms", c -> c.sessions().idleTimeout(),
                        Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMillis(500), Duration.ofSeconds(60)),
                new Case(Setting.SESSION_QUEUE_BYTES, "1000", "64KiB", "2MiB", c -> c.sessions().queueBytes(),
                        1000, 64 * 1024, 2 * 1024 * 1024, 1024 * 1024),
                new Case(Setting.STREAM_MAX_BYTES, "4096", "512KiB", "8MiB", c -> c.sessions().streamBytes(),
                        4096, 512 * 1024, 8 * 1024 * 1024, 1024 * 1024),
                new Case(Setting.MAX_CONNECTIONS, "100", "200", "0", c -> c.limits().maxConnections(), 100, 200, 0, 0),
                new Case(Setting.MAX_CONNECTIONS_PER_IP, "10", "0", "30", c -> c.limits().maxConnectionsPerIp(), 10, 0, 30, 5000),
                new Case(Setting.CONNECTS_PER_SECOND_PER_IP, "1", "2", "0", c -> c.limits().connectsPerSecondPerIp(), 1, 2, 0, 200),
                new Case(Setting.MESSAGES_PER_SECOND, "10", "20", "0", c -> c.limits().messagesPerSecond(), 10, 20, 0, 1000),
                new Case(Setting.MESSAGE_BURST, "10", "20", "30", c -> c.limits().messageBurst(), 10, 20, 30, 2000),
                new Case(Setting.MAX_URL_BYTES, "1KiB", "2048", "4KiB", c -> c.limits().maxUrlBytes(), 1024, 2048, 4096, 8192),
                new Case(Setting.MAX_HEADER_BYTES, "4KiB", "8192", "32KiB", c -> c.limits().maxHeaderBytes(),
                        4096, 8192, 32 * 1024, 16 * 1024),
                new Case(Setting.REQUEST_TIMEOUT, "5s", "500ms", "1m", c -> c.limits().requestTimeout(),
                        Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ofSeconds(10)),
                new Case(Setting.IDLE_TIMEOUT, "30s", "5m", "90s", c -> c.limits().idleTimeout(),
                        Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(90), Duration.ofSeconds(120)),
                new Case(Setting.OUTBOUND_BYTES, "64KiB", "4MiB", "16MiB", c -> c.limits().outboundBytes(),
                        64 * 1024, 4 * 1024 * 1024, 16 * 1024 * 1024, 1024 * 1024),
                new Case(Setting.SOCKET_SEND_BUFFER, "0", "64KiB", "1MiB", c -> c.limits().socketSendBuffer(),
                        0, 64 * 1024, 1024 * 1024, 128 * 1024),
                new Case(Setting.ACCESS_LOG, "false", "TRUE", "false", ServerConfig::accessLog, false, true, false, true),
                new Case(Setting.TOKEN_SECRET, FILE_SECRET, ENV_SECRET, FLAG_SECRET, c -> c.tokens().secret(),
                        FILE_SECRET, ENV_SECRET, FLAG_SECRET, null),
                new Case(Setting.TOKEN_PUBLIC_KEY, pems[0].toString(), pems[1].toString(), pems[2].toString(),
                        c -> c.tokens().publicKeyFile(), pems[0], pems[1], pems[2], null),
                new Case(Setting.TOKEN_JWKS, jwks[0].toString(), jwks[1].toString(), jwks[2].toString(),
                        c -> c.tokens().jwksFile(), jwks[0], jwks[1], jwks[2], null),
                new Case(Setting.TOKEN_SKEW, "5s", "0s", "5m", c -> c.tokens().skew(),
                        Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(5), Duration.ofSeconds(10)),
                new Case(Setting.WEBHOOK_URLS, "[\"https://file.example/hooks\"]",
                        "https://env.example/hooks, http://127.0.0.1:9000/h", "https://flag.example/hooks?key=k",
                        c -> c.webhooks().urls(), List.of(URI.create("https://file.example/hooks")),
                        List.of(URI.create("https://env.example/hooks"), URI.create("http://127.0.0.1:9000/h")),
                        List.of(URI.create("https://flag.example/hooks?key=k")), List.of()),
                new Case(Setting.WEBHOOK_SECRET, "file-secret", "env-secret", "flag-secret", c -> c.webhooks().secret(),
                        "file-secret", "env-secret", "flag-secret", ""),
                new Case(Setting.WEBHOOK_CLIENT_PUBLISHES, "true", "FALSE", "true",
                        c -> c.webhooks().includeClientPublishes(), true, false, true, false),
                new Case(Setting.DEMO, "false", "true", "false", ServerConfig::demo, false, true, false, true),
                new Case(Setting.PRESENCE_GRACE, "1s", "0s", "250ms", c -> c.hub().presenceGrace(),
                        Duration.ofSeconds(1), Duration.ZERO, Duration.ofMillis(250), Duration.ofSeconds(3)),
                new Case(Setting.NAMESPACES, "[{\"pattern\": \"file-*\", \"client-publish\": true}]",
                        "[{\"pattern\":\"env-*\"}]", "[{\"pattern\":\"flag-*\",\"history-size\":5}]",
                        c -> c.hub().namespaces().stream().map(Namespace::pattern).toList(),
                        List.of("file-*"), List.of("env-*"), List.of("flag-*"), List.of()),
                new Case(Setting.DISABLED_DOORS, "[ws, sse]", "stream", "ws,longpoll", ServerConfig::disabledDoors,
                        Set.of("ws", "sse"), Set.of("stream"), Set.of("ws", "longpoll"), Set.of()));
    }

    /** What a setting needs beside it to load at all: webhook URLs need a secret to sign with. */
    private static Settings needs(Setting s) {
        return s != Setting.WEBHOOK_URLS ? Settings.EMPTY
                : Settings.builder().parse(Setting.WEBHOOK_SECRET, "s3cret", Setting.WEBHOOK_SECRET.flag()).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everySetting")
    void flagBeatsEnvBeatsFileBeatsDefault(Case c) throws IOException {
        Path file = write(c.setting().key() + ": " + c.yaml() + "\n");
        Settings none = needs(c.setting());
        Settings flag = Settings.builder().parse(c.setting(), c.flag(), c.setting().flag()).build().over(none);
        Map<String, String> env = Map.of(c.setting().env(), c.env());

        assertThat(c.get().apply(ConfigLoader.load(flag, file.toString(), env).config())).isEqualTo(c.fromFlag());
        assertThat(c.get().apply(ConfigLoader.load(none, file.toString(), env).config())).isEqualTo(c.fromEnv());
        assertThat(c.get().apply(ConfigLoader.load(none, file.toString(), Map.of()).config())).isEqualTo(c.fromFile());
        assertThat(c.get().apply(ConfigLoader.load(none, null, Map.of()).config())).isEqualTo(c.byDefault());
    }

    @Test
    void everySettingHasACaseAbove() throws IOException {
        // API_KEY has its own tests below: its default is generated, not a constant. The TLS pair only loads
        // together (each alone is an error), so tlsNeedsACertificateAndAKeyThatMakeAServerContext covers it.
        // BROKER and REDIS_NODE_TTL choose the broker around the server, not a ServerConfig value: theirs are below.
        Set<Setting> own = Set.of(Setting.API_KEY, Setting.TLS_CERT, Setting.TLS_KEY, Setting.BROKER, Setting.REDIS_NODE_TTL);
        assertThat(everySetting().map(Case::setting)).containsExactlyInAnyOrder(
                Stream.of(Setting.values()).filter(s -> !own.contains(s)).toArray(Setting[]::new));
    }

    @Test
    void theBrokerIsMemoryUnlessARedisUrlIsGivenWhichNeverAppearsInAnError() throws IOException {
        assertThat(ConfigLoader.load(Settings.EMPTY, null, Map.of()).redis()).isNull();
        assertThat(ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_BROKER", "memory")).redis()).isNull();

        Path file = write("broker: redis://file.example:6379\nredis-node-ttl: 30s\n");
        ConfigLoader.Loaded fromFile = ConfigLoader.load(Settings.EMPTY, file.toString(), Map.of());
        assertThat(fromFile.redis().uri()).isEqualTo("redis://file.example:6379");
        assertThat(fromFile.redis().nodeTtl()).isEqualTo(Duration.ofSeconds(30));
        Settings flag = Settings.builder().parse(Setting.BROKER, "rediss://flag.example:6380", "--broker").build();
        ConfigLoader.Loaded fromFlag = ConfigLoader.load(flag, file.toString(), Map.of("SWITCHBOARD_BROKER", "redis://env:1"));
        assertThat(fromFlag.redis().uri()).isEqualTo("rediss://flag.example:6380");
        assertThat(ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_BROKER", "redis://env:1")).redis().nodeTtl())
                .isEqualTo(Duration.ofSeconds(10));

        assertThatThrownBy(() -> Settings.builder().parse(Setting.BROKER, "http://:hunter2@redis.example", "--broker"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--broker: the broker must be memory or a Redis URL")
                .hasMessageNotContaining("hunter2");
        assertThat(ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_REDIS_NODE_TTL", "5s")).warnings())
                .containsExactly("ignoring redis-node-ttl: the broker is memory");
    }

    @Test
    void apiKeyFlagBeatsEnvBeatsFile() throws IOException {
        Path file = write("api-key: file-key\n");
        Settings flag = Settings.builder().parse(Setting.API_KEY, "flag-key", "--api-key").build();
        Map<String, String> env = Map.of("SWITCHBOARD_API_KEY", "env-key");

        ConfigLoader.Loaded fromFlag = ConfigLoader.load(flag, file.toString(), env);
        assertThat(fromFlag.config().apiKey()).isEqualTo("flag-key");
        assertThat(fromFlag.apiKeyGenerated()).isFalse();
        assertThat(ConfigLoader.load(Settings.EMPTY, file.toString(), env).config().apiKey()).isEqualTo("env-key");
        assertThat(ConfigLoader.load(Settings.EMPTY, file.toString(), Map.of()).config().apiKey()).isEqualTo("file-key");
    }

    @Test
    void withoutAnyKeyARandomUrlSafeOneIsGeneratedEachTime() {
        ConfigLoader.Loaded a = ConfigLoader.load(Settings.EMPTY, null, Map.of());
        ConfigLoader.Loaded b = ConfigLoader.load(Settings.EMPTY, null, Map.of());
        assertThat(a.apiKeyGenerated()).isTrue();
        assertThat(a.config().apiKey()).matches("[A-Za-z0-9_-]{43}"); // 32 bytes, Base64 URL-safe, unpadded
        assertThat(b.config().apiKey()).isNotEqualTo(a.config().apiKey());
        assertThat(a.config()).isEqualTo(ServerConfig.defaults(a.config().apiKey()).withDemo(true));
    }

    @Test
    void configFileCanBeNamedByTheEnvironmentAndTheFlagWins() throws IOException {
        Path envFile = write("port: 2001\n");
        Path flagFile = Files.writeString(dir.resolve("other.yaml"), "port: 2002\n");
        Map<String, String> env = Map.of("SWITCHBOARD_CONFIG", envFile.toString());

        assertThat(ConfigLoader.load(Settings.EMPTY, null, env).config().port()).isEqualTo(2001);
        assertThat(ConfigLoader.load(Settings.EMPTY, flagFile.toString(), env).config().port()).isEqualTo(2002);
    }

    @Test
    void emptyEnvironmentVariablesCountAsUnset() throws IOException {
        Path file = write("port: 2001\n");
        Map<String, String> env = Map.of("SWITCHBOARD_PORT", "", "SWITCHBOARD_API_KEY", "");
        ConfigLoader.Loaded loaded = ConfigLoader.load(Settings.EMPTY, file.toString(), env);
        assertThat(loaded.config().port()).isEqualTo(2001);
        assertThat(loaded.apiKeyGenerated()).isTrue();
    }

    @Test
    void unknownSwitchboardVariablesAreReportedAndOthersIgnored() {
        Map<String, String> env = new HashMap<>(Map.of("SWITCHBOARD_PROT", "1", "PATH", "/bin", "SWITCHBOARD_PORT", "1"));
        assertThat(ConfigLoader.load(Settings.EMPTY, null, env).warnings())
                .containsExactly("ignoring unknown environment variable SWITCHBOARD_PROT");
    }

    @Test
    void theDemoIsOnByDefaultAndWarnedAboutOffLoopback() {
        assertThat(ConfigLoader.load(Settings.EMPTY, null, Map.of()).config().demo()).isTrue();
        assertThat(ConfigLoader.load(Settings.EMPTY, null, Map.of()).warnings()).isEmpty();
        assertThat(ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_HOST", "0.0.0.0")).warnings())
                .containsExactly("the demo is on while listening on 0.0.0.0: anyone who reaches it may publish on demo-*"
                        + " channels and get demo chat tokens; set demo to false in production");
        assertThat(ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_HOST", "0.0.0.0", "SWITCHBOARD_DEMO", "false"))
                .warnings()).isEmpty();
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(Setting.PORT, "70000", "70000 is not a port (use 0-65535; 0 picks a free one)"),
                Arguments.of(Setting.PORT, "-1", "-1 is not a port (use 0-65535; 0 picks a free one)"),
                Arguments.of(Setting.PORT, "http", "'http' is not a port"),
                Arguments.of(Setting.HOST, "a b", "'a b' is not a host name or address"),
                Arguments.of(Setting.HISTORY_SIZE, "-1", "-1 must be 0 or more"),
                Arguments.of(Setting.HISTORY_SIZE, "lots", "'lots' is not a whole number"),
                Arguments.of(Setting.HISTORY_AGE, "10", "'10' is not a duration (e.g. 500ms, 25s, 10m, 1h)"),
                Arguments.of(Setting.HEARTBEAT, "soon", "'soon' is not a duration (e.g. 500ms, 25s, 10m, 1h)"),
                Arguments.of(Setting.HEARTBEAT, "0s", "0s must be longer than zero"),
                Arguments.of(Setting.MAX_BODY_BYTES, "0", "0 is out of range (1 byte to 2 GiB)"),
                Arguments.of(Setting.MAX_BODY_BYTES, "1GB", "'1GB' is not a size in bytes (e.g. 1048576, 64KiB, 1MiB)"),
                Arguments.of(Setting.MAX_DATA_BYTES, "4096MiB", "4096MiB is out of range (1 byte to 2 GiB)"),
                Arguments.of(Setting.MAX_SUBSCRIPTIONS, "0", "0 must be at least 1"),
                Arguments.of(Setting.ALLOWED_ORIGINS, "example.com",
                        "'example.com' is not an origin (use scheme://host[:port], e.g. https://app.example.com, or *)"),
                Arguments.of(Setting.ALLOWED_ORIGINS, "https://example.com/app",
                        "'https://example.com/app' is not an origin (use scheme://host[:port], e.g. https://app.example.com, or *)"),
                Arguments.of(Setting.TOKEN_SECRET, "short", "the token secret must be at least 32 bytes (e.g. openssl rand -base64 32)"),
                Arguments.of(Setting.TOKEN_SECRET, "0123456789abcdef0123456789abcde",
                        "the token secret must be at least 32 bytes (e.g. openssl rand -base64 32)"),
                Arguments.of(Setting.TOKEN_PUBLIC_KEY, " ", "a file name is needed"),
                Arguments.of(Setting.TOKEN_JWKS, " ", "a file name is needed"),
                Arguments.of(Setting.TOKEN_SKEW, "soon", "'soon' is not a duration (e.g. 500ms, 25s, 10m, 1h)"),
                Arguments.of(Setting.TOKEN_SKEW, "301s", "301s is more than the 5m a clock may be off"),
                Arguments.of(Setting.WEBHOOK_URLS, "ftp://example.com/hooks",
                        "'ftp://example.com/hooks' is not an http or https URL (e.g. https://backend.example.com/switchboard)"),
                Arguments.of(Setting.WEBHOOK_URLS, "backend.example.com/hooks",
                        "'backend.example.com/hooks' is not an http or https URL (e.g. https://backend.example.com/switchboard)"),
                Arguments.of(Setting.WEBHOOK_URLS, "https://a.example/h?key=k1, https://a.example/h?key=k1",
                        "'https://a.example/h?…' is given twice"),
                Arguments.of(Setting.WEBHOOK_CLIENT_PUBLISHES, "yes please", "'yes please' is not true or false"),
                Arguments.of(Setting.DISABLED_DOORS, "ws,websocket",
                        "'websocket' is not a door (one of history, iframe, jsonp, longpoll, poll, send, sse, stream, ws)"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("badValues")
    void aBadValueNamesItsSourceInEachOfTheThree(Setting setting, String raw, String problem) throws IOException {
        Settings.Builder flags = Settings.builder();
        assertThatThrownBy(() -> flags.parse(setting, raw, setting.flag()))
                .isInstanceOf(ConfigException.class).hasMessage(setting.flag() + ": " + problem);

        assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, null, Map.of(setting.env(), raw)))
                .isInstanceOf(ConfigException.class).hasMessage(setting.env() + ": " + problem);

        Path file = write(setting.key() + ": \"" + raw + "\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, file.toString(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + file + ": " + setting.key() + ": " + problem);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"pattern\":\"a\"}|namespaces must be a list of {pattern: …, …} entries",
            "[{\"client-publish\":true}]|namespace 1: pattern is missing",
            "[{\"pattern\":\"a\",\"colour\":1}]|namespace 1: unknown key 'colour' (known keys: pattern, history-size,"
                    + " history-age, presence, client-publish, max-subscribers, max-data-bytes, latest-value)",
            "[{\"pattern\":\"a\"},{\"pattern\":\"b\",\"presence\":\"yes\"}]|namespace 2 (b): presence must be true or false",
            "[{\"pattern\":\"a\",\"max-subscribers\":0}]|0 must be at least 1"})
    void badNamespacesNameTheirSourceAndEntry(String json, String problem) throws IOException {
        assertThatThrownBy(() -> Settings.builder().parse(Setting.NAMESPACES, json, "--namespaces"))
                .isInstanceOf(ConfigException.class).hasMessage("--namespaces: " + problem);
        assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_NAMESPACES", json)))
                .isInstanceOf(ConfigException.class).hasMessage("SWITCHBOARD_NAMESPACES: " + problem);
        Path file = write("namespaces: " + json + "\n"); // JSON is YAML's flow style
        assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, file.toString(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("config file " + file + ": namespaces: " + problem);
    }

    @Test
    void tlsNeedsACertificateAndAKeyThatMakeAServerContext() throws IOException {
        SelfSigned cert = SelfSigned.create(dir);
        ServerConfig config = ConfigLoader.load(Settings.EMPTY, write("tls-cert: " + cert.cert() + "\ntls-key: " + cert.key() + "\n")
                .toString(), Map.of()).config();
        assertThat(config.tls()).isEqualTo(new TlsConfig(cert.cert(), cert.key()));
        Settings flags = Settings.builder().parse(Setting.TLS_CERT, cert.cert().toString(), "--tls-cert")
                .parse(Setting.TLS_KEY, cert.key().toString(), "--tls-key").build();
        assertThat(ConfigLoader.load(flags, null, Map.of()).config().tls()).isEqualTo(new TlsConfig(cert.cert(), cert.key()));

        assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_TLS_CERT", cert.cert().toString())))
                .isInstanceOf(ConfigException.class).hasMessage("TLS needs both a certificate file and a key file");
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, null,
                Map.of("SWITCHBOARD_TLS_CERT", missing.toString(), "SWITCHBOARD_TLS_KEY", cert.key().toString())))
                .isInstanceOf(ConfigException.class).hasMessage("TLS certificate file " + missing + " cannot be read");
        // A certificate with the wrong key (here: the certificate given as its own key) is refused, naming the files.
        assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, null,
                Map.of("SWITCHBOARD_TLS_CERT", cert.cert().toString(), "SWITCHBOARD_TLS_KEY", cert.cert().toString())))
                .isInstanceOf(ConfigException.class).message().startsWith("TLS certificate " + cert.cert() + " and key");
    }

    @Test
    void aBadApiKeyIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_API_KEY", "my secret")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("SWITCHBOARD_API_KEY: the API key must be visible ASCII characters without spaces")
                .message().doesNotContain("secret");
    }

    @Test
    void theTokenSecretIsNeverRepeated() throws IOException {
        String secret = "tiny-secret";
        for (Map<String, String> env : List.of(Map.of("SWITCHBOARD_TOKEN_SECRET", secret), Map.<String, String>of())) {
            Path file = write(env.isEmpty() ? "token-secret: " + secret + "\n" : "\n");
            assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, file.toString(), env))
                    .isInstanceOf(ConfigException.class).message().contains("at least 32 bytes").doesNotContain(secret);
        }
        ServerConfig config = ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_TOKEN_SECRET", ENV_SECRET)).config();
        assertThat(config.tokens().secret()).isEqualTo(ENV_SECRET);
        assertThat(config.toString()).doesNotContain(ENV_SECRET);
    }

    @Test
    void aTokenKeyFileThatCannotBeUsedStopsTheStartNamingIt() throws IOException {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_TOKEN_PUBLIC_KEY", missing.toString())))
                .isInstanceOf(ConfigException.class).hasMessage("token public key file " + missing + ": no such file");
        Path notJwks = Files.writeString(dir.resolve("keys.json"), "{\"keys\": []}");
        assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, write("token-jwks: " + notJwks + "\n").toString(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("token JWKS file " + notJwks + " has no RS256 or ES256 signing key");
    }

    @Test
    void aPublicKeyAndAJwksExcludeEachOther() throws IOException {
        Path pem = KeyFiles.pem(dir.resolve("key.pem"));
        Path jwks = KeyFiles.jwks(dir.resolve("keys.json"));
        Settings flag = Settings.builder().parse(Setting.TOKEN_JWKS, jwks.toString(), "--token-jwks").build();
        assertThatThrownBy(() -> ConfigLoader.load(flag, write("token-public-key: " + pem + "\n").toString(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("both token-public-key and token-jwks are set: give the token public key as a PEM file or as a JWKS file, not both");
    }

    @Test
    void aSkewWithoutAnyTokenKeyIsAWarning() {
        ConfigLoader.Loaded loaded = ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_TOKEN_SKEW", "30s"));
        assertThat(loaded.warnings())
                .containsExactly("ignoring token-skew: no token key is set (token-secret, token-public-key or token-jwks)");
        assertThat(ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_TOKEN_SKEW", "30s",
                "SWITCHBOARD_TOKEN_SECRET", ENV_SECRET)).warnings()).isEmpty();
    }

    @Test
    void aBadWebhookSecretIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_WEBHOOK_SECRET", "hunter2 x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("SWITCHBOARD_WEBHOOK_SECRET: the webhook secret must be visible ASCII characters without spaces")
                .message().doesNotContain("hunter2");
    }

    @Test
    void webhookUrlsWithoutASecretAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_WEBHOOK_URLS", "https://a.example/h")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("webhook-urls are set but webhook-secret is not: receivers check each POST's signature with it"
                        + " (set --webhook-secret, SWITCHBOARD_WEBHOOK_SECRET or webhook-secret in the config file)");
    }

    @Test
    void webhookSettingsWithoutUrlsAreAWarning() {
        assertThat(ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_WEBHOOK_SECRET", "s3cret")).warnings())
                .containsExactly("webhook settings are given but no webhook-urls: no webhooks are sent");
    }

    @Test
    void theWebhookSecretAndUrlQueriesAreNotInTheConfigsText() {
        ServerConfig c = ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_WEBHOOK_URLS", "https://a.example/h?key=k3y",
                "SWITCHBOARD_WEBHOOK_SECRET", "hunter2-secret")).config();
        assertThat(c.webhooks().secret()).isEqualTo("hunter2-secret");
        assertThat(c.toString()).contains("https://a.example/h?…").doesNotContain("hunter2", "k3y");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("switchboard.yaml"), yaml);
    }
}
