package io.switchboard.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.ws.Heartbeat.Due;
import org.junit.jupiter.api.Test;

/** The heartbeat rule on plain numbers: ping after write silence, give up after two silent intervals. */
class HeartbeatTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long INTERVAL = 10 * SECOND;

    @Test
    void pingsAfterAnIntervalOfWriteSilence() {
        assertThat(Heartbeat.due(9 * SECOND, 0, 0, INTERVAL, true)).isEqualTo(Due.NOTHING);
        assertThat(Heartbeat.due(10 * SECOND, 0, 0, INTERVAL, true)).isEqualTo(Due.PING);
        // The ping counts as a write: the next one is due an interval later.
        assertThat(Heartbeat.due(15 * SECOND, 12 * SECOND, 10 * SECOND, INTERVAL, true)).isEqualTo(Due.NOTHING);
        assertThat(Heartbeat.due(20 * SECOND, 12 * SECOND, 10 * SECOND, INTERVAL, true)).isEqualTo(Due.PING);
    }

    @Test
    void writesPutThePingOff() {
        assertThat(Heartbeat.due(12 * SECOND, 8 * SECOND, 8 * SECOND, INTERVAL, true)).isEqualTo(Due.NOTHING);
        assertThat(Heartbeat.due(18 * SECOND, 8 * SECOND, 8 * SECOND, INTERVAL, true)).isEqualTo(Due.PING);
    }

    @Test
    void timesOutAfterTwoIntervalsWithoutReading() {
        assertThat(Heartbeat.due(31 * SECOND, 12 * SECOND, 30 * SECOND, INTERVAL, true)).isEqualTo(Due.NOTHING);
        assertThat(Heartbeat.due(32 * SECOND, 12 * SECOND, 30 * SECOND, INTERVAL, true)).isEqualTo(Due.TIMED_OUT);
        // The timeout wins over a ping that is also due.
        assertThat(Heartbeat.due(40 * SECOND, 12 * SECOND, 12 * SECOND, INTERVAL, true)).isEqualTo(Due.TIMED_OUT);
    }

    @Test
    void rightAfterAStarvedSweepNobodyIsGivenUpOnButThePingGoesOut() {
        assertThat(Heartbeat.due(40 * SECOND, 12 * SECOND, 12 * SECOND, INTERVAL, false)).isEqualTo(Due.PING);
        assertThat(Heartbeat.due(40 * SECOND, 12 * SECOND, 35 * SECOND, INTERVAL, false)).isEqualTo(Due.NOTHING);
    }
}
