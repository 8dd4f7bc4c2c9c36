package io.switchboard.server.ws;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A session's heartbeat (PROTOCOL.md): after {@code interval} without a write, the session sends a ping;
 * after twice {@code interval} without anything read (a frame, a pong), it is closed with {@code 4408}.
 *
 * <p>One timer per session on the session's event loop, re-armed for the nearest deadline, so an idle
 * session costs one scheduled task and a busy one one {@code nanoTime} read per frame. Confined to
 * that loop.
 */
final class Heartbeat implements Runnable {
    /** What the heartbeat asks of its session. */
    interface Target {
        /** Write silence reached the interval: send a ping (which counts as a write). */
        void sendHeartbeat();

        /** Nothing was read for two intervals. */
        void heartbeatTimedOut();
    }

    private final EventLoop loop;
    private final long interval;
    private final LongSupplier nanoTime;
    private final Target target;
    private long lastRead;
    private long lastWrite;
    private ScheduledFuture<?> timer;
    private boolean stopped;

    /** @param nanoTime a monotonic clock ({@code System::nanoTime}; tests pass their own) */
    Heartbeat(EventLoop loop, Duration interval, LongSupplier nanoTime, Target target) {
        this.loop = loop;
        this.interval = interval.toNanos();
        this.nanoTime = nanoTime;
        this.target = target;
    }

    void start() {
        long now = nanoTime.getAsLong();
        lastRead = now;
        lastWrite = now;
        arm(interval);
    }

    /** Something arrived from the client. */
    void read() {
        lastRead = nanoTime.getAsLong();
    }

    /** Something was written to the client. */
    void wrote() {
        lastWrite = nanoTime.getAsLong();
    }

    /** Something was written to the client at {@code now} (a batch's clock read, shared by its writes). */
    void wrote(long now) {
        lastWrite = now;
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void run() {
        timer = null;
        if (stopped) return;
        long now = nanoTime.getAsLong();
        if (now - lastRead >= 2 * interval) {
            stopped = true;
            target.heartbeatTimedOut();
            return;
        }
        if (now - lastWrite >= interval) {
            target.sendHeartbeat();
            lastWrite = now;
        }
        if (stopped) return;
        long next = Math.min(lastWrite + interval, lastRead + 2 * interval) - now;
        arm(Math.max(next, TimeUnit.MILLISECONDS.toNanos(1)));
    }

    private void arm(long delayNanos) {
        timer = loop.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }
}
