package io.switchboard.core.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.message.Publication;
import io.switchboard.core.time.Clock;
import io.switchboard.core.time.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guarantees every {@link Broker} keeps (see its Javadoc), run against each implementation through
 * {@link #newBroker}: positions, history reads and trimming, gaps, node subscriptions, and the atomicity
 * that lets the Hub replay then go live with nothing missed or doubled.
 *
 * <p>Time is a {@link FakeClock}: an implementation must take message timestamps and history age from
 * the clock it is given. Channel names are unique per test, so an implementation backed by a shared
 * store needs no cleanup between tests.
 */
public abstract class BrokerContract {
    /** Generous history, so that tests which are not about trimming never trim. */
    protected static final HistoryPolicy ROOMY = new HistoryPolicy(10_000, Duration.ofHours(1));
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger NAMES = new AtomicInteger();

    protected final FakeClock clock = new FakeClock();
    private final List<Broker> brokers = new ArrayList<>();
    private final String run = Long.toString(System.nanoTime() & 0xffffff, 36);

    /** A new broker whose channels all keep {@code policy}; not yet started. */
    protected abstract Broker newBroker(Clock clock, HistoryPolicy policy);

    @AfterEach
    void closeBrokers() {
        brokers.forEach(Broker::close);
    }

    /** A started broker and the listener recording what it delivers to this node. */
    protected final Started start(HistoryPolicy policy) {
        Broker broker = newBroker(clock, policy);
        brokers.add(broker);
        RecordingListener listener = new RecordingListener();
        broker.start(listener);
        return new Started(broker, listener);
    }

    /** A broker with {@link #ROOMY} history. */
    protected final Started start() {
        return start(ROOMY);
    }

    /** A channel name no other test uses. */
    protected final String channel(String base) {
        return base + "-" + run + "-" + NAMES.incrementAndGet();
    }

    // ---- positions ----

    @Test
    void offsetsStartAtOneAndGrowByOnePerMessage() {
        Started s = start();
        String ch = channel("news");
        Message first = s.publish(ch, "{\"n\":1}");
        Message second = s.publish(ch, "{\"n\":2}");
        Message third = s.publish(ch, "{\"n\":3}");

        assertThat(List.of(first.offset(), second.offset(), third.offset())).containsExactly(1L, 2L, 3L);
        assertThat(second.epoch()).isEqualTo(first.epoch());
        assertThat(third.epoch()).isEqualTo(first.epoch());
    }

    @Test
    void publishedMessageKeepsWhatWasPublishedAndTheClocksTime() {
        Started s = start();
        String ch = channel("news");
        Message m = join(s.broker.publish(new Publication(ch, "update", utf8("{\"a\":[1,2]}"), "user-7")));

        assertThat(m.channel()).isEqualTo(ch);
        assertThat(m.event()).isEqualTo("update");
        assertThat(new String(m.data(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":[1,2]}");
        assertThat(m.from()).isEqualTo("user-7");
        assertThat(m.timestamp()).isEqualTo(clock.millis());
        assertThat(Position.isValidEpoch(m.epoch())).isTrue();
    }

    @Test
    void emptyChannelIsAtEpochZero() {
        Started s = start();
        String ch = channel("empty");
        History h = s.history(ch, null, 10);

        assertThat(h.messages()).isEmpty();
        assertThat(h.gap()).isFalse();
        assertThat(h.latest().offset()).isZero();
        assertThat(Position.isValidEpoch(h.latest().epoch())).isTrue();
        // The epoch an empty channel reports is the one its first message gets.
        assertThat(s.publish(ch, "1").position()).isEqualTo(new Position(h.latest().epoch(), 1));
    }

    @Test
    void limitZeroReadsOnlyTheLatestPosition() {
        Started s = start();
        String ch = channel("latest");
        Message last = null;
        for (int i = 1; i <= 4; i++) last = s.publish(ch, Integer.toString(i));

        History h = s.history(ch, null, 0);
        assertThat(h.messages()).isEmpty();
        assertThat(h.gap()).isFalse();
        assertThat(h.latest()).isEqualTo(last.position());
    }

    @Test
    void channelsAreIndependent() {
        Started s = start();
        String a = channel("a");
        String b = channel("b");
        for (int i = 1; i <= 3; i++) {
            assertThat(s.publish(a, "\"a" + i + "\"").offset()).isEqualTo(i);
            assertThat(s.publish(b, "\"b" + i + "\"").offset()).isEqualTo(i);
        }
        assertThat(s.publish(a, "\"a4\"").offset()).isEqualTo(4);

        assertThat(data(s.history(a, null, 100))).containsExactly("\"a1\"", "\"a2\"", "\"a3\"", "\"a4\"");
        assertThat(data(s.history(b, null, 100))).containsExactly("\"b1\"", "\"b2\"", "\"b3\"");
        assertThat(s.history(b, null, 0).latest().offset()).isEqualTo(3);
    }

    @Test
    void concurrentPublishersGetEveryOffsetOnceAndHistoryAndListenerKeepOffsetOrder() throws Exception {
        Started s = start();
        String ch = channel("busy");
        join(s.broker.subscribe(ch));
        int threads = 8;
        int each = 250;
        int total = threads * each;

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    go.await();
                    List<Long> offsets = new ArrayList<>(each);
                    for (int i = 0; i < each; i++) {
                        offsets.add(s.publish(ch, "\"" + thread + "-" + i + "\"").offset());
                    }
                    return offsets;
                }));
            }
            go.countDown();
            List<Long> all = new ArrayList<>(total);
            for (Future<List<Long>> f : results) {
                List<Long> mine = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                // One publisher's messages get increasing offsets: its publishes happen one after another.
                assertThat(mine).isSorted();
                all.addAll(mine);
            }
            assertThat(all).containsExactlyInAnyOrderElementsOf(range(1, total));
        } finally {
            pool.shutdownNow();
        }

        assertThat(offsets(s.history(ch, null, total).messages())).containsExactlyElementsOf(range(1, total));
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> s.listener.offsets(ch).size() >= total);
        assertThat(s.listener.offsets(ch)).containsExactlyElementsOf(range(1, total));
    }

    // ---- history reads ----

    @Test
    void historyWithoutSinceReturnsTheNewestLimitOldestFirst() {
        Started s = start();
        String ch = channel("hist");
        publishMany(s, ch, 10);

        History newest = s.history(ch, null, 3);
        assertThat(offsets(newest.messages())).containsExactly(8L, 9L, 10L);
        assertThat(newest.gap()).isFalse();
        assertThat(newest.latest().offset()).isEqualTo(10);
        assertThat(newest.cursor().offset()).isEqualTo(10);

        assertThat(offsets(s.history(ch, null, 100).messages())).containsExactlyElementsOf(range(1, 10));
    }

    @Test
    void historyWithSinceReturnsTheMessagesAfterItUpToLimit() {
        Started s = start();
        String ch = channel("hist");
        String epoch = publishMany(s, ch, 10).epoch();

        History h = s.history(ch, new Position(epoch, 4), 3);
        assertThat(offsets(h.messages())).containsExactly(5L, 6L, 7L);
        assertThat(h.gap()).isFalse();
        assertThat(h.latest()).isEqualTo(new Position(epoch, 10));
        assertThat(h.cursor()).isEqualTo(new Position(epoch, 7));

        assertThat(offsets(s.history(ch, new Position(epoch, 4), 100).messages())).containsExactlyElementsOf(range(5, 10));
        assertThat(offsets(s.history(ch, new Position(epoch, 0), 100).messages())).containsExactlyElementsOf(range(1, 10));

        History upToDate = s.history(ch, new Position(epoch, 10), 100);
        assertThat(upToDate.messages()).isEmpty();
        assertThat(upToDate.gap()).isFalse();
        assertThat(upToDate.cursor()).isEqualTo(new Position(epoch, 10));
    }

    @Test
    void historyFromTheStartOfAnEmptyChannelIsNoGap() {
        Started s = start();
        String ch = channel("empty");
        Position zero = s.history(ch, null, 0).latest();

        History h = s.history(ch, zero, 100);
        assertThat(h.gap()).isFalse();
        assertThat(h.messages()).isEmpty();
        assertThat(h.latest()).isEqualTo(zero);
    }

    @Test
    void trimsToTheLastSizeMessages() {
        Started s = start(new HistoryPolicy(3, Duration.ofHours(1)));
        String ch = channel("small");
        String epoch = publishMany(s, ch, 5).epoch();

        assertThat(offsets(s.history(ch, null, 100).messages())).containsExactly(3L, 4L, 5L);
        // Everything after 2 is still retained: no gap.
        History fromTwo = s.history(ch, new Position(epoch, 2), 100);
        assertThat(fromTwo.gap()).isFalse();
        assertThat(offsets(fromTwo.messages())).containsExactly(3L, 4L, 5L);
        // Message 2 is gone: reading after 1 (or 0) would silently skip it, so it is a gap.
        for (long since : new long[] {0, 1}) {
            History h = s.history(ch, new Position(epoch, since), 100);
            assertThat(h.gap()).as("since %d", since).isTrue();
            assertThat(h.messages()).isEmpty();
            assertThat(h.latest()).isEqualTo(new Position(epoch, 5));
        }
    }

    @Test
    void trimsMessagesOlderThanMaxAge() {
        Started s = start(new HistoryPolicy(100, Duration.ofMinutes(1)));
        String ch = channel("aging");
        String epoch = publishMany(s, ch, 2).epoch();
        clock.advance(Duration.ofSeconds(30));
        publishMany(s, ch, 2);
        clock.advance(Duration.ofSeconds(31));

        // 1 and 2 are 61 s old, 3 and 4 are 31 s old.
        assertThat(offsets(s.history(ch, null, 100).messages())).containsExactly(3L, 4L);
        assertThat(s.history(ch, new Position(epoch, 1), 100).gap()).isTrue();
        History fromTwo = s.history(ch, new Position(epoch, 2), 100);
        assertThat(fromTwo.gap()).isFalse();
        assertThat(offsets(fromTwo.messages())).containsExactly(3L, 4L);

        clock.advance(Duration.ofSeconds(30));
        // All gone; the position lives on.
        History none = s.history(ch, null, 100);
        assertThat(none.messages()).isEmpty();
        assertThat(none.latest()).isEqualTo(new Position(epoch, 4));
        History gap = s.history(ch, new Position(epoch, 3), 100);
        assertThat(gap.gap()).isTrue();
        assertThat(gap.latest()).isEqualTo(new Position(epoch, 4));
        assertThat(s.history(ch, new Position(epoch, 4), 100).gap()).isFalse();
    }

    @Test
    void sinceInAnotherEpochIsAGapWithTheLatestPosition() {
        Started s = start();
        String ch = channel("epochs");
        Position latest = publishMany(s, ch, 3).position();
        String other = latest.epoch().equals("Zz9") ? "Yy8" : "Zz9";

        for (long offset : new long[] {0, 1, 3}) {
            History h = s.history(ch, new Position(other, offset), 100);
            assertThat(h.gap()).as("since %s:%d", other, offset).isTrue();
            assertThat(h.messages()).isEmpty();
            assertThat(h.latest()).isEqualTo(latest);
        }
    }

    @Test
    void sinceAheadOfTheChannelIsAGap() {
        Started s = start();
        String ch = channel("ahead");
        Position latest = publishMany(s, ch, 3).position();

        History h = s.history(ch, new Position(latest.epoch(), 4), 100);
        assertThat(h.gap()).isTrue();
        assertThat(h.messages()).isEmpty();
        assertThat(h.latest()).isEqualTo(latest);

        String empty = channel("ahead-empty");
        Position zero = s.history(empty, null, 0).latest();
        assertThat(s.history(empty, zero.next(), 100).gap()).isTrue();
    }

    // ---- node subscriptions ----

    @Test
    void listenerGetsAChannelOnlyWhileSubscribed() {
        Started s = start();
        String ch = channel("sub");
        String never = channel("never");
        s.publish(never, "0");
        s.publish(ch, "1");
        join(s.broker.subscribe(ch));
        s.publish(ch, "2");
        s.publish(ch, "3");
        awaitOffset(s, ch, 3);
        join(s.broker.unsubscribe(ch));
        s.publish(ch, "4");
        join(s.broker.subscribe(ch));
        s.publish(ch, "5");
        awaitOffset(s, ch, 5);

        // Per-channel order means a wrongly delivered 4 would have come before 5.
        assertThat(s.listener.offsets(ch)).containsExactly(2L, 3L, 5L);
        assertThat(s.listener.offsets(never)).isEmpty();
    }

    @Test
    void nodeSubscriptionsAreCounted() {
        Started s = start();
        String ch = channel("counted");
        join(s.broker.subscribe(ch));
        join(s.broker.subscribe(ch));
        join(s.broker.unsubscribe(ch));
        s.publish(ch, "1");
        awaitOffset(s, ch, 1);
        join(s.broker.unsubscribe(ch));
        s.publish(ch, "2");
        join(s.broker.subscribe(ch));
        s.publish(ch, "3");
        awaitOffset(s, ch, 3);

        assertThat(s.listener.offsets(ch)).containsExactly(1L, 3L);
    }

    @Test
    void unsubscribingAChannelNeverSubscribedChangesNothing() {
        Started s = start();
        String ch = channel("stray");
        join(s.broker.unsubscribe(ch));
        join(s.broker.subscribe(ch));
        s.publish(ch, "1");
        awaitOffset(s, ch, 1);
        assertThat(s.listener.offsets(ch)).containsExactly(1L);
    }

    /**
     * The replay-then-live race at the Broker level: subscribe, then read history, while another thread
     * publishes. Merging history and listener by offset must give every message exactly once. Half the
     * rounds read from a position, half read the newest messages.
     */
    @Test
    void subscribeThenReadHistoryWhilePublishingMissesNothingAndDoublesNothing() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Started s = start();
        int total = 1_000;
        ExecutorService publisher = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 12; round++) {
                String ch = channel("race" + round);
                int startAt = random.nextInt(total);
                CountDownLatch reached = new CountDownLatch(1);
                Future<?> publishing = publisher.submit(() -> {
                    for (int i = 1; i <= total; i++) {
                        s.publish(ch, Integer.toString(i));
                        if (i == startAt) reached.countDown();
                    }
                    reached.countDown();
                });
                if (startAt > 0) assertThat(reached.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

                join(s.broker.subscribe(ch));
                Position since = null;
                if (round % 2 == 1) {
                    Position now = s.history(ch, null, 0).latest();
                    since = new Position(now.epoch(), random.nextInt((int) now.offset() + 1));
                }
                History h = s.history(ch, since, total);
                publishing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                // One more, surely after the subscribe, so there is always a live message to wait for.
                int end = total + 1;
                s.publish(ch, Integer.toString(end));
                awaitOffset(s, ch, end);

                String why = "round " + round + ", seed " + seed + ", since " + since;
                assertThat(h.gap()).as(why).isFalse();
                long from = since == null ? 1 : since.offset() + 1;
                List<Long> replayed = offsets(h.messages());
                assertThat(replayed).as(why).containsExactlyElementsOf(range(from, h.cursor().offset()));

                List<Long> live = s.listener.offsets(ch);
                assertThat(live).as(why).isNotEmpty();
                assertThat(live).as(why + ": live is one contiguous run").containsExactlyElementsOf(
                        range(live.get(0), end));
                // Nothing fell between the read and the first live message.
                assertThat(live.get(0)).as(why).isLessThanOrEqualTo(h.latest().offset() + 1);

                List<Long> merged = new ArrayList<>(replayed);
                long last = replayed.isEmpty() ? from - 1 : replayed.get(replayed.size() - 1);
                for (long o : live) {
                    if (o > last) {
                        merged.add(o);
                        last = o;
                    }
                }
                assertThat(merged).as(why).containsExactlyElementsOf(range(from, end));
            }
        } finally {
            publisher.shutdownNow();
        }
    }

    // ---- helpers ----

    /** A started broker with its recording listener. */
    protected record Started(Broker broker, RecordingListener listener) {
        public Message publish(String channel, String json) {
            return join(broker.publish(new Publication(channel, "message", utf8(json), null)));
        }

        public History history(String channel, Position since, int limit) {
            return join(broker.history(channel, since, limit));
        }
    }

    protected static Message publishMany(Started s, String channel, int n) {
        Message last = null;
        for (int i = 1; i <= n; i++) last = s.publish(channel, Integer.toString(i));
        return last;
    }

    protected static void awaitOffset(Started s, String channel, long offset) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> s.listener.offsets(channel).contains(offset));
    }

    protected static <T> T join(CompletionStage<T> stage) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        try {
            return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("broker call did not complete", e);
        }
    }

    protected static List<Long> offsets(List<Message> messages) {
        return messages.stream().map(Message::offset).toList();
    }

    protected static List<Long> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }

    private static List<String> data(History h) {
        return h.messages().stream().map(m -> new String(m.data(), StandardCharsets.UTF_8)).toList();
    }

    protected static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
