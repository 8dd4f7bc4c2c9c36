package io.switchboard.server.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One sweep per event loop: every member is visited with the sweep's clock until its beat says it ended. */
class HeartbeatsTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final AtomicLong now = new AtomicLong(1_000);
    private final Heartbeats heartbeats = new Heartbeats(Duration.ofSeconds(10), now::get);

    @AfterEach
    void finish() {
        assertThat(channel.finish()).isFalse();
    }

    /** A member that records its visits and ends after {@code beats} of them. */
    private static final class Recorder implements Heartbeats.Member {
        final List<Long> visits = new ArrayList<>();
        final List<Boolean> mayGiveUp = new ArrayList<>();
        final int beats;

        Recorder(int beats) {
            this.beats = beats;
        }

        @Override
        public boolean beat(long nowNanos, boolean giveUp) {
            visits.add(nowNanos);
            mayGiveUp.add(giveUp);
            return visits.size() < beats;
        }
    }

    @Test
    void visitsEveryMemberWithTheSweepsClockUntilItEnds() {
        Recorder once = new Recorder(1);
        Recorder thrice = new Recorder(3);
        heartbeats.add(channel.eventLoop(), once);
        heartbeats.add(channel.eventLoop(), thrice);
        for (int i = 0; i < 5; i++) {
            now.addAndGet(1_000);
            heartbeats.sweepNow(channel.eventLoop());
        }
        assertThat(once.visits).containsExactly(2_000L);
        assertThat(thrice.visits).containsExactly(2_000L, 3_000L, 4_000L);
        assertThat(heartbeats.size(channel.eventLoop())).isZero();
    }

    @Test
    void aMemberThatThrowsIsDroppedAndTheOthersKeepBeating() {
        Recorder steady = new Recorder(Integer.MAX_VALUE);
        heartbeats.add(channel.eventLoop(), (n, g) -> {
            throw new IllegalStateException("broken");
        });
        heartbeats.add(channel.eventLoop(), steady);
        heartbeats.sweepNow(channel.eventLoop());
        heartbeats.sweepNow(channel.eventLoop());
        assertThat(steady.visits).hasSize(2);
        assertThat(heartbeats.size(channel.eventLoop())).isEqualTo(1);
    }

    @Test
    void aMemberAddedDuringASweepIsVisitedFromTheNextOne() {
        Recorder late = new Recorder(Integer.MAX_VALUE);
        heartbeats.add(channel.eventLoop(), (n, g) -> {
            heartbeats.add(channel.eventLoop(), late);
            return false;
        });
        heartbeats.sweepNow(channel.eventLoop());
        assertThat(late.visits).isEmpty();
        assertThat(heartbeats.size(channel.eventLoop())).isEqualTo(1);
        heartbeats.sweepNow(channel.eventLoop());
        assertThat(late.visits).hasSize(1);
    }

    @Test
    void manyMembersComeAndGo() {
        List<Recorder> all = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Recorder r = new Recorder(1 + i % 3);
            all.add(r);
            heartbeats.add(channel.eventLoop(), r);
        }
        for (int i = 0; i < 3; i++) heartbeats.sweepNow(channel.eventLoop());
        assertThat(heartbeats.size(channel.eventLoop())).isZero();
        for (int i = 0; i < all.size(); i++) assertThat(all.get(i).visits).hasSize(1 + i % 3);
    }

    @Test
    void afterALateSweepNobodyIsGivenUpOnForAnInterval() {
        long second = 1_000_000_000L;
        Recorder r = new Recorder(Integer.MAX_VALUE);
        heartbeats.add(channel.eventLoop(), r);
        now.addAndGet(second); // on time (the tick is a tenth of the 10 s interval)
        heartbeats.sweepNow(channel.eventLoop());
        now.addAndGet(7 * second); // the loop was starved
        heartbeats.sweepNow(channel.eventLoop());
        for (int i = 0; i < 10; i++) {
            now.addAndGet(second);
            heartbeats.sweepNow(channel.eventLoop());
        }
        assertThat(r.mayGiveUp).containsExactly(true, false, false, false, false, false, false, false, false, false, false, true);
    }
}
