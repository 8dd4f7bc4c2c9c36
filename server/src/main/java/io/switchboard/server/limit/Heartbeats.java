package io.switchboard.server.limit;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeats of a node's long-lived connections (WebSocket sessions, SSE streams): one sweep per event
 * loop visits every connection of that loop a few times per heartbeat interval and lets each decide whether
 * a ping is due or the client has gone silent. Instead of a scheduled task per connection (a
 * {@code ScheduledFutureTask}, its lambda and a queue slot each, ~150 B), a connection costs one array slot
 * and the timestamps it keeps anyway.
 *
 * <p>A ping goes out between one interval and one interval plus a tick after the last write (the tick is
 * a tenth of the interval, 10 ms to 1 s). Each sweep and its members are confined to their event loop.
 */
public final class Heartbeats {
    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

    /** A connection with a heartbeat, visited on its event loop. */
    public interface Member {
        /**
         * Sends a heartbeat if one is due at {@code nowNanos}, or gives up on a silent client. Returns false
         * once the connection has ended: it is dropped from the sweep and never visited again.
         *
         * @param mayGiveUp false for an interval after the sweep itself ran late (the loop was starved): the
         *                  pings it owed went out late, so their answers cannot have come yet
         */
        boolean beat(long nowNanos, boolean mayGiveUp);
    }

    private final long tickNanos;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Map<EventLoop, Sweep> sweeps = new ConcurrentHashMap<>();

    /** @param interval the heartbeat interval; the sweeps tick at a tenth of it (10 ms to 1 s) */
    public Heartbeats(Duration interval) {
        this(interval, System::nanoTime);
    }

    /** @param nanoTime a monotonic clock (tests pass their own) */
    Heartbeats(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), interval.toNanos() / 10));
        this.nanoTime = nanoTime;
    }

    /** Adds {@code member} to the sweep of {@code loop}; call on that loop. It stays until its beat returns false. */
    public void add(EventLoop loop, Member member) {
        assert loop.inEventLoop();
        sweeps.computeIfAbsent(loop, Sweep::new).add(member);
    }

    /** Members now in the sweep of {@code loop} (for tests; call on that loop). */
    int size(EventLoop loop) {
        Sweep s = sweeps.get(loop);
        return s == null ? 0 : s.size;
    }

    /** Runs the sweep of {@code loop} once, now (for tests; call on that loop). */
    void sweepNow(EventLoop loop) {
        Sweep s = sweeps.get(loop);
        if (s != null) s.run();
    }

    /** The members of one event loop, in an array compacted as it is swept. */
    private final class Sweep implements Runnable {
        private final EventLoop loop;
        private Member[] members = new Member[16];
        private int size;
        private boolean scheduled;
        /** When the sweep last ran, to notice a starved loop. */
        private long lastRun;
        /** Until when nobody is given up on (after a late sweep). */
        private long graceUntil;

        Sweep(EventLoop loop) {
            this.loop = loop;
        }

        void add(Member member) {
            if (size == members.length) members = java.util.Arrays.copyOf(members, size * 2);
            members[size++] = member;
            if (!scheduled) {
                scheduled = true;
                lastRun = nanoTime.getAsLong();
                graceUntil = lastRun;
                loop.scheduleAtFixedRate(this, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void run() {
            long now = nanoTime.getAsLong();
            // Late by half an interval (a starved loop, a long GC pause): the pings owed went out late, so
            // clients get a whole interval to answer before anyone is given up on.
            if (now - lastRun > tickNanos + intervalNanos / 2) graceUntil = now + intervalNanos;
            lastRun = now;
            boolean mayGiveUp = now - graceUntil >= 0;
            int n = size; // a beat may add members (appended past n): they wait for the next sweep
            int kept = 0;
            for (int i = 0; i < n; i++) {
                Member m = members[i];
                members[i] = null;
                if (beat(m, now, mayGiveUp)) members[kept++] = m;
            }
            // Members added during the sweep move down behind the kept ones.
            for (int i = n; i < size; i++) {
                members[kept++] = members[i];
                members[i] = null;
            }
            size = kept;
            if (members.length > 64 && size < members.length / 4) members = java.util.Arrays.copyOf(members, members.length / 2);
        }

        private boolean beat(Member m, long now, boolean mayGiveUp) {
            try {
                return m.beat(now, mayGiveUp);
            } catch (RuntimeException e) {
                // One connection's failure must not stop the heartbeats of the others.
                log.warn("a heartbeat failed; dropping it: {}", e.toString());
                return false;
            }
        }
    }
}
