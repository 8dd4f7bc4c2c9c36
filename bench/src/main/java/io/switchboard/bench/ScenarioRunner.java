package io.switchboard.bench;

import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs one scenario against one target: connect the subscribers, warm up until every one of them has
 * received a message (proof its subscription is live), then publish step by step, drain, count loss,
 * duplicates and reordering per connection, close everything. Returns the result as a JSON-ready map.
 */
final class ScenarioRunner {
    private static final long CONNECT_TIMEOUT_MS = 120_000;
    private static final long WARMUP_TIMEOUT_MS = 30_000;

    private final EventLoopGroup group;
    private final Target target;
    private final SourceAddresses sources;
    private final ServerProbe probe; // null: no memory figures

    ScenarioRunner(EventLoopGroup group, Target target, SourceAddresses sources, ServerProbe probe) {
        this.group = group;
        this.target = target;
        this.sources = sources;
        this.probe = probe;
    }

    Map<String, Object> run(Scenario s, String runId) throws Exception {
        Stats stats = new Stats();
        String label = target.name() + " " + s.name();
        Meter meter = new Meter(stats, label);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(meter::tick, 1, 1, TimeUnit.SECONDS);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("target", target.name());
        result.put("scenario", s.name());
        result.put("doors", s.doorsKey());
        result.put("connections", s.connections());
        result.put("channels", s.channels());
        result.put("publishers", s.publishers());
        result.put("payloadBytes", s.payloadBytes());
        result.put("loadAverageAtStart", loadAverage()); // other work on the machine shows here
        String[] names = new String[s.channels()];
        for (int c = 0; c < names.length; c++) names[c] = runId + "-" + s.name() + "-" + c;

        Map<String, Object> memory = new LinkedHashMap<>();
        if (s.idle() && probe != null) {
            memory.put("heapBeforeBytes", probe.heapAfterGc());
            memory.put("rssBeforeBytes", probe.rss());
        }
        sources.skipToNextAddress();
        Subscribers subs = new Subscribers(group, target, stats, sources);
        List<Publisher> publishers = new ArrayList<>();
        // Publishers get a thread of their own, as a backend publishing to a realtime server is its own
        // process: on the subscribers' threads a publish would wait behind thousands of deliveries being
        // read, and the generator, not the server, would set the publish rate.
        EventLoopGroup publishGroup = Net.group(1, "bench-publish");
        try {
            meter.phase("connect", s.connections());
            List<Conn> conns = new ArrayList<>();
            for (int i = 0; i < s.connections(); i++) {
                int c = i % s.channels();
                conns.add(new Conn(i, c, names[c], s.door(i), s.publishers(), stats));
            }
            long t0 = System.nanoTime();
            subs.open(conns, CONNECT_TIMEOUT_MS);
            result.put("connectSeconds", (System.nanoTime() - t0) / 1e9);

            for (int p = 0; p < s.publishers(); p++) {
                publishers.add(new Publisher(p, target, names, own(p, s), s.payloadBytes(), stats));
            }
            for (Publisher p : publishers) p.connect(publishGroup).get(10, TimeUnit.SECONDS);

            meter.phase("warmup", s.connections());
            long warmupEnd = System.currentTimeMillis() + WARMUP_TIMEOUT_MS;
            while (stats.ready.get() < stats.connected.get() && System.currentTimeMillis() < warmupEnd) {
                CompletableFuture.allOf(publishers.stream().map(Publisher::warmup).toArray(CompletableFuture[]::new))
                        .get(WARMUP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                waitFor(() -> stats.ready.get() >= stats.connected.get(), 250);
            }
            result.put("connected", stats.connected.get());
            result.put("ready", stats.ready.get());
            result.put("connect", Report.percentiles(meter.connectHistogram(), false));

            if (s.idle()) {
                if (probe != null) {
                    long heap = probe.heapAfterGc();
                    long rss = probe.rss();
                    long n = Math.max(1, stats.ready.get());
                    memory.put("heapAfterBytes", heap);
                    memory.put("rssAfterBytes", rss);
                    if (heap >= 0) memory.put("heapPerConnectionBytes", (heap - (long) memory.get("heapBeforeBytes")) / n);
                    memory.put("rssPerConnectionBytes", (rss - (long) memory.get("rssBeforeBytes")) / n);
                    memory.put("jvm", probe.jvm());
                }
                result.put("memory", memory);
            } else {
                result.put("steps", steps(s, stats, meter, publishers));
            }

            meter.phase("drain", s.connections());
            long expected = expected(subs.conns(), publishers);
            waitForProgress(() -> stats.deliveries.sum() >= expected, stats, 3_000, 30_000);
            // Closing goes through every connection's event loop, so the counts read below are current.
            meter.phase("close", 0);
            for (Publisher p : publishers) p.close();
            subs.closeAll(30_000);
            long lost = 0, dup = 0, reordered = 0, received = 0, afterCut = 0;
            int lossy = 0, cut = 0;
            for (Conn conn : subs.conns()) {
                if (!conn.ready) continue;
                long[] sent = sentTo(conn.channel, publishers);
                long l = conn.checker.lost(sent);
                if (conn.closedByServer) {
                    // Closed by the server (e.g. cut as a slow consumer): what was sent after the cut is not a
                    // loss of the server's (a client resumes from its position); gaps before it still are.
                    long tail = conn.checker.missingAtTheEnd(sent);
                    l -= tail;
                    afterCut += tail;
                    cut++;
                }
                lost += l;
                dup += conn.checker.duplicated();
                reordered += conn.checker.reordered();
                received += conn.checker.received();
                if (l > 0 || conn.checker.duplicated() > 0 || conn.checker.reordered() > 0) lossy++;
            }
            result.put("published", stats.published.sum());
            result.put("expectedDeliveries", expected);
            result.put("received", received);
            result.put("lost", lost);
            result.put("closedByServer", cut);
            result.put("notReceivedAfterClose", afterCut);
            result.put("duplicated", dup);
            result.put("reordered", reordered);
            result.put("connectionsWithFaults", lossy);
            result.put("polls", stats.polls.sum());
        } finally {
            for (Publisher p : publishers) p.close();
            publishGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            subs.closeAll(30_000);
            ticker.shutdownNow();
        }
        result.put("failedConnections", stats.failed.get());
        result.put("errors", stats.errors());
        result.put("series", meter.series());
        return result;
    }

    private List<Map<String, Object>> steps(Scenario s, Stats stats, Meter meter, List<Publisher> publishers)
            throws Exception {
        List<Map<String, Object>> steps = new ArrayList<>();
        if (s.warmSeconds() > 0 && !s.rates().isEmpty()) {
            meter.phase("warm", s.connections());
            for (Publisher p : publishers) p.start(s.rates().get(0) / s.publishers());
            Thread.sleep(s.warmSeconds() * 1000L);
            CompletableFuture.allOf(publishers.stream().map(Publisher::stop).toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
            waitForProgress(() -> false, stats, 500, 10_000);
        }
        int misses = 0;
        for (double rate : s.rates()) {
            meter.phase("rate " + (long) rate, s.connections());
            meter.resetStep();
            long d0 = stats.deliveries.sum();
            long p0 = stats.published.sum();
            long t0 = System.nanoTime();
            double serverCpu0 = probe == null ? 0 : probe.cpuSeconds();
            long selfCpu0 = selfCpuNanos();
            for (Publisher p : publishers) p.start(rate / s.publishers());
            Thread.sleep(s.stepSeconds() * 1000L);
            CompletableFuture.allOf(publishers.stream().map(Publisher::stop).toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double serverCores = probe == null ? -1 : (probe.cpuSeconds() - serverCpu0) / seconds;
            double generatorCores = (selfCpuNanos() - selfCpu0) / 1e9 / seconds;
            // Let the step's last messages arrive before closing its histogram.
            long expected = stats.published.sum() - p0;
            long perMessage = Math.max(1, stats.ready.get() / s.channels());
            waitForProgress(() -> stats.deliveries.sum() - d0 >= expected * perMessage, stats, 1_000, 10_000);
            Histogram[] h = meter.endStep();
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("rate", rate);
            double achieved = expected / seconds;
            step.put("publishedPerSecond", achieved);
            double deliveriesPerSecond = (stats.deliveries.sum() - d0) / seconds;
            step.put("deliveriesPerSecond", deliveriesPerSecond);
            step.put("latency", Report.percentiles(h[0], true));
            step.put("rawLatency", Report.percentiles(h[1], false));
            long maxLag = publishers.stream().mapToLong(Publisher::maxLagNanos).max().orElse(0);
            step.put("publisherMaxLagMs", maxLag / 1e6);
            if (serverCores >= 0) step.put("serverCpuCores", Math.round(serverCores * 100) / 100.0);
            step.put("generatorCpuCores", Math.round(generatorCores * 100) / 100.0);
            double p99 = h[0].getTotalCount() == 0 ? 0 : h[0].getValueAtPercentile(99) / 1000.0;
            boolean sustained = p99 <= s.p99LimitMs() && achieved >= 0.9 * rate && h[0].getTotalCount() > 0;
            step.put("sustained", sustained);
            steps.add(step);
            // Two unsustained steps in a row end a rising scenario: one can be a hiccup of a shared machine.
            misses = sustained ? 0 : misses + 1;
            if (s.rising() && misses >= 2) break;
        }
        return steps;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static long selfCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The channels publisher {@code p} publishes to: its share when there are enough channels, else all. */
    private static int[] own(int p, Scenario s) {
        if (s.channels() < s.publishers()) {
            int[] all = new int[s.channels()];
            for (int c = 0; c < all.length; c++) all[c] = c;
            return all;
        }
        List<Integer> mine = new ArrayList<>();
        for (int c = p; c < s.channels(); c += s.publishers()) mine.add(c);
        return mine.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long[] sentTo(int channel, List<Publisher> publishers) {
        long[] sent = new long[publishers.size()];
        for (int p = 0; p < sent.length; p++) sent[p] = publishers.get(p).sent()[channel];
        return sent;
    }

    private static long expected(List<Conn> conns, List<Publisher> publishers) {
        long total = 0;
        for (Conn conn : conns) {
            if (!conn.ready) continue;
            for (long n : sentTo(conn.channel, publishers)) total += n;
        }
        return total;
    }

    private static void waitFor(java.util.function.BooleanSupplier done, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!done.getAsBoolean() && System.currentTimeMillis() < end) Thread.sleep(10);
    }

    /** Waits until {@code done}, or until deliveries stop moving for {@code quietMs}, or {@code maxMs}. */
    private static void waitForProgress(java.util.function.BooleanSupplier done, Stats stats, long quietMs, long maxMs)
            throws InterruptedException {
        long last = -1;
        long quietSince = System.currentTimeMillis();
        long end = quietSince + maxMs;
        while (!done.getAsBoolean() && System.currentTimeMillis() < end) {
            long now = stats.deliveries.sum() + stats.duplicates.sum();
            if (now != last) {
                last = now;
                quietSince = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - quietSince >= quietMs) {
                return;
            }
            Thread.sleep(20);
        }
    }
}
