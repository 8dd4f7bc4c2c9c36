package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.broker.BrokerListener;
import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Publication;
import io.switchboard.core.time.Clock;
import io.switchboard.testkit.RedisProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RedisBroker when Redis goes away: 503s and not healthy while down; after it returns, subscriptions work again. */
class RedisBrokerFaultTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private final RedisProcess redis = RedisProcess.start();
    private final RedisOptions options = RedisOptions.of(redis.uri()).withMaxReconnectDelay(Duration.ofMillis(200));
    private final List<Message> received = new CopyOnWriteArrayList<>();
    private RedisBroker publisher;
    private RedisBroker subscriber;

    @AfterEach
    void stop() {
        if (publisher != null) publisher.close();
        if (subscriber != null) subscriber.close();
        redis.close();
    }

    private RedisBroker broker(BrokerListener listener) {
        // History holds all the test publishes, so a reconnect can always catch up.
        RedisBroker b = new RedisBroker(options, Clock.system(), c -> new HistoryPolicy(10_000, Duration.ofMinutes(5)));
        b.start(listener);
        return b;
    }

    private Message publish(String data) {
        return publisher.publish(new Publication("room", "message", data.getBytes(StandardCharsets.UTF_8), null))
                .toCompletableFuture().join();
    }

    @Test
    void whileRedisIsDownPublishesAnswer503AndTheBrokerIsUnhealthyThenItComesBackWithANewEpoch() {
        publisher = broker(m -> {});
        subscriber = broker(received::add);
        subscriber.subscribe("room").toCompletableFuture().join();
        String before = publish("1").epoch();
        await().atMost(WAIT).until(() -> received.size() == 1);

        redis.kill();
        await().atMost(WAIT).until(() -> !publisher.healthy() && !subscriber.healthy());
        Throwable refused = publisher.publish(new Publication("room", "message", "2".getBytes(StandardCharsets.UTF_8), null))
                .toCompletableFuture().handle((ok, e) -> e).join();
        assertThat(refused).isInstanceOf(CompletionException.class);
        assertThat(refused.getCause()).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.code()).isEqualTo("unavailable");
            assertThat(e.getMessage()).contains("Redis at 127.0.0.1:" + redis.port(), "not reachable");
        });

        redis.restart();
        await().atMost(WAIT).until(() -> publisher.healthy() && subscriber.healthy());
        // The node subscribed again by itself: the next message reaches it, in the new epoch Redis now has.
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            publish("3");
            return received.size() > 1;
        });
        Message after = received.get(1);
        assertThat(after.epoch()).isNotEqualTo(before);
        assertThat(after.offset()).isEqualTo(1);
    }

    @Test
    void aSubscriberWhosePubSubConnectionDropsCatchesUpFromHistoryWithNothingLostOrDoubled() {
        publisher = broker(m -> {});
        subscriber = broker(received::add);
        subscriber.subscribe("room").toCompletableFuture().join();
        int total = 300;
        for (int i = 1; i <= total; i++) {
            // Cut the subscriber's pub/sub connection three times while publishing: messages sent while it
            // reconnects come from history instead.
            if (i % 100 == 50) assertThat(redis.command("CLIENT", "KILL", "TYPE", "pubsub")).startsWith(":");
            publish(Integer.toString(i));
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(received).extracting(Message::offset)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList()));
    }
}
