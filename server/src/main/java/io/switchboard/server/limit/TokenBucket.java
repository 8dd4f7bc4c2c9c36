package io.switchboard.server.limit;

/**
 * A token bucket: {@code rate} tokens a second, at most {@code burst} saved up. A rate of 0 means no limit.
 * Reads the clock only when asked, so an idle bucket costs nothing. Not thread-safe: a connection's
 * bucket is confined to its event loop; shared ones are guarded by their owner.
 */
public final class TokenBucket {
    /** Units of one token. */
    static final long NANOS = 1_000_000_000L;

    private final long rate;
    private final long burst;
    /** Tokens, in units of 1/rate nanoseconds-worth: {@code NANOS} units make one token. */
    private long units;
    private long last;

    public TokenBucket(int rate, int burst, long nowNanos) {
        this.rate = rate;
        this.burst = burst(rate, burst);
        this.units = this.burst * NANOS;
        this.last = nowNanos;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowNanos) {
        if (rate == 0) return true;
        refill(nowNanos);
        if (units < NANOS) return false;
        units -= NANOS;
        return true;
    }

    /** True when the bucket is full again: it holds no memory worth keeping. */
    public boolean full(long nowNanos) {
        if (rate == 0) return true;
        refill(nowNanos);
        return units >= burst * NANOS;
    }

    private void refill(long now) {
        long elapsed = now - last;
        if (elapsed <= 0) return;
        last = now;
        units = refilled(units, elapsed, rate, burst);
    }

    /** The burst a bucket of {@code rate} really allows: at least one token when there is a rate. */
    static long burst(long rate, long burst) {
        return Math.max(burst, rate > 0 ? 1 : 0);
    }

    /**
     * The units a bucket holds {@code elapsed} (> 0) nanoseconds after it held {@code units}: the one rule,
     * shared with buckets kept as plain fields of their owner ({@link ConnectionGuard}: no object each).
     */
    static long refilled(long units, long elapsed, long rate, long burst) {
        long max = burst * NANOS;
        // Past max / rate the bucket is full whatever it held; below it elapsed * rate cannot overflow.
        return elapsed >= max / rate ? max : Math.min(max, units + elapsed * rate);
    }
}
