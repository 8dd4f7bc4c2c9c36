package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.broker.Broker;
import io.switchboard.core.broker.BrokerContract;
import io.switchboard.core.broker.History;
import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.core.message.Position;
import io.switchboard.core.time.Clock;
import io.switchboard.testkit.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Broker contract on {@link RedisBroker} against a real redis-server, plus what only Redis does. */
class RedisBrokerTest extends BrokerContract {
    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected Broker newBroker(Clock clock, HistoryPolicy policy) {
        return new RedisBroker(RedisOptions.of(redis.uri()), clock, channel -> policy);
    }

    @Test
    void aChannelWhoseKeysRedisLostStartsANewEpochSoOldPositionsGetAGap() {
        Started s = start();
        String ch = channel("lost");
        Position old = publishMany(s, ch, 3).position();
        assertThat(redis.command("FLUSHALL")).isEqualTo("+OK");

        History h = s.history(ch, old, 10);
        assertThat(h.gap()).isTrue();
        assertThat(h.latest().epoch()).isNotEqualTo(old.epoch());
        assertThat(h.latest().offset()).isZero();
        assertThat(s.publish(ch, "4").position()).isEqualTo(new Position(h.latest().epoch(), 1));
    }

    @Test
    void twoNodesShareOneChannel() {
        Started a = start();
        Started b = start();
        String ch = channel("shared");
        join(b.broker().subscribe(ch));
        Position first = a.publish(ch, "1").position();
        Position second = b.publish(ch, "2").position();

        assertThat(second).isEqualTo(first.next());
        awaitOffset(b, ch, 2);
        assertThat(b.listener().offsets(ch)).containsExactly(1L, 2L);
        assertThat(offsets(a.history(ch, null, 10).messages())).containsExactly(1L, 2L);
    }
}
