package io.switchboard.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.broker.Broker;
import io.switchboard.core.message.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replay then live across racing publishes, recovery-buffer overflow, and deliveries that survive what
 * a subscriber does inside its own callback: nothing missed, nothing doubled, every loss an explicit gap.
 */
class HubReplayTest extends HubTestBase {

    /**
     * The key race: one thread publishes 5,000 messages to one channel while 20 subscribers on 4 loops
     * subscribe at random moments, from now or from a random earlier position. Each must get one
     * contiguous, strictly increasing, duplicate-free run up to 5,000 and no gap (the history holds
     * 10,000, so no position is ever trimmed). Run on a MemoryBroker as is and seen through a
     * network-like {@link AsyncBroker}, where live messages reach the recovery buffer.
     */
    @ParameterizedTest(name = "async broker: {0}")
    @ValueSource(booleans = {false, true})
    void subscribersJoiningAtRandomMomentsGetEveryMessageAfterTheirStartExactlyOnce(boolean async) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int total = 5_000;
        int count = 20;
        Broker broker = async ? new AsyncBroker(memoryBroker(ROOMY)) : memoryBroker(ROOMY);
        Hub hub = new Hub(broker, HubConfig.DEFAULT);
        List<TestLoop> loops = List.of(loop("L0"), loop("L1"), loop("L2"), loop("L3"));
        String ch = "race";
        String epoch = join(hub.position(ch)).epoch();

        // Subscriber i starts once offset startAt[i] is published, from sinceAt[i] (-1: from now).
        int[] startAt = new int[count];
        int[] sinceAt = new int[count];
        boolean[] fromLoop = new boolean[count];
        Map<Integer, List<CountDownLatch>> latchesAt = new HashMap<>();
        List<CountDownLatch> latches = new ArrayList<>();
        List<RecordingSubscriber> subs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            startAt[i] = random.nextInt(total);
            sinceAt[i] = random.nextInt(4) == 0 ? -1 : random.nextInt(startAt[i] + 1);
            fromLoop[i] = random.nextBoolean();
            CountDownLatch latch = new CountDownLatch(startAt[i] == 0 ? 0 : 1);
            latches.add(latch);
            latchesAt.computeIfAbsent(startAt[i], k -> new ArrayList<>()).add(latch);
            subs.add(subscriber("s" + i, loops.get(i % loops.size())));
        }

        ExecutorService threads = Executors.newFixedThreadPool(count + 1);
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                starts.add(threads.submit(() -> {
                    latches.get(n).await();
                    RecordingSubscriber s = subs.get(n);
                    Position since = sinceAt[n] < 0 ? null : new Position(epoch, sinceAt[n]);
                    List<SubscribeRequest> request = List.of(new SubscribeRequest(ch, since));
                    // Half subscribe from their own loop, as a connection's frame handler does.
                    if (fromLoop[n]) s.loop().execute(() -> hub.subscribe(s, request, s));
                    else hub.subscribe(s, request, s);
                    return null;
                }));
            }
            Future<?> publishing = threads.submit(() -> {
                for (int i = 1; i <= total; i++) {
                    join(hub.publish(pub(ch, "message", "{\"n\":" + i + "}")));
                    List<CountDownLatch> due = latchesAt.get(i);
                    if (due != null) due.forEach(CountDownLatch::countDown);
                }
                return null;
            });
            publishing.get(60, TimeUnit.SECONDS);
            for (Future<?> f : starts) f.get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        try {
            assertEveryoneGotTheirRun(subs, ch, epoch, total, startAt, sinceAt, seed);
        } finally {
            broker.close();
        }
    }

    private static void assertEveryoneGotTheirRun(List<RecordingSubscriber> subs, String ch, String epoch, int total,
                                                  int[] startAt, int[] sinceAt, long seed) {
        for (int i = 0; i < subs.size(); i++) {
            RecordingSubscriber s = subs.get(i);
            String why = s + " (seed " + seed + ", start at " + startAt[i] + ", since " + sinceAt[i] + ")";
            Subscribed result = s.awaitSubscribed().get(0);
            // Subscribed after the last publish, or received up to it.
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> result.position().offset() == total || s.offsets(ch).contains((long) total));

            assertThat(s.events().get(0)).as(why).isInstanceOf(RecordingSubscriber.Ok.class);
            if (sinceAt[i] < 0) {
                assertThat(result.recovered()).as(why).isNull();
                assertThat(result.position().epoch()).as(why).isEqualTo(epoch);
                assertThat(result.position().offset()).as(why).isBetween((long) startAt[i], (long) total);
            } else {
                assertThat(result).as(why).isEqualTo(new Subscribed(ch, new Position(epoch, sinceAt[i]), true));
            }
            assertThat(s.gaps()).as(why).isEmpty();
            assertThat(s.offsets(ch)).as(why).containsExactlyElementsOf(range(result.position().offset() + 1, total));
        }
    }

    /** Live messages that reach the loop while the replay is still being read follow the replay, once each. */
    @Test
    void liveMessagesDuringASlowReplayFollowIt() {
        // 6..8 reach the loop before the held replay of 3..5 is answered.
        resumesFromPositionTwoWhileHeld(broker -> broker.holdHistory(false));
    }

    /**
     * History is read only once this node's Broker subscription is in effect, so a message published
     * before that is in the replay rather than lost between history and live.
     */
    @Test
    void historyIsReadOnlyOnceTheNodeSubscriptionIsInEffect() {
        // 6..8 are not delivered live: the node is not subscribed yet, so they must come from history.
        resumesFromPositionTwoWhileHeld(HeldBroker::holdSubscribes);
    }

    /**
     * Publishes 1..5, subscribes from 5's epoch at offset 2 while {@code hold} keeps one Broker step
     * pending, publishes 6..8 meanwhile, releases, publishes 9: the subscriber must see 3..9 once each.
     */
    private void resumesFromPositionTwoWhileHeld(java.util.function.Consumer<HeldBroker> hold) {
        HeldBroker broker = new HeldBroker(memoryBroker(ROOMY));
        Hub hub = new Hub(broker, HubConfig.DEFAULT);
        TestLoop loop = loop("L");
        String epoch = publishMany(hub, "news", 5).epoch();
        RecordingSubscriber s = subscriber("s", loop);

        hold.accept(broker);
        hub.subscribe(s, List.of(new SubscribeRequest("news", new Position(epoch, 2))), s);
        awaitHeld(broker, 1);
        publishMany(hub, "news", 3);
        loop.drain();
        broker.release();

        assertThat(s.awaitSubscribed()).containsExactly(new Subscribed("news", new Position(epoch, 2), true));
        publishMany(hub, "news", 1);
        s.awaitOffset("news", 9);
        assertThat(s.gaps()).isEmpty();
        assertThat(s.offsets("news")).containsExactlyElementsOf(range(3, 9));
    }

    /**
     * Live messages that arrive while a slow history read is pending are buffered up to recoveryBuffer;
     * past it the subscriber is told with a gap, never left with a silent hole.
     */
    @Test
    void aRecoveryBufferOverflowIsAnExplicitGap() {
        HeldBroker broker = new HeldBroker(memoryBroker(ROOMY));
        Hub hub = new Hub(broker, new HubConfig(64 * 1024, 100, 100, 1000, 3));
        TestLoop loop = loop("L");
        String epoch = publishMany(hub, "news", 5).epoch();
        RecordingSubscriber replaying = subscriber("replaying", loop);
        RecordingSubscriber fromNow = subscriber("fromNow", loop);

        broker.holdHistory(false);
        hub.subscribe(replaying, List.of(new SubscribeRequest("news", new Position(epoch, 2))), replaying);
        hub.subscribe(fromNow, List.of(new SubscribeRequest("news", null)), fromNow);
        awaitHeld(broker, 2);
        publishMany(hub, "news", 10); // 6..15: more than the 3 a recovering subscription holds
        loop.drain();
        broker.release();

        // The replay (3..5, read before 6 was published) cannot reach 15: not recovered, and a gap.
        assertThat(replaying.awaitSubscribed())
                .containsExactly(new Subscribed("news", new Position(epoch, 2), false));
        Position fromNowStart = fromNow.awaitSubscribed().get(0).position();
        publishMany(hub, "news", 1);
        replaying.awaitOffset("news", 16);
        fromNow.awaitOffset("news", 16);

        assertThat(describe(replaying, "news")).containsExactly("3", "4", "5", "gap " + epoch + ":15", "16");
        assertNoSilentLoss(replaying, "news", new Position(epoch, 2));
        assertNoSilentLoss(fromNow, "news", fromNowStart);
        assertThat(fromNow.offsets("news")).endsWith(16L).doesNotHaveDuplicates();
    }

    /** An overflow the replay itself covers loses nothing, so it is neither a gap nor "not recovered". */
    @Test
    void anOverflowThatTheReplayCoversIsNoGap() {
        HeldBroker broker = new HeldBroker(memoryBroker(ROOMY));
        Hub hub = new Hub(broker, new HubConfig(64 * 1024, 100, 100, 1000, 3));
        TestLoop loop = loop("L");
        String epoch = publishMany(hub, "news", 5).epoch();
        RecordingSubscriber s = subscriber("s", loop);

        broker.holdHistory(true); // the read happens on release, after 6..15
        hub.subscribe(s, List.of(new SubscribeRequest("news", new Position(epoch, 2))), s);
        awaitHeld(broker, 1);
        publishMany(hub, "news", 10);
        loop.drain();
        broker.release();

        assertThat(s.awaitSubscribed()).containsExactly(new Subscribed("news", new Position(epoch, 2), true));
        publishMany(hub, "news", 1);
        s.awaitOffset("news", 16);
        assertThat(s.gaps()).isEmpty();
        assertThat(s.offsets("news")).containsExactlyElementsOf(range(3, 16));
    }

    @Test
    void aSubscriberThatUnsubscribesInsideOnMessageCostsTheOthersOnItsLoopNothing() {
        Hub hub = hub(HubConfig.DEFAULT);
        TestLoop loop = loop("L");
        List<RecordingSubscriber> subs = new ArrayList<>();
        for (String name : List.of("leaver", "b", "c", "d")) {
            RecordingSubscriber s = subscriber(name, loop);
            hub.subscribe(s, List.of(new SubscribeRequest("news", null)), s);
            s.awaitSubscribed();
            subs.add(s);
        }
        RecordingSubscriber leaver = subs.get(0);
        // Like a connection closed from inside a write: the unsubscribe runs inline, mid-fan-out.
        leaver.onEachMessage = m -> hub.unsubscribe(leaver, "news");

        publishMany(hub, "news", 2);
        for (RecordingSubscriber s : subs.subList(1, subs.size())) {
            s.awaitOffset("news", 2);
            assertThat(s.events("news")).as("%s", s).hasSize(2);
            assertThat(s.offsets("news")).as("%s", s).containsExactly(1L, 2L);
        }
        loop.drain();
        assertThat(leaver.offsets("news")).containsExactly(1L);
        assertThat(hub.subscribers("news")).isEqualTo(3);
    }

    @Test
    void aSubscriberThatThrowsCostsTheOthersOnItsLoopNothing() {
        Hub hub = hub(HubConfig.DEFAULT);
        TestLoop loop = loop("L");
        List<RecordingSubscriber> subs = new ArrayList<>();
        for (String name : List.of("thrower", "b", "c")) {
            RecordingSubscriber s = subscriber(name, loop);
            hub.subscribe(s, List.of(new SubscribeRequest("news", null)), s);
            s.awaitSubscribed();
            subs.add(s);
        }
        subs.get(0).onEachMessage = m -> {
            throw new IllegalStateException("subscriber bug");
        };

        publishMany(hub, "news", 2);
        for (RecordingSubscriber s : subs) {
            s.awaitOffset("news", 2);
            assertThat(s.events("news")).as("%s", s).hasSize(2);
        }
    }

    @Test
    void unsubscribingDuringTheReplayEndsTheReplay() {
        Hub hub = hub(HubConfig.DEFAULT);
        TestLoop loop = loop("L");
        String epoch = publishMany(hub, "news", 5).epoch();
        RecordingSubscriber s = subscriber("s", loop);
        s.onEachMessage = m -> {
            if (m.offset() == 2) hub.unsubscribe(s, "news");
        };

        hub.subscribe(s, List.of(new SubscribeRequest("news", new Position(epoch, 0))), s);
        s.awaitSubscribed();
        publishMany(hub, "news", 1);
        loop.drain();

        assertThat(s.offsets("news")).containsExactly(1L, 2L);
        assertThat(hub.subscribers("news")).isZero();
    }

    private static List<String> describe(RecordingSubscriber s, String channel) {
        return s.events(channel).stream().map(e -> e instanceof RecordingSubscriber.Got g
                ? Long.toString(g.message().offset())
                : "gap " + ((RecordingSubscriber.Gap) e).position()).toList();
    }

    private static void awaitHeld(HeldBroker broker, int calls) {
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> broker.held() == calls);
    }
}
