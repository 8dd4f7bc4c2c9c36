package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.server.ServerConfig;
import java.io.IOException;
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

    static Stream<Case> everySetting() {
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
                new Case(Setting.DISABLED_DOORS, "[ws, sse]", "stream", "ws,longpoll", ServerConfig::disabledDoors,
                        Set.of("ws", "sse"), Set.of("stream"), Set.of("ws", "longpoll"), Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everySetting")
    void flagBeatsEnvBeatsFileBeatsDefault(Case c) throws IOException {
        Path file = write(c.setting().key() + ": " + c.yaml() + "\n");
        Settings flag = Settings.builder().parse(c.setting(), c.flag(), c.setting().flag()).build();
        Map<String, String> env = Map.of(c.setting().env(), c.env());

        assertThat(c.get().apply(ConfigLoader.load(flag, file.toString(), env).config())).isEqualTo(c.fromFlag());
        assertThat(c.get().apply(ConfigLoader.load(Settings.EMPTY, file.toString(), env).config())).isEqualTo(c.fromEnv());
        assertThat(c.get().apply(ConfigLoader.load(Settings.EMPTY, file.toString(), Map.of()).config())).isEqualTo(c.fromFile());
        assertThat(c.get().apply(ConfigLoader.load(Settings.EMPTY, null, Map.of()).config())).isEqualTo(c.byDefault());
    }

    @Test
    void everySettingHasACaseAbove() {
        // API_KEY has its own tests below: its default is generated, not a constant.
        assertThat(everySetting().map(Case::setting)).containsExactlyInAnyOrder(
                Stream.of(Setting.values()).filter(s -> s != Setting.API_KEY).toArray(Setting[]::new));
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
        assertThat(a.config()).isEqualTo(ServerConfig.defaults(a.config().apiKey()));
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

    @Test
    void aBadApiKeyIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> ConfigLoader.load(Settings.EMPTY, null, Map.of("SWITCHBOARD_API_KEY", "my secret")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("SWITCHBOARD_API_KEY: the API key must be visible ASCII characters without spaces")
                .message().doesNotContain("secret");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("switchboard.yaml"), yaml);
    }
}
