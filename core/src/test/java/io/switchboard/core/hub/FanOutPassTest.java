package io.switchboard.core.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How a loop's fan-out runs as passes ({@link LoopGroup}): messages that wait for a busy loop go out
 * together, a pass over many subscribers yields between slices, and subscribers leaving in the middle of a
 * pass cost nobody else a message.
 */
class FanOutPassTest extends HubTestBase {

    @Test
    void messagesWaitingForABusyLoopGoOutInOnePassInOrder() throws Exception {
        Hub hub = hub(HubConfig.DEFAULT);
        TestLoop loop = loop("one");
        List<RecordingSubscriber> all = subscribe(hub, loop, 3);
        CountDownLatch busy = new CountDownLatch(1);
        loop.execute(() -> await(busy));
        loop.resetExecutes();

        publishMany(hub, "news", 5);
        assertThat(loop.executes()).as("one task for five messages").isEqualTo(1);
        busy.countDown();

        for (RecordingSubscriber s : all) s.awaitOffset("news", 5);
        loop.drain();
        for (RecordingSubscriber s : all) {
            assertThat(s.offsets("news")).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(s.runs).as("a live subscriber is offered the pass as one run").containsExactly(5);
        }
        assertThat(loop.executes()).isEqualTo(1);
    }

    @Test
    void aPassNeverTakesAMessagePastOneOfAnotherChannel() throws Exception {
        Hub hub = hub(HubConfig.DEFAULT);
        TestLoop loop = loop("one");
        RecordingSubscriber both = subscriber("both", loop);
        hub.subscribe(both, List.of(new SubscribeRequest("a", null), new SubscribeRequest("b", null)), both);
        RecordingSubscriber onlyA = subscriber("onlyA", loop);
        hub.subscribe(onlyA, List.of(new SubscribeRequest("a", null)), onlyA);
        both.awaitSubscribed();
        onlyA.awaitSubscribed();
        CountDownLatch busy = new CountDownLatch(1);
        loop.execute(() -> await(busy));
        loop.resetExecutes();

        List<String> published = List.of("a", "b", "a", "a", "b", "b", "a");
        for (String channel : published) publishMany(hub, channel, 1);
        busy.countDown();
        both.awaitOffset("a", 4);
        both.awaitOffset("b", 3);
        onlyA.awaitOffset("a", 4);
        loop.drain();

        assertThat(both.events()).filteredOn(e -> e instanceof RecordingSubscriber.Got)
                .extracting(e -> ((RecordingSubscriber.Got) e).message().channel())
                .as("in the order this node received them, across channels").containsExactlyElementsOf(published);
        assertThat(onlyA.offsets("a")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(loop.executes()).as("seven messages, one task (five passes)").isEqualTo(1);
    }

    @Test
    void aPassOverManySubscribersLetsOtherWorkRunBetweenItsSlices() {
        Hub hub = hub(HubConfig.DEFAULT);
        TestLoop loop = loop("one");
        int n = 2 * LoopFanOut.SLICE + 10;
        List<RecordingSubscriber> all = subscribe(hub, loop, n);
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger deliveredWhenOtherWorkRan = new AtomicInteger(-1);
        for (RecordingSubscriber s : all) s.onEachMessage = m -> delivered.incrementAndGet();
        // The pass's first delivery queues other work on the loop (as a connection's I/O would be).
        all.get(0).onEachMessage = m -> {
            delivered.incrementAndGet();
            loop.execute(() -> deliveredWhenOtherWorkRan.set(delivered.get()));
        };

        publishMany(hub, "news", 1);
        for (RecordingSubscriber s : all) s.awaitOffset("news", 1);
        loop.drain();

        assertThat(deliveredWhenOtherWorkRan.get())
                .as("the other work ran after the first slice, before the rest of the pass")
                .isEqualTo(LoopFanOut.SLICE);
        assertThat(delivered.get()).isEqualTo(n);
    }

    @Test
    void subscribersLeavingDuringAPassCostTheOthersNothing() throws Exception {
        Hub hub = hub(HubConfig.DEFAULT);
        TestLoop loop = loop("one");
        CountDownLatch busy = new CountDownLatch(1);
        int n = 2 * LoopFanOut.SLICE + 10;
        List<RecordingSubscriber> all = subscribe(hub, loop, n);
        RecordingSubscriber later = all.get(LoopFanOut.SLICE + 5); // in the pass's second slice
        RecordingSubscriber self = all.get(3);                   // leaves from inside its own delivery
        all.get(0).onEachMessage = m -> {
            if (m.offset() == 2) hub.unsubscribe(later, "news");
        };
        self.onEachMessage = m -> {
            if (m.offset() == 2) hub.unsubscribe(self, "news");
        };

        loop.execute(() -> await(busy));
        publishMany(hub, "news", 4); // one pass of four messages
        busy.countDown();
        for (RecordingSubscriber s : all) {
            if (s != later && s != self) s.awaitOffset("news", 4);
        }
        loop.drain();

        for (RecordingSubscriber s : all) {
            if (s == later) assertThat(s.offsets("news")).as("left before the pass reached it").isEmpty();
            else if (s == self) assertThat(s.offsets("news")).containsExactly(1L, 2L);
            else assertThat(s.offsets("news")).as(s.toString()).containsExactly(1L, 2L, 3L, 4L);
        }
        assertThat(hub.subscribers("news")).isEqualTo(n - 2);
    }

    private List<RecordingSubscriber> subscribe(Hub hub, TestLoop loop, int n) {
        List<RecordingSubscriber> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RecordingSubscriber s = subscriber("s" + i, loop);
            hub.subscribe(s, List.of(new SubscribeRequest("news", null)), s);
            all.add(s);
        }
        all.forEach(RecordingSubscriber::awaitSubscribed);
        loop.drain();
        return all;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) throw new AssertionError("the test never released the loop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
