package io.switchboard.core.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.message.Position;
import io.switchboard.core.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Broker contract on {@link MemoryBroker}, plus what only the in-memory broker does: sweeping idle channels. */
class MemoryBrokerTest extends BrokerContract {
    private static final Duration AGE = Duration.ofMinutes(10);
    private static final Duration MS = Duration.ofMillis(1);

    @Override
    protected Broker newBroker(Clock clock, HistoryPolicy policy) {
        return new MemoryBroker(clock, channel -> policy);
    }

    private MemoryBroker memory(Started s) {
        return (MemoryBroker) s.broker();
    }

    @Test
    void sweepKeepsASubscribedChannelHoweverIdle() {
        Started s = start(new HistoryPolicy(10, AGE));
        String ch = channel("held");
        join(s.broker().subscribe(ch));
        Position before = s.history(ch, null, 0).latest();
        clock.advance(AGE.multipliedBy(3));

        assertThat(memory(s).sweep()).isZero();
        assertThat(memory(s).channelCount()).isEqualTo(1);
        assertThat(s.history(ch, null, 0).latest()).isEqualTo(before);
    }

    @Test
    void sweepKeepsAChannelThatStillHasHistory() {
        Started s = start(new HistoryPolicy(10, AGE));
        String ch = channel("kept");
        s.publish(ch, "1");
        // Exactly maxAge later the message is not yet older than maxAge, and the channel has been idle
        // for maxAge: only its retained history keeps it.
        clock.advance(AGE);
        assertThat(memory(s).sweep()).isZero();
        assertThat(offsets(s.history(ch, null, 10).messages())).containsExactly(1L);

        clock.advance(MS);
        assertThat(memory(s).sweep()).isEqualTo(1);
        assertThat(memory(s).channelCount()).isZero();
    }

    @Test
    void sweepWaitsUntilTheChannelWasIdleForMaxAge() {
        Started s = start(new HistoryPolicy(10, AGE));
        String ch = channel("idle");
        join(s.broker().subscribe(ch));
        clock.advance(AGE.multipliedBy(2));
        // The unsubscribe is activity: idleness counts from here.
        join(s.broker().unsubscribe(ch));
        clock.advance(AGE.minus(MS));
        assertThat(memory(s).sweep()).isZero();
        assertThat(memory(s).channelCount()).isEqualTo(1);

        clock.advance(MS);
        assertThat(memory(s).sweep()).isEqualTo(1);
        assertThat(memory(s).channelCount()).isZero();
    }

    @Test
    void aSweptChannelComesBackWithANewEpochSoOldPositionsGetAGap() {
        Started s = start(new HistoryPolicy(10, AGE));
        String ch = channel("phoenix");
        Position old = publishMany(s, ch, 2).position();
        clock.advance(AGE.plus(MS));
        assertThat(memory(s).sweep()).isEqualTo(1);

        History h = s.history(ch, old, 10);
        assertThat(h.gap()).isTrue();
        assertThat(h.latest().epoch()).isNotEqualTo(old.epoch());
        assertThat(h.latest().offset()).isZero();
        // Even a position that looks valid in the new epoch's numbers is told apart by its epoch.
        assertThat(s.history(ch, new Position(old.epoch(), 0), 10).gap()).isTrue();
        assertThat(s.publish(ch, "3").position()).isEqualTo(new Position(h.latest().epoch(), 1));
    }

    @Test
    void sweepLeavesBusyChannelsAlone() {
        Started s = start(new HistoryPolicy(10, AGE));
        String quiet = channel("quiet");
        String busy = channel("busy");
        s.publish(quiet, "1");
        clock.advance(AGE.plus(MS));
        Position busyAt = s.publish(busy, "1").position();

        assertThat(memory(s).sweep()).isEqualTo(1);
        assertThat(memory(s).channelCount()).isEqualTo(1);
        assertThat(s.history(busy, null, 0).latest()).isEqualTo(busyAt);
    }

    @Test
    void aNewBrokerStartsEveryChannelInANewEpoch() {
        String ch = channel("restart");
        Position before = start().publish(ch, "1").position();
        Started restarted = start();

        History h = restarted.history(ch, before, 10);
        assertThat(h.gap()).isTrue();
        assertThat(h.latest().epoch()).isNotEqualTo(before.epoch());
    }
}
