package io.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar exactly as {@code ./switchboard} runs it, as a child process: it prints a generated key
 * and the listening line, answers {@code /readyz}, and stops cleanly and quickly on SIGTERM. Runs in the
 * {@code verify} phase (failsafe), after the shaded jar is packaged.
 *
 * <p>The child writes to files, not pipes: when a process exits the JDK closes its pipes under a reader
 * still blocked on them, which would lose the last lines (the ones a shutdown writes).
 */
class SwitchboardJarIT {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) process.destroyForcibly();
    }

    @Test
    void jarServesAndExitsWithinFiveSecondsOfSigterm() throws Exception {
        process = start("serve", "--port", "0");
        List<String> first = await().atMost(Duration.ofSeconds(60)).until(() -> lines("out"), l -> l.size() >= 2);
        assertThat(first.get(0)).matches("api key: [A-Za-z0-9_-]{43}");
        String key = first.get(0).substring("api key: ".length());
        Matcher m = LISTENING.matcher(first.get(1));
        assertThat(m.matches()).as(first.get(1)).isTrue();
        int port = Integer.parseInt(m.group(1));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);

        process.destroy(); // SIGTERM on Linux
        assertThat(process.waitFor(5, TimeUnit.SECONDS)).as("exited within 5 s of SIGTERM").isTrue();

        assertThat(process.exitValue()).as("the JVM's exit status after SIGTERM").isEqualTo(143);
        assertThat(lines("out")).containsExactly(first.get(0), first.get(1)); // the key is printed once
        List<String> err = lines("err");
        assertThat(err).as("the shutdown hook ran to its end").anyMatch(l -> l.endsWith("ServeCommand - stopped"));
        for (String line : err) {
            assertThat(line).doesNotContain(" ERROR ", " WARN ", "Exception", key);
        }
    }

    @Test
    void jarRefusesABadValueWithOneLineAndExitCode2() throws Exception {
        process = start("serve", "--port", "70000");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(lines("out")).isEmpty();
        assertThat(lines("err")).containsExactly("error: --port: 70000 is not a port (use 0-65535; 0 picks a free one)");
    }

    private Process start(String... args) throws IOException {
        Path jar = Path.of(System.getProperty("switchboard.jar", "target/switchboard.jar"));
        assertThat(Files.isRegularFile(jar)).as("the shaded jar at " + jar).isTrue();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SWITCHBOARD_")); // only the flags count here
        return pb.start();
    }

    /** The complete lines the child has written to {@code name} so far. */
    private List<String> lines(String name) throws IOException {
        String text = Files.readString(dir.resolve(name));
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    }
}
