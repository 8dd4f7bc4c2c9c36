package io.switchboard.app.cluster;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Switchboard node as its own process: {@code switchboard serve --broker redis://…} run from the test
 * classpath (the app's Main, as deployed), on 127.0.0.1 and a free port. {@link #kill} is SIGKILL (a crash);
 * {@link #close} is SIGTERM (a graceful stop). Logs go to a file named in failures.
 */
final class NodeProcess implements AutoCloseable {
    static final String TOKEN_SECRET = "cluster-test-token-secret-of-32-bytes!!";
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final String apiKey;
    private final String baseUrl;

    private NodeProcess(String name, Process process, Path log, String apiKey, String baseUrl) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.apiKey = apiKey;
        this.baseUrl = baseUrl;
    }

    /** Starts nodes in parallel (a JVM start is most of the time) and returns once all listen. */
    static List<NodeProcess> start(String redisUri, int count, String... extra) {
        List<CompletableFuture<NodeProcess>> starting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = String.valueOf((char) ('A' + i));
            starting.add(CompletableFuture.supplyAsync(() -> start(name, redisUri, extra)));
        }
        return starting.stream().map(CompletableFuture::join).toList();
    }

    static NodeProcess start(String name, String redisUri, String... extra) {
        String apiKey = "key-" + UUID.randomUUID();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss1m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "io.switchboard.app.Main", "serve", "--host", "127.0.0.1", "--port", "0", "--broker", redisUri,
                "--namespaces", "[{\"pattern\":\"*\",\"client-publish\":true}]"));
        cmd.addAll(List.of(extra));
        try {
            Path log = Files.createTempFile("switchboard-node-" + name + "-", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
            pb.environment().put("SWITCHBOARD_API_KEY", apiKey);
            pb.environment().put("SWITCHBOARD_TOKEN_SECRET", TOKEN_SECRET);
            Process p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) return m.group(1);
                    }
                } catch (IOException e) {
                    // the process died: answered below
                }
                return null;
            });
            String base;
            try {
                base = url.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                base = null;
            }
            if (base == null) {
                p.destroyForcibly();
                throw new IllegalStateException("node " + name + " did not start; its log: " + Files.readString(log));
            }
            drain(out);
            return new NodeProcess(name, p, log, apiKey, base);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps reading stdout so the node never blocks on a full pipe. */
    private static void drain(BufferedReader out) {
        Thread t = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // nothing to keep
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "node-stdout");
        t.setDaemon(true);
        t.start();
    }

    String name() {
        return name;
    }

    /** {@code http://127.0.0.1:PORT} */
    String baseUrl() {
        return baseUrl;
    }

    int port() {
        return URI.create(baseUrl).getPort();
    }

    URI http(String pathAndQuery) {
        return URI.create(baseUrl + pathAndQuery);
    }

    URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(http(path)).GET().build());
    }

    HttpResponse<String> apiGet(String path) {
        return send(HttpRequest.newBuilder(http(path)).header("Authorization", "Bearer " + apiKey).GET().build());
    }

    HttpResponse<String> api(String path, String json) {
        return send(HttpRequest.newBuilder(http(path)).header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** {@code POST /api/publish}; the answer as is (200, or 503 while Redis is away). */
    HttpResponse<String> publish(String channel, String dataJson) {
        return api("/api/publish", "{\"channel\":\"" + channel + "\",\"data\":" + dataJson + "}");
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("request to node " + name + " failed: " + request.uri(), e);
        }
    }

    /** SIGKILL, as a crash: no goodbye to clients, nothing cleaned up in Redis. */
    void kill() {
        process.destroyForcibly();
        waitFor(10);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The node's log so far, for failure messages. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM: a graceful stop. */
    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        if (!waitFor(15)) process.destroyForcibly();
        File f = log.toFile();
        if (f.exists() && !f.delete()) f.deleteOnExit();
    }

    private boolean waitFor(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
