package io.switchboard.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The heartbeat's decisions on a fake clock: ping after write silence, give up after two silent intervals. */
class HeartbeatTest {
    private static final long SECOND = 1_000_000_000L;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final AtomicLong now = new AtomicLong();
    private int pings;
    private int timeouts;
    private final Heartbeat heartbeat = new Heartbeat(channel.eventLoop(), Duration.ofSeconds(10), now::get,
            new Heartbeat.Target() {
                @Override
                public void sendHeartbeat() {
                    pings++;
                }

                @Override
                public void heartbeatTimedOut() {
                    timeouts++;
                }
            });

    @AfterEach
    void finish() {
        heartbeat.stop();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void pingsAfterAnIntervalOfWriteSilence() {
        heartbeat.start();
        at(9);
        heartbeat.run();
        assertThat(pings).isZero();
        at(10);
        heartbeat.run();
        assertThat(pings).isEqualTo(1);
        // The ping counts as a write: the next one is due an interval later.
        heartbeat.read();
        at(15);
        heartbeat.run();
        assertThat(pings).isEqualTo(1);
    }

    @Test
    void writesPutThePingOff() {
        heartbeat.start();
        at(8);
        heartbeat.wrote();
        heartbeat.read();
        at(12);
        heartbeat.run();
        assertThat(pings).isZero();
        at(18);
        heartbeat.run();
        assertThat(pings).isEqualTo(1);
    }

    @Test
    void timesOutAfterTwoIntervalsWithoutReading() {
        heartbeat.start();
        at(10);
        heartbeat.run();
        at(12);
        heartbeat.read();
        at(31);
        heartbeat.run();
        assertThat(timeouts).isZero();
        at(32);
        heartbeat.run();
        assertThat(timeouts).isEqualTo(1);
        // Once timed out it stays quiet.
        at(100);
        heartbeat.run();
        assertThat(timeouts).isEqualTo(1);
        assertThat(pings).isEqualTo(2);
    }

    @Test
    void aStoppedHeartbeatDoesNothing() {
        heartbeat.start();
        heartbeat.stop();
        at(100);
        heartbeat.run();
        assertThat(pings).isZero();
        assertThat(timeouts).isZero();
    }

    private void at(long seconds) {
        now.set(seconds * SECOND);
    }
}
