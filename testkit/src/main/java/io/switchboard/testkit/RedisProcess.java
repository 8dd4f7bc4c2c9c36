package io.switchboard.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A throwaway {@code redis-server} on 127.0.0.1 and a free port, with no persistence, for tests: start it,
 * stop it, kill it with SIGKILL, start it again on the same port (empty, as after a crash). Never touches a
 * system Redis. The binary is {@code $REDIS_SERVER} or {@code redis-server} on the PATH ({@code run-tests}
 * installs Debian's).
 */
public final class RedisProcess implements AutoCloseable {
    private static final Duration START_WAIT = Duration.ofSeconds(10);

    private final int port;
    /** Where an explicit {@code SAVE} writes, and a restart reads back (nothing is saved otherwise). */
    private final Path dir;
    private Process process;

    private RedisProcess(int port) {
        this.port = port;
        try {
            this.dir = Files.createTempDirectory("redis-" + port + "-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a new server on a free port and returns once it answers PING. */
    public static RedisProcess start() {
        RedisProcess r = new RedisProcess(freePort());
        r.launch();
        return r;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown, no goodbye to clients. Returns once the process is gone. */
    public synchronized void kill() {
        if (process == null) return;
        process.destroyForcibly();
        waitFor(process);
        process = null;
    }

    /** Starts the server again on the same port: empty, or with what an explicit {@code SAVE} saved. */
    public synchronized void restart() {
        if (running()) throw new IllegalStateException("redis-server is still running");
        launch();
    }

    /** Sends one command and returns Redis's reply line (e.g. {@code +OK}, {@code :3}). */
    public String command(String... args) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            StringBuilder out = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                out.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream o = s.getOutputStream();
            o.write(out.toString().getBytes(StandardCharsets.UTF_8));
            o.flush();
            return readLine(s.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException("redis on port " + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        kill();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temp directory left behind
        }
    }

    private synchronized void launch() {
        ProcessBuilder pb = new ProcessBuilder(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning", "--dir", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-server (install it, or set REDIS_SERVER): " + e.getMessage(), e);
        }
        try {
            // Ready when it answers; a port still held by the killed server makes this one exit, so retry.
            Awaitility.await("redis-server on port " + port).atMost(START_WAIT).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
                        if (!process.isAlive()) process = pb.start();
                        return "+PONG".equals(command("PING"));
                    });
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static String binary() {
        String env = System.getenv("REDIS_SERVER");
        if (env != null && !env.isBlank()) return env;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) return p.toString();
        }
        return "/usr/bin/redis-server";
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') line.append((char) c);
        }
        return line.toString();
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
