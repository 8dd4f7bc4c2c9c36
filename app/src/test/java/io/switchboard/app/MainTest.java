package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.webhook.WebhookConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The {@code switchboard} command run in-process with captured output: serving, help, version and errors. */
class MainTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private final Lines out = new Lines();
    private final Lines err = new Lines();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void serveListensOnTheRealPortAnswersHealthzAndStops() throws Exception {
        Main main = new Main(out.stream, err.stream, Map.of());
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> main.run("serve", "--port", "0", "--api-key", "k"));

        int port = port(out.await(l -> l.startsWith("listening on"), 30));
        assertThat(port).isPositive();
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);

        main.stop();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(out.all()).containsExactly("listening on http://127.0.0.1:" + port); // a given key is not printed
        assertThat(err.all()).isEmpty();
        assertThat(refused(port)).as("port closed after stop").isTrue();
    }

    @Test
    void withoutAKeyOneIsGeneratedAndPrintedOnceBeforeListening() throws Exception {
        // Settings from the (injected) environment, as a container would give them.
        Main main = new Main(out.stream, err.stream, Map.of("SWITCHBOARD_PORT", "0", "SWITCHBOARD_HEARTBEAT", "5s"));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> main.run("serve"));

        int port = port(out.await(l -> l.startsWith("listening on"), 30));
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        main.stop();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(out.all()).hasSize(2);
        assertThat(out.all().get(0)).matches("api key: [A-Za-z0-9_-]{43}");
        assertThat(out.all().get(1)).isEqualTo("listening on http://127.0.0.1:" + port);
    }

    static Stream<Arguments> badInvocations() {
        return Stream.of(
                Arguments.of(new String[] {"serve", "--port", "70000"}, Map.of(),
                        "error: --port: 70000 is not a port (use 0-65535; 0 picks a free one)"),
                Arguments.of(new String[] {"serve", "--history-size", "-1"}, Map.of(), "error: --history-size: -1 must be 0 or more"),
                Arguments.of(new String[] {"serve", "--heartbeat", "soon"}, Map.of(),
                        "error: --heartbeat: 'soon' is not a duration (e.g. 500ms, 25s, 10m, 1h)"),
                Arguments.of(new String[] {"serve"}, Map.of("SWITCHBOARD_PORT", "http"), "error: SWITCHBOARD_PORT: 'http' is not a port"),
                Arguments.of(new String[] {"serve", "--config", "/nonexistent/switchboard.yaml"}, Map.of(),
                        "error: config file /nonexistent/switchboard.yaml: no such file"),
                Arguments.of(new String[] {"serve", "--prot", "1"}, Map.of(),
                        "error: Unknown options: '--prot', '1' (see: switchboard serve --help)"),
                Arguments.of(new String[] {"serve", "--port"}, Map.of(),
                        "error: Missing required parameter for option '--port' (PORT) (see: switchboard serve --help)"),
                Arguments.of(new String[] {"serve", "--webhook-url", "ftp://example.com/h", "--webhook-secret", "s"}, Map.of(),
                        "error: --webhook-url: 'ftp://example.com/h' is not an http or https URL (e.g. https://backend.example.com/switchboard)"),
                Arguments.of(new String[] {"serve", "--webhook-url", "https://example.com/h"}, Map.of(),
                        "error: webhook-urls are set but webhook-secret is not: receivers check each POST's signature with it"
                                + " (set --webhook-secret, SWITCHBOARD_WEBHOOK_SECRET or webhook-secret in the config file)"),
                Arguments.of(new String[] {"start"}, Map.of(), "error: Unmatched argument at index 0: 'start' (see: switchboard --help)"),
                Arguments.of(new String[] {}, Map.of(), "error: missing command (try: switchboard serve, or switchboard --help)"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badInvocations")
    void aBadInvocationIsOneLineOnStderrAndExitCode2(String[] args, Map<String, String> env, String line) {
        assertThat(new Main(out.stream, err.stream, env).run(args)).isEqualTo(2);
        assertThat(err.all()).containsExactly(line);
        assertThat(out.all()).isEmpty();
    }

    @Test
    void aPortInUseIsOneLineAndExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThat(new Main(out.stream, err.stream, Map.of()).run("serve", "--port", Integer.toString(port))).isEqualTo(1);
            assertThat(err.all()).hasSize(1);
            assertThat(err.all().get(0)).startsWith("error: cannot listen on 127.0.0.1:" + port + ": ").contains("in use");
            assertThat(out.all()).isEmpty();
        }
    }

    @Test
    void anUnreachableRedisBrokerIsOneLineAndExitCode1WithoutThePassword() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        assertThat(new Main(out.stream, err.stream, Map.of())
                .run("serve", "--port", "0", "--broker", "redis://:hunter2@127.0.0.1:" + port)).isEqualTo(1);
        assertThat(err.all()).hasSize(1);
        assertThat(err.all().get(0)).startsWith("error: cannot connect to Redis at 127.0.0.1:" + port + ": ")
                .doesNotContain("hunter2");
    }

    @Test
    void versionPrintsTheBuildVersion() {
        assertThat(new Main(out.stream, err.stream, Map.of()).run("--version")).isZero();
        assertThat(out.all()).containsExactly("switchboard 0.1.0-SNAPSHOT");
    }

    @Test
    void helpListsServeAndServeHelpListsEverySetting() {
        assertThat(new Main(out.stream, err.stream, Map.of()).run("--help")).isZero();
        assertThat(String.join("\n", out.all())).contains("Usage: switchboard", "serve");

        Lines serveOut = new Lines();
        assertThat(new Main(serveOut.stream, err.stream, Map.of()).run("serve", "--help")).isZero();
        String help = String.join("\n", serveOut.all());
        for (Setting s : Setting.values()) assertThat(help).contains(s.flag());
        assertThat(help).contains("--config", "SWITCHBOARD_");
        assertThat(err.all()).isEmpty();
    }

    @Test
    void webhookFlagsRepeatSplitAndSwitch() {
        ServeCommand serve = new ServeCommand(out.stream, err.stream, Map.of());
        new CommandLine(serve).parseArgs("--webhook-url", "https://a.example/h", "--webhook-url=https://b.example/h,https://c.example/h",
                "--webhook-secret", "s3cret", "--webhook-client-publishes");
        WebhookConfig w = ConfigLoader.load(serve.flags(), null, Map.of()).config().webhooks();
        assertThat(w.urls()).containsExactly(URI.create("https://a.example/h"), URI.create("https://b.example/h"),
                URI.create("https://c.example/h"));
        assertThat(w.secret()).isEqualTo("s3cret");
        assertThat(w.includeClientPublishes()).isTrue();

        ServeCommand off = new ServeCommand(out.stream, err.stream, Map.of());
        new CommandLine(off).parseArgs("--webhook-client-publishes=false");
        assertThat(ConfigLoader.load(off.flags(), null, Map.of()).config().webhooks().includeClientPublishes()).isFalse();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int port(String listeningLine) {
        Matcher m = LISTENING.matcher(listeningLine);
        assertThat(m.matches()).as(listeningLine).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static boolean refused(int port) {
        try {
            new Socket(InetAddress.getLoopbackAddress(), port).close();
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
