package io.switchboard.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios of issue #5, in their full sizes and in the short sizes of {@code bench/run --short}
 * (a quick check, not figures to publish).
 */
final class Catalog {
    static final List<String> NAMES = List.of("idle-ws", "idle-sse", "broadcast", "channels", "longpoll", "mix");

    private Catalog() {}

    static Scenario scenario(String name, boolean quick) {
        int payload = 100;
        return switch (name) {
            case "idle-ws" -> new Scenario(name, List.of(Door.WS), quick ? 1000 : 19_000, 1, 1, List.of(), 0,
                    false, 0, true, payload, 0);
            case "idle-sse" -> new Scenario(name, List.of(Door.SSE), quick ? 1000 : 19_000, 1, 1, List.of(), 0,
                    false, 0, true, payload, 0);
            case "broadcast" -> new Scenario(name, List.of(Door.WS), quick ? 1000 : 10_000, 1, 1,
                    quick ? List.of(20.0, 100.0, 400.0)
                            : List.of(10.0, 20.0, 50.0, 100.0, 150.0, 200.0, 300.0, 400.0, 600.0, 800.0, 1200.0, 2000.0),
                    quick ? 2 : 10, true, 100, false, payload, quick ? 2 : 10);
            case "channels" -> new Scenario(name, List.of(Door.WS), quick ? 1000 : 10_000, quick ? 1000 : 10_000, 4,
                    quick ? List.of(1000.0) : List.of(1000.0, 2000.0, 4000.0), quick ? 3 : 10, true, 100, false, payload, quick ? 2 : 10);
            case "longpoll" -> new Scenario(name, List.of(Door.LONGPOLL), quick ? 500 : 5_000, 1, 1,
                    quick ? List.of(10.0) : List.of(5.0, 10.0, 20.0, 50.0), quick ? 3 : 10, true, 100, false, payload, quick ? 2 : 10);
            case "mix" -> new Scenario(name, List.of(Door.values()), quick ? 800 : 4_000, 1, 1,
                    quick ? List.of(20.0) : List.of(20.0, 50.0, 100.0), quick ? 3 : 10, true, 100, false, payload, quick ? 2 : 10);
            default -> throw new IllegalArgumentException("unknown scenario: " + name + " (known: " + NAMES + ")");
        };
    }

    /** A scenario from command-line options (see {@link Main}). */
    static Scenario custom(java.util.Map<String, String> o) {
        List<Door> doors = java.util.Arrays.stream(o.getOrDefault("doors", "ws").split(",")).map(Door::of).toList();
        List<Double> rates = java.util.Arrays.stream(o.getOrDefault("rates", "100").split(",")).map(Double::valueOf).toList();
        return new Scenario("custom", doors, Integer.parseInt(o.getOrDefault("connections", "100")),
                Integer.parseInt(o.getOrDefault("channels", "1")), Integer.parseInt(o.getOrDefault("publishers", "1")),
                rates, Integer.parseInt(o.getOrDefault("step-seconds", "5")), Boolean.parseBoolean(o.getOrDefault("rising", "false")),
                100, Boolean.parseBoolean(o.getOrDefault("idle", "false")), Integer.parseInt(o.getOrDefault("payload", "100")),
                Integer.parseInt(o.getOrDefault("warm-seconds", "0")));
    }

    /** The scenario with only the doors {@code target} has; null when it has none of them. */
    static Scenario forTarget(Scenario s, Target target) {
        List<Door> doors = new ArrayList<>(s.doors());
        doors.retainAll(target.doors());
        if (doors.isEmpty()) return null;
        return s.withDoors(doors);
    }
}
