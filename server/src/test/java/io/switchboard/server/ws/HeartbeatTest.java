package io.switchboard.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.ws.Heartbeat.Due;
import org.junit.jupiter.api.Test;

/** The heartbeat rule on plain numbers: ping after write silence, give up after two silent intervals. */
class HeartbeatTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long INTERVAL = 10 * SECOND;

    /** What is due at {@code now}, all in seconds, with a 10 s interval; {@code mayGiveUp} as a sweep on time passes it. */
    private static Due due(long now, long lastRead, long lastWrite, boolean mayGiveUp) {
        return Heartbeat.due(now * SECOND, lastRead * SECOND, lastWrite * SECOND, INTERVAL, mayGiveUp);
    }

    @Test
    void pingsAfterAnIntervalOfWriteSilence() {
        assertThat(due(9, 0, 0, true)).isEqualTo(Due.NOTHING);
        assertThat(due(10, 0, 0, true)).isEqualTo(Due.PING);
        // The ping counts as a write: the next one is due an interval later.
        assertThat(due(15, 12, 10, true)).isEqualTo(Due.NOTHING);
        assertThat(due(20, 12, 10, true)).isEqualTo(Due.PING);
    }

    @Test
    void writesPutThePingOff() {
        assertThat(due(12, 8, 8, true)).isEqualTo(Due.NOTHING);
        assertThat(due(18, 8, 8, true)).isEqualTo(Due.PING);
    }

    @Test
    void timesOutAfterTwoIntervalsWithoutReading() {
        assertThat(due(31, 12, 30, true)).isEqualTo(Due.NOTHING);
        assertThat(due(32, 12, 30, true)).isEqualTo(Due.TIMED_OUT);
        // The timeout wins over a ping that is also due.
        assertThat(due(40, 12, 12, true)).isEqualTo(Due.TIMED_OUT);
    }

    @Test
    void rightAfterAStarvedSweepNobodyIsGivenUpOnButThePingGoesOut() {
        assertThat(due(40, 12, 12, false)).isEqualTo(Due.PING);
        assertThat(due(40, 12, 35, false)).isEqualTo(Due.NOTHING);
    }
}
