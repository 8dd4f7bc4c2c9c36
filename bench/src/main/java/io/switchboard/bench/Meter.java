package io.switchboard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Turns {@link Stats} into a time series and a per-step histogram: once a second (from the progress
 * thread) it takes the recorders' interval histograms, adds them to the step's totals, records the
 * second's deliveries and p99, and prints one progress line on stderr.
 */
final class Meter {
    private final Stats stats;
    private final String label;
    private final long t0 = System.nanoTime();
    private Histogram step = Stats.newHistogram();
    private Histogram stepRaw = Stats.newHistogram();
    private final Histogram connect = Stats.newHistogram();
    private final List<Map<String, Object>> series = new ArrayList<>();
    private long lastDeliveries;
    private long lastPublished;
    private long lastPolls;
    private String phase = "connect";
    private int target;

    Meter(Stats stats, String label) {
        this.stats = stats;
        this.label = label;
    }

    synchronized void phase(String phase, int targetConnections) {
        this.phase = phase;
        this.target = targetConnections;
    }

    /** Called once a second. */
    synchronized void tick() {
        Histogram second = stats.latency.getIntervalHistogram();
        step.add(second);
        stepRaw.add(stats.rawLatency.getIntervalHistogram());
        connect.add(stats.connect.getIntervalHistogram());
        long deliveries = stats.deliveries.sum();
        long published = stats.published.sum();
        long polls = stats.polls.sum();
        long perSecond = deliveries - lastDeliveries;
        double p99 = second.getTotalCount() == 0 ? 0 : second.getValueAtPercentile(99) / 1000.0;
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("t", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        point.put("phase", phase);
        point.put("deliveries", perSecond);
        point.put("published", published - lastPublished);
        point.put("p99Ms", p99);
        point.put("open", stats.open.get());
        series.add(point);
        System.err.printf("[%s] %-8s open %d/%d ready %d  pub/s %d  deliv/s %d  p99 %.1f ms  polls/s %d  dup %d  err %d%n",
                label, phase, stats.open.get(), target, stats.ready.get(), published - lastPublished, perSecond, p99,
                polls - lastPolls, stats.duplicates.sum(), stats.errorCount());
        lastDeliveries = deliveries;
        lastPublished = published;
        lastPolls = polls;
    }

    /** The latency histograms of the step that just ended (corrected, raw); starts a new step. */
    synchronized Histogram[] endStep() {
        step.add(stats.latency.getIntervalHistogram());
        stepRaw.add(stats.rawLatency.getIntervalHistogram());
        Histogram[] out = {step, stepRaw};
        step = Stats.newHistogram();
        stepRaw = Stats.newHistogram();
        return out;
    }

    /** Discards what was recorded so far in this step (the warm-up's stragglers). */
    synchronized void resetStep() {
        stats.latency.getIntervalHistogram();
        stats.rawLatency.getIntervalHistogram();
        step = Stats.newHistogram();
        stepRaw = Stats.newHistogram();
    }

    synchronized Histogram connectHistogram() {
        connect.add(stats.connect.getIntervalHistogram());
        return connect.copy();
    }

    synchronized List<Map<String, Object>> series() {
        return new ArrayList<>(series);
    }
}
