package io.switchboard.bench;

import java.util.List;

/**
 * One scenario: how many subscribers on which doors (connection i uses {@code doors[i % doors.size()]}),
 * on how many channels (connection i on channel {@code i % channels}), how many publishers, and the
 * publish-rate steps (total messages per second), each held {@code stepSeconds}. With {@code rising},
 * steps stop after two in a row whose p99 passed {@code p99LimitMs} (or whose publish rate fell short). {@code idle} scenarios publish nothing
 * but the warm-up and measure the server's memory per connection instead. Before the measured steps the
 * publishers run {@code warmSeconds} at the first rate, unmeasured (but checked for loss), so JIT-compiled
 * servers and the generator itself are measured warm, like the peers.
 */
public record Scenario(String name, List<Door> doors, int connections, int channels, int publishers,
                       List<Double> rates, int stepSeconds, boolean rising, double p99LimitMs,
                       boolean idle, int payloadBytes, int warmSeconds) {

    public Scenario {
        if (doors.isEmpty()) throw new IllegalArgumentException("a scenario needs a door");
        if (connections < 1 || channels < 1 || publishers < 1) throw new IllegalArgumentException("counts must be ≥ 1");
        doors = List.copyOf(doors);
        rates = List.copyOf(rates);
    }

    public Door door(int connection) {
        return doors.get(connection % doors.size());
    }

    public Scenario withDoors(List<Door> v) {
        return new Scenario(name, v, connections, channels, publishers, rates, stepSeconds, rising, p99LimitMs, idle, payloadBytes, warmSeconds);
    }

    public Scenario withName(String v) {
        return new Scenario(v, doors, connections, channels, publishers, rates, stepSeconds, rising, p99LimitMs, idle, payloadBytes, warmSeconds);
    }

    /** The doors' keys joined by '+', e.g. {@code ws+sse}. */
    public String doorsKey() {
        return String.join("+", doors.stream().map(Door::key).toList());
    }
}
