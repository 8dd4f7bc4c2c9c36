package io.switchboard.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * A latency recorder written by several event loops without sharing a cache line: each writing thread
 * records into its own {@link SingleWriterRecorder} (no atomic read-modify-write per value), and the
 * reader merges their interval histograms. One shared {@code Recorder} made every delivery contend on its
 * phaser and bucket counters across the generator's threads, a cost paid per message received.
 */
final class PerThreadRecorder {
    private final int digits;
    private final List<SingleWriterRecorder> all = new CopyOnWriteArrayList<>();
    private final ThreadLocal<SingleWriterRecorder> mine = ThreadLocal.withInitial(this::register);

    PerThreadRecorder(int significantDigits) {
        this.digits = significantDigits;
    }

    private SingleWriterRecorder register() {
        SingleWriterRecorder r = new SingleWriterRecorder(digits);
        all.add(r);
        return r;
    }

    /** Records {@code value} in the calling thread's recorder. */
    void recordValue(long value) {
        mine.get().recordValue(value);
    }

    /** Everything recorded since the last call, all threads together (a new histogram the caller owns). */
    Histogram getIntervalHistogram() {
        Histogram sum = Stats.newHistogram();
        for (SingleWriterRecorder r : all) sum.add(r.getIntervalHistogram());
        return sum;
    }
}
