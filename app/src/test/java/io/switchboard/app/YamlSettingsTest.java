package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.auth.Namespace;
import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.auth.TokenConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The YAML config file: every key, and a one-line error for each way a file can be wrong. */
class YamlSettingsTest {
    @TempDir
    Path dir;

    @Test
    void everyKeyIsRead() throws IOException {
        ServerConfig c = load("""
                # all settings, kebab-case like the flags
                host: 0.0.0.0
                port: 9000
                api-key: from-file
                allowed-origins:
                  - https://app.example.com
                  - http://localhost:3000
                max-body-bytes: 512KiB
                max-data-bytes: 16384
                max-subscriptions: 50
                heartbeat: 15s
                history-size: 500
                history-age: 1h
                token-secret: "a secret of at least thirty-two bytes"
                token-skew: 30s
                webhook-urls:
                  - https://backend.example.com/hooks
                  - http://127.0.0.1:9000/hooks
                webhook-secret: s3cret
                webhook-client-publishes: true
                """);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.apiKey()).isEqualTo("from-file");
        assertThat(c.allowedOrigins()).containsExactly("https://app.example.com", "http://localhost:3000");
        assertThat(c.maxBodyBytes()).isEqualTo(512 * 1024);
        assertThat(c.hub().maxDataBytes()).isEqualTo(16384);
        assertThat(c.hub().maxSubscriptions()).isEqualTo(50);
        assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.history()).isEqualTo(new HistoryPolicy(500, Duration.ofHours(1)));
        assertThat(c.tokens()).isEqualTo(new TokenConfig("a secret of at least thirty-two bytes", null, null, Duration.ofSeconds(30)));
        assertThat(c.webhooks().urls()).containsExactly(URI.create("https://backend.example.com/hooks"),
                URI.create("http://127.0.0.1:9000/hooks"));
        assertThat(c.webhooks().secret()).isEqualTo("s3cret");
        assertThat(c.webhooks().includeClientPublishes()).isTrue();
    }

    @Test
    void tokenKeyFilesAreRead() throws IOException {
        Path pem = KeyFiles.pem(dir.resolve("key.pem"));
        assertThat(load("token-public-key: " + pem + "\n").tokens().publicKeyFile()).isEqualTo(pem);
        Path jwks = KeyFiles.jwks(dir.resolve("keys.json"));
        assertThat(load("token-jwks: " + jwks + "\n").tokens().jwksFile()).isEqualTo(jwks);
    }

    @Test
    void namespacesAreAListOfMapsAndLeftOutHistoryTakesTheServerWideOne() throws IOException {
        ServerConfig c = load("""
                history-size: 50
                history-age: 2m
                namespaces:
                  - pattern: "chat-*"
                    client-publish: true
                    history-size: 500
                    max-data-bytes: 4KiB
                  - pattern: presence-*
                    presence: false
                    max-subscribers: 10
                    history-age: 1h
                """);
        assertThat(c.hub().namespaces()).containsExactly(
                new Namespace("chat-*", new HistoryPolicy(500, Duration.ofMinutes(2)), null, true, null, 4096),
                new Namespace("presence-*", new HistoryPolicy(50, Duration.ofHours(1)), false, null, 10, null));
    }

    @Test
    void anEmptyFileChangesNothing() throws IOException {
        ServerConfig c = load("# nothing set\n");
        assertThat(c).isEqualTo(ServerConfig.defaults(c.apiKey()).withDemo(true)); // the app's demo default
    }

    @Test
    void originsMayBeOneString() throws IOException {
        assertThat(load("allowed-origins: https://a.example, https://b.example\n").allowedOrigins())
                .containsExactly("https://a.example", "https://b.example");
    }

    @Test
    void anUnknownKeyIsAnErrorNamingIt() throws IOException {
        Path f = write("port: 9000\nprot: 9001\n");
        assertError(f, "config file " + f + ": unknown key 'prot' (known keys: host, port, api-key, allowed-origins,"
                + " max-body-bytes, max-data-bytes, max-subscriptions, heartbeat, history-size, history-age,"
                + " session-idle, session-queue-bytes, stream-max-bytes, token-secret, token-public-key, token-jwks, token-skew,"
                + " webhook-urls, webhook-secret, webhook-client-publishes, presence-grace, demo,"
                + " disabled-doors, tls-cert, tls-key, max-connections, max-connections-per-ip, connects-per-second-per-ip,"
                + " messages-per-second, message-burst, max-url-bytes, max-header-bytes, request-timeout, idle-timeout,"
                + " outbound-bytes, socket-send-buffer, access-log, broker, redis-node-ttl, namespaces)");
    }

    @Test
    void invalidYamlIsOneLineWithItsPosition() throws IOException {
        Path f = write("port: 9000\nhost: [unclosed\n");
        String message = error(f);
        assertThat(message).startsWith("config file " + f + ": not valid YAML at line 2, column ")
                .endsWith(": while parsing a flow sequence; expected ',' or ']', but got <stream end>")
                .doesNotContain("\n");
    }

    @Test
    void aKeyGivenTwiceIsAnError() throws IOException {
        Path f = write("port: 9000\nport: 9001\n");
        assertThat(error(f)).startsWith("config file " + f + ": not valid YAML at line 2").contains("'port'");
    }

    @Test
    void aMissingFileIsAnError() {
        Path f = dir.resolve("missing.yaml");
        assertError(f, "config file " + f + ": no such file");
    }

    @Test
    void aDirectoryIsAnError() {
        assertError(dir, "config file " + dir + ": cannot be read (it is a directory)");
    }

    @Test
    void settingsMustBeAMapping() throws IOException {
        Path f = write("- port\n- 9000\n");
        assertError(f, "config file " + f + ": expected settings as 'key: value' lines");
    }

    @Test
    void valuesMustHaveTheRightShape() throws IOException {
        Path list = write("port: [1, 2]\n");
        assertError(list, "config file " + list + ": port: expected a single value");
        Path map = write("allowed-origins: {a: b}\n");
        assertError(map, "config file " + map + ": allowed-origins: expected a list of strings");
        Path numbers = write("allowed-origins: [1, 2]\n");
        assertError(numbers, "config file " + numbers + ": allowed-origins: expected a list of strings");
        Path urls = write("webhook-urls: {url: https://a.example}\n");
        assertError(urls, "config file " + urls + ": webhook-urls: expected a list of strings");
        Path flag = write("webhook-client-publishes: [true]\n");
        assertError(flag, "config file " + flag + ": webhook-client-publishes: expected a single value");
        Path empty = write("port:\n");
        assertError(empty, "config file " + empty + ": port: has no value");
    }

    private ServerConfig load(String yaml) throws IOException {
        return ConfigLoader.load(Settings.EMPTY, write(yaml).toString(), Map.of()).config();
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("switchboard.yaml"), yaml);
    }

    private static String error(Path file) {
        try {
            ConfigLoader.load(Settings.EMPTY, file.toString(), Map.of());
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + file);
    }

    private static void assertError(Path file, String message) {
        assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, file.toString(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage(message);
        assertThat(List.of(message)).allMatch(m -> !m.contains("\n"));
    }
}
