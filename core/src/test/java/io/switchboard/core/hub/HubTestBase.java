package io.switchboard.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.broker.Broker;
import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.core.broker.MemoryBroker;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.RecordingSubscriber.Event;
import io.switchboard.core.hub.RecordingSubscriber.Gap;
import io.switchboard.core.hub.RecordingSubscriber.Got;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.message.Publication;
import io.switchboard.core.time.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;

/** What the Hub tests share: a Hub on a real MemoryBroker, test loops, recording subscribers, assertions. */
abstract class HubTestBase {
    static final HistoryPolicy ROOMY = new HistoryPolicy(10_000, Duration.ofHours(1));

    final FakeClock clock = new FakeClock();
    private final List<TestLoop> loops = new ArrayList<>();
    private final List<RecordingSubscriber> subscribers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        loops.forEach(TestLoop::close);
        for (RecordingSubscriber s : subscribers) {
            assertThat(s.offLoop()).as("%s is called only on its loop", s).isNull();
        }
    }

    // ---- helpers ----

    Hub hub(HubConfig config) {
        return hub(config, ROOMY);
    }

    Hub hub(HubConfig config, HistoryPolicy policy) {
        return new Hub(memoryBroker(policy), config);
    }

    Broker memoryBroker(HistoryPolicy policy) {
        return new MemoryBroker(clock, channel -> policy);
    }

    TestLoop loop(String name) {
        TestLoop loop = new TestLoop(name);
        loops.add(loop);
        return loop;
    }

    RecordingSubscriber subscriber(String name, DeliveryLoop loop) {
        RecordingSubscriber s = new RecordingSubscriber(name, loop);
        subscribers.add(s);
        return s;
    }

    static Publication pub(String channel, String event, String json) {
        return new Publication(channel, event, json.getBytes(StandardCharsets.UTF_8), null);
    }

    static Message publishMany(Hub hub, String channel, int n) {
        Message last = null;
        for (int i = 0; i < n; i++) last = join(hub.publish(pub(channel, "message", "{\"i\":" + i + "}")));
        return last;
    }

    static void assertRefused(ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.status()).as("status of %s", e.reason()).isEqualTo(status);
            assertThat(e.code()).as("code of %s", e.reason()).isEqualTo(code);
            assertThat(e.reason()).isNotBlank();
        });
    }

    /**
     * Every message of {@code channel} follows, by exactly one offset in the same epoch, whatever came
     * before it: the subscribe position, the previous message, or a gap. So nothing was lost silently.
     */
    static void assertNoSilentLoss(RecordingSubscriber s, String channel, Position start) {
        Position at = start;
        for (Event e : s.events(channel)) {
            if (e instanceof Gap g) {
                at = g.position();
            } else {
                Message m = ((Got) e).message();
                assertThat(m.position()).as("%s after %s", s, at).isEqualTo(at.next());
                at = m.position();
            }
        }
    }

    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("did not complete", e);
        }
    }

    static List<Long> offsets(List<Message> messages) {
        return messages.stream().map(Message::offset).toList();
    }

    static List<Long> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }
}
