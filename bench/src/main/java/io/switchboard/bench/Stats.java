package io.switchboard.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a scenario measures, written by every event loop at once (per-thread recorders for the
 * per-delivery latencies, an HdrHistogram {@link Recorder} for connects, adders: all safe for concurrent
 * writers) and read by the progress thread once a second.
 * Latencies are in microseconds.
 */
public final class Stats {
    /** Publish→receive, from the publisher's <em>intended</em> send time (coordinated omission corrected). */
    final PerThreadRecorder latency = new PerThreadRecorder(3);
    /** Publish→receive from the actual send time (what the server alone added). */
    final PerThreadRecorder rawLatency = new PerThreadRecorder(3);
    /** TCP connect start → subscribed (upgrade done, stream headers, first poll answer). */
    final Recorder connect = new Recorder(3);
    final LongAdder deliveries = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder polls = new LongAdder();
    final LongAdder published = new LongAdder();
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger ready = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    /** Counts one error of a kind ({@code connect}, {@code status-503}, {@code closed}, …). */
    public void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** One delivery of a measured message, at {@code nowNanos}. */
    void delivered(long intendedNanos, long sentNanos, long nowNanos) {
        deliveries.increment();
        latency.recordValue(Math.max(0, (nowNanos - intendedNanos) / 1000));
        rawLatency.recordValue(Math.max(0, (nowNanos - sentNanos) / 1000));
    }

    void connected(long startNanos, long nowNanos) {
        connected.incrementAndGet();
        open.incrementAndGet();
        connect.recordValue(Math.max(0, (nowNanos - startNanos) / 1000));
    }

    /** A histogram to accumulate interval histograms into. */
    static Histogram newHistogram() {
        Histogram h = new Histogram(3);
        h.setAutoResize(true);
        return h;
    }
}
