package io.switchboard.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;

/**
 * Makes Netty's buffer leak reports visible to tests. Netty's {@link ResourceLeakDetector} only logs a
 * leak, when the leaked buffer happens to be garbage collected and a later allocation happens to poll the
 * detector: a test passes anyway. A watch listens to the ByteBuf detector, forces that detection on demand,
 * and lets a test fail on what it found:
 *
 * <pre>{@code
 * LeakWatch leaks = LeakWatch.start();   // before the test's server starts
 * ...                                    // the test, with the server stopped at the end
 * leaks.assertNoLeaks();
 * }</pre>
 *
 * <p>Leak detection is set to {@code PARANOID} (every buffer tracked; the build's surefire argLine does the
 * same). Reports are global to the JVM, so a watch only counts those that arrive after it started; starting
 * first flushes the garbage of earlier tests, whose leaks are theirs.
 *
 * <p>How detection is forced without guessing at timing: a <em>canary</em> (an object tracked by a private
 * detector and dropped without being closed) is collected by the same full GC that collects any leaked
 * buffer, and the JVM's reference handler queues both. Once the canary has been reported, a second canary
 * round guarantees the first GC's references are all queued, and one more allocation makes the ByteBuf
 * detector drain its queue, which calls the listener on this thread.
 */
public final class LeakWatch {
    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
    private static final Canaries CANARIES = new Canaries();
    private static boolean installed;

    private final int start;

    private LeakWatch(int start) {
        this.start = start;
    }

    /** Installs the listener (once per JVM), flushes earlier garbage, and starts watching from now. */
    public static synchronized LeakWatch start() {
        install();
        forceDetection();
        return new LeakWatch(REPORTS.size());
    }

    /** The leaks reported since this watch started, after forcing detection; each is the detector's report. */
    public List<String> leaks() {
        forceDetection();
        List<String> all = List.copyOf(REPORTS);
        return all.subList(Math.min(start, all.size()), all.size());
    }

    /** Fails with the reports (allocation and access traces) when any buffer leaked since the watch started. */
    public void assertNoLeaks() {
        List<String> leaks = leaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) reported by Netty:\n" + String.join("\n----\n", leaks));
        }
    }

    private static void install() {
        if (installed) return;
        // Netty calls the listener only when it would log the leak, at ERROR.
        if (!InternalLoggerFactory.getInstance(ResourceLeakDetector.class).isErrorEnabled()) {
            throw new IllegalStateException("ERROR logging is off for " + ResourceLeakDetector.class.getName()
                    + ": Netty would not report leaks; enable it in the test logging setup");
        }
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        byteBufDetector().setLeakListener((type, records) -> REPORTS.add(type + " leaked:\n" + records));
        installed = true;
    }

    /**
     * Netty's one detector for every ByteBuf, {@code AbstractByteBuf.leakDetector}: package-private, so
     * reached by reflection (it is created when the class loads, usually long before a test runs, so a
     * custom {@code ResourceLeakDetectorFactory} would come too late).
     */
    @SuppressWarnings("unchecked")
    private static ResourceLeakDetector<ByteBuf> byteBufDetector() {
        try {
            Class<?> abstractByteBuf = Class.forName("io.netty.buffer.AbstractByteBuf");
            Field f = abstractByteBuf.getDeclaredField("leakDetector");
            f.setAccessible(true);
            return (ResourceLeakDetector<ByteBuf>) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Netty version has no AbstractByteBuf.leakDetector to listen to", e);
        }
    }

    /** Collects garbage until every buffer unreachable before this call has been seen by the ByteBuf detector. */
    private static synchronized void forceDetection() {
        for (int round = 0; round < 2; round++) CANARIES.awaitOne();
        // The ByteBuf detector polls its reference queue whenever it tracks a new buffer (PARANOID: always).
        PooledByteBufAllocator.DEFAULT.heapBuffer(1).release();
        PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
    }

    /** A private detector of dropped canaries; reports nothing to the log. */
    private static final class Canaries extends ResourceLeakDetector<Object> {
        private final AtomicLong dropped = new AtomicLong();
        private final AtomicLong seen = new AtomicLong();

        Canaries() {
            super(Canaries.class, 1);
            setLeakListener((type, records) -> seen.incrementAndGet());
        }

        /** Drops one canary and collects garbage until it is reported. */
        void awaitOne() {
            long target = seen.get() + 1;
            drop();
            Awaitility.await("a garbage-collected canary").atMost(Duration.ofSeconds(20))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        System.gc();
                        Object poke = new Object();
                        track(poke).close(poke); // tracking polls the queue; a closed tracker is no leak
                        return seen.get() >= target;
                    });
        }

        private void drop() {
            ResourceLeakTracker<Object> canary = track(new Object());
            // Distinct records each time: the detector reports a given trace only once.
            canary.record("canary " + dropped.incrementAndGet());
        }

        @Override
        protected boolean needReport() {
            return true; // the listener must hear of every canary, whatever the log level
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            // a canary is expected to "leak": nothing to log
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            // a canary is expected to "leak": nothing to log
        }
    }
}
