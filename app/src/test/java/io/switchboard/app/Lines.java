package io.switchboard.app;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A {@link PrintStream} that records what is printed to it line by line, for tests of the CLI's output. */
final class Lines extends OutputStream {
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final List<String> all = new ArrayList<>();
    private final LinkedBlockingQueue<String> pending = new LinkedBlockingQueue<>();
    final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            String line = current.toString(StandardCharsets.UTF_8);
            current.reset();
            all.add(line);
            pending.add(line);
        } else {
            current.write(b);
        }
    }

    /** Every complete line printed so far. */
    synchronized List<String> all() {
        return List.copyOf(all);
    }

    /** Waits for the next line matching {@code match} (skipping others); fails with what was printed. */
    String await(Predicate<String> match, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? pending.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) throw new AssertionError("no matching line in " + seconds + " s; printed: " + all());
            if (match.test(line)) return line;
        }
    }
}
