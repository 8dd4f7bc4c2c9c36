package io.switchboard.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import io.switchboard.core.message.WireFormat;
import io.switchboard.server.loop.LoopDelivery;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The server's numbers, exposed at {@code /metrics} in Prometheus text. Every refusal a client gets is
 * counted here by door and code, so bad input is visible to operators.
 */
public final class Metrics implements LoopDelivery.DeliveryMeter {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final Counter published;
    private final Counter delivered;
    private final Counter idleClosed;
    private final Timer publishToWrite;

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Netty's pooled direct memory is allocated past the JDK's buffer-pool accounting: its own numbers.
        Gauge.builder("switchboard.netty.direct.used", () -> PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory())
                .description("direct memory held by Netty's pooled allocator").baseUnit("bytes").register(registry);
        Gauge.builder("switchboard.netty.direct.total", PlatformDependent::usedDirectMemory)
                .description("direct memory Netty has reserved in all (-1 when not counted)").baseUnit("bytes").register(registry);
        publishToWrite = Timer.builder("switchboard.publish.to.write")
                .description("from a message's arrival on this node (its publish, or the broker) to its fan-out being written to sockets")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(20_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        published = Counter.builder("switchboard.messages.published").description("messages accepted for publishing")
                .register(registry);
        delivered = Counter.builder("switchboard.messages.delivered").description("messages written to subscribers")
                .register(registry);
        idleClosed = Counter.builder("switchboard.connections.idle.closed")
                .description("connections closed after the idle timeout with nothing read or written").register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Counts one refusal given on {@code door} ("ws", "sse", "api", "http") with status {@code code}. */
    public void error(String door, int code) {
        errors.computeIfAbsent(door + "/" + code, k -> Counter.builder("switchboard.errors")
                .description("refusals and error frames sent to clients")
                .tag("door", door).tag("code", Integer.toString(code)).register(registry)).increment();
    }

    /** How many refusals were counted for {@code door} and {@code code} (for tests and the admin page). */
    public double errorCount(String door, int code) {
        Counter c = errors.get(door + "/" + code);
        return c == null ? 0 : c.count();
    }

    /** The live connection gauge of {@code door}. */
    public AtomicInteger connections(String door) {
        return connections.computeIfAbsent(door, d -> {
            AtomicInteger n = new AtomicInteger();
            Gauge.builder("switchboard.connections", n, AtomicInteger::get).description("open connections")
                    .tag("door", d).register(registry);
            return n;
        });
    }

    @Override
    public void publishToWrite(long nanos) {
        publishToWrite.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Exposes bytes read from and written to clients, as on the wire (TLS included), summed when scraped. */
    public void traffic(LongSupplier in, LongSupplier out) {
        FunctionCounter.builder("switchboard.received", in, LongSupplier::getAsLong).baseUnit("bytes")
                .description("bytes read from clients, as on the wire (TLS included)").register(registry);
        FunctionCounter.builder("switchboard.sent", out, LongSupplier::getAsLong).baseUnit("bytes")
                .description("bytes written to clients, as on the wire (TLS included)").register(registry);
    }

    /** Exposes the Hub's channel and subscription counts on this node (computed when scraped). */
    public void hub(Supplier<java.util.Map<String, Integer>> channels) {
        Gauge.builder("switchboard.channels", () -> channels.get().size())
                .description("channels with at least one subscriber on this node").register(registry);
        Gauge.builder("switchboard.subscriptions", () -> channels.get().values().stream().mapToInt(Integer::intValue).sum())
                .description("subscriptions on this node, all doors").register(registry);
    }

    /** A new connection was refused by a connection limit, answered with {@code status}. */
    public void refused(int status) {
        error("http", status);
        Counter.builder("switchboard.connections.refused").description("connections refused by a connection limit")
                .tag("code", Integer.toString(status)).register(registry).increment();
    }

    /** A slow client's session was cut past its outbound bound ({@code 4409} or an {@code error} item 409). */
    public void slowCut(String door) {
        Counter.builder("switchboard.slow.cuts").description("sessions cut for reading too slowly")
                .tag("door", door).register(registry).increment();
    }

    /** An older message of a latest-value channel was dropped for a newer one, for a slow client. */
    public void skipped(String door) {
        Counter.builder("switchboard.slow.skipped").description("latest-value messages replaced before a slow client got them")
                .tag("door", door).register(registry).increment();
    }

    /** A connection was closed for being idle. */
    public void idleClosed() {
        idleClosed.increment();
    }

    public void published() {
        published.increment();
    }

    @Override
    public void delivered(int n) {
        delivered.increment(n);
    }

    /** Exposes how often {@code format} serialized a message (one per message when caching works). */
    public void encodings(WireFormat format) {
        Gauge.builder("switchboard.encodings", format, f -> (double) f.encodings())
                .description("messages serialized per wire format").tag("format", format.name()).register(registry);
    }

    public Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }
}
