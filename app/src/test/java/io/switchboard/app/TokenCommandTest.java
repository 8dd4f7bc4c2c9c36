package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.auth.Identity;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.time.Clock;
import io.switchboard.server.auth.JwtVerifier;
import io.switchboard.server.auth.TokenConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code switchboard token}: what it mints verifies with the server's verifier and says what was asked; bad input is exit 2. */
class TokenCommandTest {
    static final String SECRET = "a-dev-secret-of-at-least-32-bytes!";
    private final Lines out = new Lines();
    private final Lines err = new Lines();

    @TempDir
    Path dir;

    private int run(Map<String, String> env, String... args) {
        return new Main(out.stream, err.stream, env).run(args);
    }

    /** The one line printed, checked to be the only output. */
    private String token() {
        assertThat(err.all()).isEmpty();
        assertThat(out.all()).hasSize(1);
        return out.all().get(0);
    }

    private static TokenVerifier verifier(String secret) {
        return JwtVerifier.from(TokenConfig.NONE.withSecret(secret), Clock.system());
    }

    @Test
    void theTokenVerifiesAndCarriesEveryClaim() {
        long before = System.currentTimeMillis() / 1000 * 1000;
        assertThat(run(Map.of(), "token", "--secret", SECRET, "--sub", "user-7", "--channel", "private-user-7",
                "--channel", "presence-*", "--publish", "chat-*", "--info", "{ \"name\": \"Ada\", \"score\": 3.50 }",
                "--ttl", "10m")).isZero();
        long after = System.currentTimeMillis();

        Identity id = verifier(SECRET).verify(token());
        assertThat(id.user()).isEqualTo("user-7");
        assertThat(id.channels()).containsExactly("private-user-7", "presence-*");
        assertThat(id.publish()).containsExactly("chat-*");
        assertThat(new String(id.info(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"Ada\",\"score\":3.50}");
        assertThat(id.expiresAt()).isBetween(before + 600_000, after + 600_000);
        assertThat(header(token())).contains("\"alg\":\"HS256\"", "\"typ\":\"JWT\"");
    }

    @Test
    void withoutOptionsItIsAnHourLongTokenOfNobodyInParticular() {
        long before = System.currentTimeMillis() / 1000 * 1000;
        assertThat(run(Map.of("SWITCHBOARD_TOKEN_SECRET", SECRET), "token")).isZero();
        Identity id = verifier(SECRET).verify(token());
        assertThat(id).isEqualTo(new Identity(null, List.of(), List.of(), null, id.expiresAt()));
        assertThat(id.expiresAt()).isBetween(before + 3_600_000, System.currentTimeMillis() + 3_600_000);
    }

    @Test
    void aTokenMintedWithAnotherSecretDoesNotVerify() {
        assertThat(run(Map.of(), "token", "--secret", SECRET, "--sub", "u")).isZero();
        assertThatThrownBy(() -> verifier(SECRET + "x").verify(token()))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo("bad_token"));
    }

    @Test
    void theSecretIsReadLikeServeReadsIt() throws IOException {
        // From the config file serve would run with, so that the token verifies with that server's config.
        String fileSecret = "file-secret-of-at-least-thirty-two-bytes";
        Path config = Files.writeString(dir.resolve("switchboard.yaml"), "port: 9000\ntoken-secret: " + fileSecret + "\n");
        assertThat(run(Map.of(), "token", "--config", config.toString(), "--sub", "from-file")).isZero();
        TokenConfig served = ConfigLoader.load(Settings.EMPTY, config.toString(), Map.of()).config().tokens();
        assertThat(JwtVerifier.from(served, Clock.system()).verify(token()).user()).isEqualTo("from-file");

        // SWITCHBOARD_CONFIG names the file too; the environment beats the file and the flag beats both.
        Lines out2 = new Lines();
        assertThat(new Main(out2.stream, err.stream, Map.of("SWITCHBOARD_CONFIG", config.toString())).run("token")).isZero();
        assertThat(verifier(fileSecret).verify(out2.all().get(0))).isNotNull();
        Lines out3 = new Lines();
        assertThat(new Main(out3.stream, err.stream, Map.of("SWITCHBOARD_CONFIG", config.toString(),
                "SWITCHBOARD_TOKEN_SECRET", SECRET)).run("token")).isZero();
        assertThat(verifier(SECRET).verify(out3.all().get(0))).isNotNull();
        Lines out4 = new Lines();
        String flagSecret = SECRET + "-flag";
        assertThat(new Main(out4.stream, err.stream, Map.of("SWITCHBOARD_TOKEN_SECRET", SECRET))
                .run("token", "--secret", flagSecret)).isZero();
        assertThat(verifier(flagSecret).verify(out4.all().get(0))).isNotNull();
        assertThat(err.all()).isEmpty();
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(new String[] {"token", "--sub", "u"}, Map.of(),
                        "error: no token secret: give --secret, set SWITCHBOARD_TOKEN_SECRET or put token-secret in the --config file"),
                Arguments.of(new String[] {"token", "--secret", "too-short-secret"}, Map.of(),
                        "error: --secret: the token secret must be at least 32 bytes (e.g. openssl rand -base64 32)"),
                Arguments.of(new String[] {"token"}, Map.of("SWITCHBOARD_TOKEN_SECRET", "too-short-secret"),
                        "error: SWITCHBOARD_TOKEN_SECRET: the token secret must be at least 32 bytes (e.g. openssl rand -base64 32)"),
                Arguments.of(new String[] {"token", "--secret", SECRET, "--info", "{name: Ada}"}, Map.of(),
                        "error: --info: not one JSON value (e.g. '{\"name\":\"Ada\"}')"),
                Arguments.of(new String[] {"token", "--secret", SECRET, "--info", "{} {}"}, Map.of(),
                        "error: --info: not one JSON value (e.g. '{\"name\":\"Ada\"}')"),
                Arguments.of(new String[] {"token", "--secret", SECRET, "--ttl", "soon"}, Map.of(),
                        "error: --ttl: 'soon' is not a duration (e.g. 500ms, 25s, 10m, 1h)"),
                Arguments.of(new String[] {"token", "--secret", SECRET, "--ttl", "0s"}, Map.of(),
                        "error: --ttl: 0s must be longer than zero"),
                Arguments.of(new String[] {"token", "--secret", SECRET, "--ttl", "999ms"}, Map.of(),
                        "error: --ttl: 999ms is shorter than 1s"),
                Arguments.of(new String[] {"token", "--secret", SECRET, "--channel", "private room"}, Map.of(),
                        "error: --channel: 'private room' is not a channel pattern (1-164 of A-Z a-z 0-9 _ - = @ , . ; : and * for any run of them)"),
                Arguments.of(new String[] {"token", "--secret", SECRET, "--publish", ""}, Map.of(),
                        "error: --publish: '' is not a channel pattern (1-164 of A-Z a-z 0-9 _ - = @ , . ; : and * for any run of them)"),
                Arguments.of(new String[] {"token", "--secret", SECRET, "--sub", ""}, Map.of(),
                        "error: --sub: the user id must not be empty"),
                Arguments.of(new String[] {"token", "--secret", SECRET, "--config", "/nonexistent/switchboard.yaml"}, Map.of(),
                        "error: config file /nonexistent/switchboard.yaml: no such file"),
                Arguments.of(new String[] {"token", "--secret"}, Map.of(),
                        "error: Missing required parameter for option '--secret' (SECRET) (see: switchboard token --help)"),
                Arguments.of(new String[] {"token", "--user", "u"}, Map.of(),
                        "error: Unknown options: '--user', 'u' (see: switchboard token --help)"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badInput")
    void badInputIsOneLineOnStderrAndExitCode2(String[] args, Map<String, String> env, String line) {
        assertThat(run(env, args)).isEqualTo(2);
        assertThat(err.all()).containsExactly(line);
        assertThat(out.all()).isEmpty();
    }

    @Test
    void helpListsEveryOption() {
        assertThat(run(Map.of(), "token", "--help")).isZero();
        assertThat(String.join("\n", out.all()))
                .contains("--secret", "--config", "--sub", "--channel", "--publish", "--info", "--ttl", "SWITCHBOARD_TOKEN_SECRET");
        Lines mainHelp = new Lines();
        assertThat(new Main(mainHelp.stream, err.stream, Map.of()).run("--help")).isZero();
        assertThat(String.join("\n", mainHelp.all())).contains("token");
    }

    private static String header(String token) {
        return new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
    }
}
