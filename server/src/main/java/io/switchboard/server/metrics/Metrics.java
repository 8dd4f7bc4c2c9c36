package io.switchboard.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.core.message.WireFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The server's numbers, exposed at {@code /metrics} in Prometheus text. Every refusal a client gets is
 * counted here by door and code, so bad input is visible to operators.
 */
public final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final Counter published;
    private final Counter delivered;

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        published = Counter.builder("switchboard.messages.published").description("messages accepted for publishing")
                .register(registry);
        delivered = Counter.builder("switchboard.messages.delivered").description("messages written to subscribers")
                .register(registry);
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

    public void published() {
        published.increment();
    }

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
