package io.switchboard.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the Node scripts of {@code testkit/browser/} that drive Debian's headless Chromium through
 * playwright-core. {@code ./run-tests} installs Chromium and the scripts' npm packages; a missing
 * piece fails the test with a message saying what to install, it never skips.
 */
public final class BrowserScripts {
    private BrowserScripts() {}

    /** The repository root (the folder holding README.md and testkit/). */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("testkit/browser/package.json"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
        return p;
    }

    /** Starts {@code node testkit/browser/SCRIPT ARGS…}; its output is read line by line. */
    public static Run run(String script, String... args) throws IOException {
        Path dir = repoRoot().resolve("testkit/browser");
        if (!Files.isDirectory(dir.resolve("node_modules/playwright-core"))) {
            throw new AssertionError("playwright-core is not installed: run ./run-tests (or npm ci in " + dir + ")");
        }
        if (System.getenv("CHROMIUM") == null && !Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            throw new AssertionError("Chromium is missing: run ./run-tests (it installs Debian's chromium)");
        }
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        return new Run(process);
    }

    /** A running script: its output lines, and a kill on close. */
    public static final class Run implements AutoCloseable {
        private final Process process;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder transcript = new StringBuilder();

        Run(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        synchronized (transcript) {
                            transcript.append(line).append('\n');
                        }
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended; awaitLine reports what it printed
                }
            }, "browser-script-output");
            reader.setDaemon(true);
            reader.start();
        }

        public String awaitLine(String exact, int seconds) throws InterruptedException {
            return awaitLine(exact::equals, seconds);
        }

        /** Waits for the first line matching {@code match}; fails with the script's output when none comes. */
        public String awaitLine(Predicate<String> match, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    synchronized (transcript) {
                        throw new AssertionError("browser script printed no matching line in " + seconds
                                + " s; its output:\n" + transcript);
                    }
                }
                if (match.test(line)) return line;
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
