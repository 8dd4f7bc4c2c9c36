package io.switchboard.core.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Clock} that stands still until the test moves it, so age-based behaviour is tested without sleeps. */
public final class FakeClock implements Clock {
    private final AtomicLong now;

    public FakeClock(long startMillis) {
        this.now = new AtomicLong(startMillis);
    }

    public FakeClock() {
        this(1_764_000_000_000L);
    }

    @Override
    public long millis() {
        return now.get();
    }

    /** Moves time forward by {@code d}. */
    public void advance(Duration d) {
        now.addAndGet(d.toMillis());
    }
}
