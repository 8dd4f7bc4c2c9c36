package io.switchboard.core.broker;

import java.time.Duration;

/**
 * How much history a channel keeps: at most {@code size} messages, none older than {@code maxAge}.
 * Defaults: 100 messages, 10 minutes.
 */
public record HistoryPolicy(int size, Duration maxAge) {
    public static final HistoryPolicy DEFAULT = new HistoryPolicy(100, Duration.ofMinutes(10));

    public HistoryPolicy {
        if (size < 0) throw new IllegalArgumentException("history size must be >= 0: " + size);
        if (maxAge == null || maxAge.isNegative()) throw new IllegalArgumentException("history age must be >= 0");
    }
}
